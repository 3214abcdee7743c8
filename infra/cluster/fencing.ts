/**
 * Fencing of partition owners in PostgreSQL (issue 8, item 2). Kafka's group assignment is only a
 * hint: a node paused past its session timeout, or cut off from Kafka but not from PostgreSQL,
 * still believes it owns its partitions. So every processing transaction starts by locking the
 * partition's ownership row and checking the caller's epoch; a claim by another node bumps the
 * epoch, and from its commit on the old owner's transactions are refused (`Fenced`) with nothing
 * of them written. The same transaction appends the events (per-stream expected versions),
 * records the applied Kafka offset and writes the outbox, so the offset in PostgreSQL is the
 * source of truth for where consumption resumes, and a replayed message is skipped.
 */
import type { PoolClient } from 'pg';
import type { BusMessage } from '../../domain/ports/bus';
import type { AppendResult, EventData, ExpectedVersion } from '../../domain/ports/eventStore';
import { EventStoreError, FencedWrite } from '../../domain/ports/eventStoreErrors';
import { appendInTransaction, postgresFailure } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';
import type { ClusterDatabase } from './fencingSchema';

/** A node's right to write for one partition, as granted by its claim */
export interface PartitionLease {
  readonly topic: string;
  readonly partition: number;
  readonly node: string;
  readonly epoch: bigint;
  /** last offset applied when the claim was made (-1n: none); consumption resumes after it */
  readonly appliedOffset: bigint;
}

/**
 * A write refused because the caller no longer owns the partition; nothing of it was written. The
 * partition's kind of {@link FencedWrite} (the producer lease's is the other): whoever handles a
 * fenced write handles this one.
 */
export class Fenced extends FencedWrite {
  constructor(
    readonly lease: PartitionLease,
    readonly current: { readonly owner: string; readonly epoch: bigint } | undefined,
  ) {
    const holder = current === undefined ? 'nobody has claimed it' : `${current.owner} holds epoch ${current.epoch}`;
    const where = `partition ${lease.topic}/${lease.partition}`;
    const detail = `node ${lease.node} wrote with epoch ${lease.epoch}, but ${holder}`;
    super(where, detail, `${where}: ${detail}; this node no longer owns the partition and must drop it`);
  }
}

/** What a processing transaction may do besides reading */
export interface FencedTransaction {
  readonly lease: PartitionLease;
  /** the offset being applied */
  readonly offset: bigint;
  append(stream: string, events: readonly EventData[], expected: ExpectedVersion): Promise<AppendResult>;
  /** queues messages for the outbox (written at commit, published by the relay) */
  send(messages: readonly BusMessage[]): void;
}

/** The outcome of `apply`: done now, or skipped as already applied */
export type Applied<T> = { readonly status: 'applied'; readonly result: T } | { readonly status: 'skipped'; readonly appliedOffset: bigint };

/** A partition's ownership row */
export interface OwnerRow {
  readonly partition: number;
  readonly owner: string;
  readonly epoch: bigint;
  readonly appliedOffset: bigint;
}

/** Claims and fenced transactions over the cluster's tables */
export interface PartitionFencing {
  /** makes `node` the owner of the partition with a new epoch (the previous one + 1) */
  claim(topic: string, partition: number, node: string): Promise<PartitionLease>;
  /**
   * Runs `work` in one transaction fenced by `lease`, for the message at `offset`: refused with
   * `Fenced` if the lease's epoch is no longer current, skipped if `offset` was applied already.
   */
  apply<T>(lease: PartitionLease, offset: bigint, work: (tx: FencedTransaction) => Promise<T>): Promise<Applied<T>>;
  /**
   * Runs `work` in one transaction fenced by `lease` that applies no message (a final checkpoint
   * before a node leaves): refused with `Fenced` like `apply`; the applied offset is unchanged.
   */
  write<T>(lease: PartitionLease, work: (tx: FencedTransaction) => Promise<T>): Promise<T>;
  /** ownership rows of a topic, by partition */
  owners(topic: string): Promise<OwnerRow[]>;
}

function sqlFor(schema: string) {
  const s = quoteSchema(schema);
  return {
    claim: `INSERT INTO ${s}.partition_owners AS o (topic, partition, owner, epoch) VALUES ($1, $2, $3, 1)
      ON CONFLICT (topic, partition) DO UPDATE SET owner = excluded.owner, epoch = o.epoch + 1, claimed_at = now()
      RETURNING epoch, applied_offset`,
    lock: `SELECT owner, epoch, applied_offset FROM ${s}.partition_owners WHERE topic = $1 AND partition = $2 FOR UPDATE`,
    applied: `UPDATE ${s}.partition_owners SET applied_offset = $3 WHERE topic = $1 AND partition = $2`,
    outbox: `INSERT INTO ${s}.outbox (source_topic, source_partition, topic, key, value, message_id, headers)
      SELECT $1, $2, t, k, v, i, h::jsonb FROM unnest($3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[]) AS x(t, k, v, i, h)`,
    owners: `SELECT partition, owner, epoch, applied_offset FROM ${s}.partition_owners WHERE topic = $1 ORDER BY partition`,
  };
}

type Sql = ReturnType<typeof sqlFor>;

/** Marks an error thrown by the caller's work, so that it passes through unchanged */
class WorkFailed {
  constructor(readonly error: unknown) {}
}

