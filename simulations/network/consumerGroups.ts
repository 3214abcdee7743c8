/**
 * Consumer groups of the simulated bus: membership, range assignment, and per-partition delivery.
 *
 * Each (group, topic, partition) has a cursor: the committed offset (next offset to consume, as in
 * Kafka), the fetch position and the current owner. A cursor delivers one record at a time: the
 * next record goes out only after `onMessage` resolves, which commits its offset. A rejection
 * leaves the offset uncommitted and delivers the same record again after `retryDelayMs`.
 *
 * A rebalance (a member joins or stops) moves cursors to new owners. A record already being handled
 * by the old owner is allowed to finish and commit first (like a Kafka client that commits before
 * rejoining); the new owner then starts from the committed offset. So a partition is never handled
 * by two members at once, and a record is redelivered only if its handler did not succeed.
 */
import type { ConsumerOptions, DeliveredMessage } from '../../domain/ports/bus';
import type { Random } from '../../domain/ports/random';
import type { TaskId } from '../scheduler';
import { copyMessage, drawLatencyMs, type NetworkContext, type StoredRecord } from './networkContext';
import { rangeAssign } from './rangeAssignor';

/** A group member (one `consume` call) */
export interface Member {
  readonly memberId: string;
  readonly nodeId: string;
  readonly options: ConsumerOptions;
  assignment: ReadonlyMap<string, readonly number[]>;
  active: boolean;
  /** set by a crash: whatever its handlers still finish is ignored (nothing committed) */
  crashed: boolean;
  /** handler invocations in progress */
  busy: number;
  idleWaiters: Array<() => void>;
}

/** A partition log and the cursors that read it */
export interface PartitionLog {
  readonly records: StoredRecord[];
  readonly cursors: Cursor[];
}

/** The delivery state of one (group, topic, partition) */
export interface Cursor {
  readonly topic: string;
  readonly partition: number;
  readonly log: PartitionLog;
  /** this cursor's own latency and delay streams, so other groups do not shift its timing */
  readonly latency: Random;
  readonly deliveryDelayMs: () => number;
  committed: bigint | undefined;
  position: bigint;
  owner: Member | undefined;
  /** grows on every change of owner; a delivery of an older generation is stale */
  generation: number;
  /** the member whose handler has the current record, if any */
  handling: Member | undefined;
  task: TaskId | undefined;
}

/** A consumer group */
export interface Group {
  readonly groupId: string;
  /** in join order */
  readonly members: Member[];
  readonly cursors: Map<string, Cursor>;
}

/** where a new owner starts: the committed offset, else the log start or end (`fromBeginning`) */
function startPosition(cursor: Cursor): bigint {
  if (cursor.committed !== undefined) return cursor.committed;
  return cursor.owner?.options.fromBeginning === true ? 0n : BigInt(cursor.log.records.length);
}

/** schedules the next delivery of a cursor, if it has an owner, is idle and has a record to give */
export function pump(ctx: NetworkContext, cursor: Cursor): void {
  const owner = cursor.owner;
  if (owner === undefined || !owner.active || cursor.handling !== undefined || cursor.task !== undefined) return;
  const record = cursor.log.records[Number(cursor.position)];
  if (record === undefined) return; // woken again by the next append
  const readyAtMs = record.appendedAtMs + drawLatencyMs(ctx.latency, cursor.latency) + cursor.deliveryDelayMs();
  const generation = cursor.generation;
  cursor.task = ctx.scheduler.schedule(
    Math.max(ctx.scheduler.now(), readyAtMs),
    () => deliver(ctx, cursor, owner, generation),
    'delivery',
  );
}

function deliver(ctx: NetworkContext, cursor: Cursor, member: Member, generation: number): void {
  cursor.task = undefined;
  if (cursor.owner !== member || cursor.generation !== generation || cursor.handling !== undefined) {
    pump(ctx, cursor);
    return;
  }
  const record = cursor.log.records[Number(cursor.position)]!;
  const now = ctx.scheduler.now();
  const heldUntil = ctx.faults.heldUntil(record.fromNode, member.nodeId, now);
  if (heldUntil !== undefined) {
    ctx.stats.held += 1;
    ctx.trace?.({ kind: 'held', atMs: now, untilMs: heldUntil, nodeId: member.nodeId, topic: cursor.topic });
    cursor.task = ctx.scheduler.schedule(heldUntil, () => deliver(ctx, cursor, member, generation), 'held delivery');
    return;
  }
  cursor.handling = member;
  member.busy += 1;
  ctx.stats.delivered += 1;
  const { partition, offset } = record;
  const topic = cursor.topic;
  const { memberId, nodeId } = member;
  ctx.trace?.({ kind: 'delivered', atMs: now, topic, partition, offset, groupId: member.options.groupId, memberId, nodeId, messageId: record.message.id });
  const delivered: DeliveredMessage = { ...copyMessage(record.message), partition, offset };
  let outcome: Promise<void>;
  try {
    outcome = Promise.resolve(member.options.onMessage(delivered));
  } catch (error) {
    outcome = Promise.reject(error);
  }
  outcome.then(
    () => complete(ctx, cursor, member, generation, record, true),
    () => complete(ctx, cursor, member, generation, record, false),
  );
}

