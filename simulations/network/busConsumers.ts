/**
 * The consumer side of the simulated bus: groups by id, joining, stopping and inspection.
 */
import type { Consumer, ConsumerOptions } from '../../domain/ports/bus';
import { type Cursor, crashMember, type Group, type Member, type PartitionLog, pump, rebalance } from './consumerGroups';
import type { NetworkContext } from './networkContext';

/** The consumer groups of one simulated bus */
export interface ConsumerGroups {
  join(nodeId: string, options: ConsumerOptions): Consumer;
  /** stops every member (of `nodeId` only, when given) and waits for their handlers */
  stopAll(nodeId: string | undefined): Promise<void>;
  /** removes every member of `nodeId` at once, as if its process died (see `crashMember`) */
  crash(nodeId: string): void;
  /** a new record was appended to the cursor's partition */
  wake(cursor: Cursor): void;
  committed(groupId: string, topic: string, partition: number): bigint | undefined;
}

/** Consumer groups over the partition logs that `logsOf` returns (it throws for unknown topics) */
export function consumerGroupsOf(ctx: NetworkContext, logsOf: (topic: string) => PartitionLog[]): ConsumerGroups {
  const groups = new Map<string, Group>();
  let memberSequence = 0;

  async function stop(group: Group, member: Member): Promise<void> {
    if (member.active) {
      member.active = false;
      group.members.splice(group.members.indexOf(member), 1);
      member.assignment = new Map();
      rebalance(ctx, group, logsOf);
    }
    if (member.busy > 0 && !member.crashed) await new Promise<void>((resolve) => member.idleWaiters.push(resolve));
  }

  return {
    join(nodeId, options) {
      if (options.groupId.length === 0) throw new RangeError('a consumer needs a groupId');
      if (options.topics.length === 0) throw new RangeError('a consumer needs at least one topic');
      for (const topic of options.topics) logsOf(topic);
      let group = groups.get(options.groupId);
      if (group === undefined) groups.set(options.groupId, (group = { groupId: options.groupId, members: [], cursors: new Map() }));
      memberSequence += 1;
      const member: Member = {
        memberId: `${options.groupId}/${nodeId}#${memberSequence}`,
        nodeId,
        options,
        assignment: new Map(),
        active: true,
        crashed: false,
        busy: 0,
        idleWaiters: [],
      };
      group.members.push(member);
      rebalance(ctx, group, logsOf);
      const joined = group;
      return { assignment: () => member.assignment, stop: () => stop(joined, member) };
    },
    async stopAll(nodeId) {
      const stopping: Promise<void>[] = [];
      for (const group of groups.values()) {
        for (const member of [...group.members]) {
          if (nodeId === undefined || member.nodeId === nodeId) stopping.push(stop(group, member));
        }
      }
      await Promise.all(stopping);
    },
    crash(nodeId) {
      for (const group of groups.values()) {
        for (const member of [...group.members]) if (member.nodeId === nodeId) crashMember(ctx, group, member, logsOf);
      }
    },
    wake: (cursor) => pump(ctx, cursor),
    committed: (groupId, topic, partition) => groups.get(groupId)?.cursors.get(`${topic}/${partition}`)?.committed,
  };
}