/** Inside an open transaction: the lease is current and the offset new, or why not */
async function checkLease(client: PoolClient, sql: Sql, lease: PartitionLease, offset: bigint | undefined): Promise<bigint | 'new'> {
  const { rows } = await client.query<{ owner: string; epoch: string; applied_offset: string }>(sql.lock, [lease.topic, lease.partition]);
  const row = rows[0];
  if (row === undefined) throw new Fenced(lease, undefined);
  const current = { owner: row.owner, epoch: BigInt(row.epoch) };
  if (current.epoch !== lease.epoch || current.owner !== lease.node) throw new Fenced(lease, current);
  const applied = BigInt(row.applied_offset);
  return offset !== undefined && offset <= applied ? applied : 'new';
}

async function writeOutbox(client: PoolClient, sql: Sql, lease: PartitionLease, messages: readonly BusMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await client.query(sql.outbox, [
    lease.topic,
    lease.partition,
    messages.map((m) => m.topic),
    messages.map((m) => m.key),
    messages.map((m) => Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength)),
    messages.map((m) => m.id),
    messages.map((m) => JSON.stringify(m.headers ?? {})),
  ]);
}

/** `offset` undefined: a write that applies no message (the applied offset stays). */
async function applyIn<T>(client: PoolClient, db: ClusterDatabase, sql: Sql, lease: PartitionLease, offset: bigint | undefined, work: (tx: FencedTransaction) => Promise<T>): Promise<Applied<T>> {
  const checked = await checkLease(client, sql, lease, offset);
  if (checked !== 'new') return { status: 'skipped', appliedOffset: checked };
  const outgoing: BusMessage[] = [];
  const where = `${db.display}: partition ${lease.topic}/${lease.partition}: append`;
  const tx: FencedTransaction = {
    lease,
    offset: offset ?? BigInt(lease.appliedOffset),
    append: (stream, events, expected) => appendInTransaction(client, db.schema, stream, events, expected).catch((error: unknown) => {
      throw postgresFailure(error, `${where} to ${stream}`);
    }),
    send: (messages) => void outgoing.push(...messages),
  };
  let result: T;
  try {
    result = await work(tx);
  } catch (error) {
    throw new WorkFailed(error);
  }
  await writeOutbox(client, sql, lease, outgoing);
  if (offset !== undefined) await client.query(sql.applied, [lease.topic, lease.partition, offset.toString()]);
  return { status: 'applied', result };
}

/** Claims and fenced transactions on `db` (see the file's comment). */
export function partitionFencing(db: ClusterDatabase): PartitionFencing {
  const sql = sqlFor(db.schema);
  const where = (topic: string, partition: number) => `${db.display}: partition ${topic}/${partition}`;
  const fencedTransaction = async <T>(lease: PartitionLease, offset: bigint | undefined, work: (tx: FencedTransaction) => Promise<T>): Promise<Applied<T>> => {
    const client = await db.pool.connect().catch((error: unknown) => {
      throw postgresFailure(error, `${where(lease.topic, lease.partition)}: ${offset === undefined ? 'fenced write' : `apply offset ${offset}`}`);
    });
    let broken: unknown;
    // the server may end the session while it is ours (idle-in-transaction timeout, restart):
    // the failure reaches the next query; unlistened, the client's error event would crash us
    const onError = (error: unknown) => void (broken ??= error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const outcome = await applyIn(client, db, sql, lease, offset, work);
      await client.query(outcome.status === 'applied' ? 'COMMIT' : 'ROLLBACK');
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      // a driver error may have left reserve_positions' session lock held: drop that connection
      // (the caller's own failures too: one may hide a driver error inside an append)
      if (!(error instanceof EventStoreError)) broken ??= error;
      if (error instanceof WorkFailed) throw error.error;
      if (error instanceof Fenced) throw error;
      throw postgresFailure(error, `${where(lease.topic, lease.partition)}: ${offset === undefined ? 'fenced write' : `apply offset ${offset}`}`);
    } finally {
      client.removeListener('error', onError);
      client.release(broken !== undefined);
    }
  };
  return {
    async claim(topic, partition, node) {
      try {
        const { rows } = await db.pool.query<{ epoch: string; applied_offset: string }>(sql.claim, [topic, partition, node]);
        return { topic, partition, node, epoch: BigInt(rows[0]!.epoch), appliedOffset: BigInt(rows[0]!.applied_offset) };
      } catch (error) {
        throw postgresFailure(error, `${where(topic, partition)}: claim`);
      }
    },
    apply: (lease, offset, work) => fencedTransaction(lease, offset, work),
    async write(lease, work) {
      const outcome = await fencedTransaction(lease, undefined, work);
      if (outcome.status !== 'applied') throw new Error('a fenced write applies no message, so it cannot be skipped');
      return outcome.result;
    },
    async owners(topic) {
      const { rows } = await db.pool.query<{ partition: number; owner: string; epoch: string; applied_offset: string }>(sql.owners, [topic]);
      return rows.map((r) => ({ partition: r.partition, owner: r.owner, epoch: BigInt(r.epoch), appliedOffset: BigInt(r.applied_offset) }));
    },
  };
}

/**
 * `inner` whose `apply` runs the hook registered for the partition (in `hooks`, by the work) only
 * once the fenced transaction has committed — e.g. to take the stream versions it appended — and
 * drops it either way.
 */
export function withCommitHooks(inner: PartitionFencing, hooks: Map<number, () => void>): PartitionFencing {
  return {
    ...inner,
    async apply(lease, offset, work) {
      try {
        const outcome = await inner.apply(lease, offset, work);
        if (outcome.status === 'applied') hooks.get(lease.partition)?.();
        return outcome;
      } finally {
        hooks.delete(lease.partition);
      }
    },
  };
}