function complete(ctx: NetworkContext, cursor: Cursor, member: Member, generation: number, record: StoredRecord, ok: boolean): void {
  member.busy -= 1;
  if (member.busy === 0) for (const wake of member.idleWaiters.splice(0)) wake();
  // A crashed member's handler ran on: its outcome is lost with the member.
  if (member.crashed || cursor.handling !== member) return;
  cursor.handling = undefined;
  const now = ctx.scheduler.now();
  if (ok) {
    const next = record.offset + 1n;
    if (cursor.committed !== undefined && next <= cursor.committed) {
      throw new Error(`commit of ${cursor.topic}/${cursor.partition} would go back from ${cursor.committed} to ${next}`);
    }
    cursor.committed = next;
  } else {
    ctx.stats.failed += 1;
    const { partition, offset } = record;
    const { memberId, nodeId } = member;
    const where = { topic: cursor.topic, partition, offset, groupId: member.options.groupId, memberId, nodeId };
    ctx.trace?.({ kind: 'failed', atMs: now, ...where, messageId: record.message.id });
  }
  if (cursor.generation !== generation) {
    cursor.position = startPosition(cursor);
    pump(ctx, cursor);
    return;
  }
  if (ok) {
    cursor.position = record.offset + 1n;
    pump(ctx, cursor);
    return;
  }
  cursor.task = ctx.scheduler.schedule(now + ctx.retryDelayMs, () => deliver(ctx, cursor, member, generation), 'redeliver');
}

function moveCursor(ctx: NetworkContext, cursor: Cursor, owner: Member | undefined): void {
  if (cursor.task !== undefined) ctx.scheduler.cancel(cursor.task);
  cursor.task = undefined;
  cursor.owner = owner;
  cursor.generation += 1;
  // A cursor whose record is being handled finds its new position when the handler completes.
  if (cursor.handling === undefined) {
    cursor.position = startPosition(cursor);
    pump(ctx, cursor);
  }
}

function newCursor(ctx: NetworkContext, groupId: string, topic: string, partition: number, log: PartitionLog): Cursor {
  const path = [groupId, topic, String(partition)];
  return {
    topic,
    partition,
    log,
    latency: path.reduce((r, label) => r.fork(label), ctx.latencyRandom.fork('deliver')),
    deliveryDelayMs: ctx.faults.deliveryDelay(path),
    committed: undefined,
    position: 0n,
    owner: undefined,
    generation: 0,
    handling: undefined,
    task: undefined,
  };
}

/** Recomputes the group's assignment (range assignor, join order) and moves cursors to their owners */
export function rebalance(ctx: NetworkContext, group: Group, logsOf: (topic: string) => readonly PartitionLog[]): void {
  const members = group.members.map((m) => ({ memberId: m.memberId, topics: m.options.topics }));
  const assignment = rangeAssign(members, (topic) => logsOf(topic).length);
  const owners = new Map<string, Member>();
  for (const member of group.members) {
    member.assignment = assignment.get(member.memberId)!;
    for (const [topic, partitions] of member.assignment) {
      for (const partition of partitions) {
        const key = `${topic}/${partition}`;
        owners.set(key, member);
        if (!group.cursors.has(key)) {
          const cursor = newCursor(ctx, group.groupId, topic, partition, logsOf(topic)[partition]!);
          group.cursors.set(key, cursor);
          cursor.log.cursors.push(cursor);
        }
      }
    }
  }
  // Map iteration is insertion order, so the order of scheduling (and of latency draws) is fixed.
  for (const [key, cursor] of group.cursors) {
    const owner = owners.get(key);
    if (cursor.owner !== owner) moveCursor(ctx, cursor, owner);
  }
}

/**
 * Removes a crashed member at once: nothing it was handling is committed, its records go to the new
 * owners from the committed offsets, without waiting for its handlers.
 */
export function crashMember(ctx: NetworkContext, group: Group, member: Member, logsOf: (topic: string) => readonly PartitionLog[]): void {
  member.crashed = true;
  member.active = false;
  member.assignment = new Map();
  const index = group.members.indexOf(member);
  if (index >= 0) group.members.splice(index, 1);
  for (const cursor of group.cursors.values()) {
    if (cursor.handling === member) {
      cursor.handling = undefined;
      cursor.generation += 1; // forces a fresh start position on the next move or pump
      cursor.position = startPosition(cursor);
    }
  }
  for (const wake of member.idleWaiters.splice(0)) wake();
  rebalance(ctx, group, logsOf);
  // Cursors the crash released but whose owner did not change still need a new delivery.
  for (const cursor of group.cursors.values()) pump(ctx, cursor);
}
