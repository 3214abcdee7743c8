/**
 * What the sticky assigner's members tell the group leader, and how the leader turns it into an
 * assignment (issue 8, item 2). Kafka-free: `infra/bus/kafkaBus.ts` only moves the bytes.
 *
 * Every member's join metadata carries its stable node id and the last plan it knows (with the
 * plan's generation). The leader takes the newest plan it is shown, places the partitions with
 * `placePartitions`, and hands every member the whole new plan in its assignment's user data, so
 * that whichever member leads next remembers whose partitions were fostered. Members without
 * readable metadata count as nodes named by their member id (they still get a fair share).
 */
import * as t from 'io-ts';
import { type PlacementPlan, placePartitions } from './placementPlan';

const PlanRows = t.array(t.tuple([t.number, t.string, t.string]));
const MemberStateCodec = t.intersection([
  t.type({
    nodeId: t.string,
    startedAtMs: t.number,
    generation: t.number,
    /** topic → [partition, owner, home] rows */
    plans: t.record(t.string, PlanRows),
  }),
  t.partial({ scope: t.string, scopes: t.array(t.string) }),
]);

/** What one member knows: who it is, and the newest plan it has seen */
export interface MemberState {
  readonly nodeId: string;
  /** when this member's process joined (wall clock): of two members with one node id, the later wins */
  readonly startedAtMs: number;
  readonly generation: number;
  readonly plans: ReadonlyMap<string, PlacementPlan>;
  /** pinned mode: the vault scope of this member's node (it may own only that scope's partitions) */
  readonly scope?: string;
  /** pinned mode: every scope of the cluster; partition p belongs to `scopes[p mod scopes.length]` */
  readonly scopes?: readonly string[];
}

/** The vault scope partition `p` belongs to in pinned mode. */
export const scopeOfPartition = (scopes: readonly string[], p: number): string => scopes[p % scopes.length]!;

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** The member state as join metadata or assignment user data (JSON) */
export function encodeMemberState(state: MemberState): Uint8Array {
  const plans: Record<string, [number, string, string][]> = {};
  for (const [topic, plan] of state.plans) plans[topic] = [...plan].map(([p, { owner, home }]) => [p, owner, home]);
  const pinned = state.scopes === undefined ? {} : { scope: state.scope, scopes: state.scopes };
  return utf8.encode(JSON.stringify({ nodeId: state.nodeId, startedAtMs: state.startedAtMs, generation: state.generation, plans, ...pinned }));
}

/** The member state in `bytes`, or undefined if they are not one (another client's metadata) */
export function decodeMemberState(bytes: Uint8Array | undefined): MemberState | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text.decode(bytes));
  } catch {
    return undefined;
  }
  const decoded = MemberStateCodec.decode(json);
  if (decoded._tag === 'Left') return undefined;
  const plans = new Map<string, PlacementPlan>();
  for (const [topic, rows] of Object.entries(decoded.right.plans)) plans.set(topic, new Map(rows.map(([p, owner, home]) => [p, { owner, home }])));
  const { nodeId, startedAtMs, generation, scope, scopes } = decoded.right;
  return { nodeId, startedAtMs, generation, plans, ...(scope === undefined ? {} : { scope }), ...(scopes === undefined ? {} : { scopes }) };
}

/** One member as the leader sees it */
export interface GroupMember {
  readonly memberId: string;
  readonly state: MemberState | undefined;
  /** topics it subscribed to */
  readonly topics: readonly string[];
}

/** The leader's decision: partitions per member and topic, and the plan state everyone gets */
export interface GroupAssignment {
  readonly byMember: ReadonlyMap<string, Readonly<Record<string, number[]>>>;
  readonly state: Omit<MemberState, 'nodeId' | 'startedAtMs'>;
}

/** Assigns `partitions` (topic → partition ids) among `members` (see the file's comment). */
export function assignGroup(members: readonly GroupMember[], partitions: ReadonlyMap<string, readonly number[]>): GroupAssignment {
  const newest = members.reduce<MemberState | undefined>((best, m) => (m.state !== undefined && (best === undefined || m.state.generation > best.generation) ? m.state : best), undefined);
  // a node id used by two members goes to the one started last: after a kill -9 and a quick
  // restart the broker keeps the dead member until its session times out, and the restarted one
  // must not wait for that (a live impostor is refused elsewhere, and fencing keeps writes safe)
  const started = (m: GroupMember) => m.state?.startedAtMs ?? 0;
  const sorted = [...members].sort((a, b) => started(b) - started(a) || (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  const memberOfNode = new Map<string, GroupMember>();
  for (const m of sorted) {
    const node = m.state?.nodeId ?? m.memberId;
    if (!memberOfNode.has(node)) memberOfNode.set(node, m);
  }
  const byMember = new Map<string, Record<string, number[]>>(members.map((m) => [m.memberId, {}]));
  const plans = new Map<string, PlacementPlan>();
  // pinned mode: the scope list any member carries (every node is started with the same one)
  const scopes = members.find((m) => m.state?.scopes !== undefined && m.state.scopes.length > 0)?.state?.scopes;
  for (const [topic, ids] of partitions) {
    const nodes = [...memberOfNode].filter(([, m]) => m.topics.includes(topic));
    const previous = newest?.plans.get(topic) ?? new Map();
    let plan: PlacementPlan;
    if (scopes === undefined) {
      plan = placePartitions({ members: nodes.map(([node]) => node), partitions: ids, previous });
    } else {
      // each scope's partitions among that scope's nodes only; with none alive they stay unowned
      // (their previous placement is kept, so the home comes back first)
      const merged = new Map<number, { owner: string; home: string }>();
      const live = new Set(nodes.map(([node]) => node));
      for (const scope of new Set(scopes)) {
        const mine = ids.filter((p) => scopeOfPartition(scopes, p) === scope);
        const scopeNodes = nodes.filter(([, m]) => m.state?.scope === scope).map(([node]) => node);
        const placed = placePartitions({ members: scopeNodes, partitions: mine, previous });
        for (const p of mine) {
          const was = previous.get(p);
          // a previous owner still alive is of another scope (pinned mode switched on): not kept
          const at = placed.get(p) ?? (was !== undefined && !live.has(was.owner) ? was : undefined);
          if (at !== undefined) merged.set(p, at);
        }
      }
      plan = merged;
    }
    plans.set(topic, plan);
    for (const [node, m] of nodes) byMember.get(m.memberId)![topic] = [...plan].filter(([, placement]) => placement.owner === node).map(([p]) => p);
  }
  return { byMember, state: { generation: (newest?.generation ?? 0) + 1, plans } };
}
