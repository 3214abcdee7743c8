/**
 * PostgreSQL EventStore: the shared store of cluster mode. One ledger per schema. How the
 * global reader avoids the gap problem is explained in `postgresSchema.ts`.
 *
 * An append is one transaction: reserve positions (which fixes the transaction id), lock the
 * stream's row (`FOR UPDATE`, created on first use), check the expected version, insert the
 * events with one `unnest` statement, move the stream's version. Concurrent appenders to one
 * stream queue on the row lock, so the loser sees the winner's version and gets the typed
 * conflict. An append may carry a fence (`AppendFence`): a check run first in the same
 * transaction, e.g. the producer lease's epoch (`infra/cluster/lease.ts`), so a writer that lost
 * its right to write can never commit — one write path, fenced or not.
 */
import { Pool, type PoolClient } from 'pg';
import type { AllRange, AppendResult, EventData, ExpectedVersion, RecordedEvent, StreamId, StreamRange } from '../../domain/ports/eventStore';
import { EventStoreError, StoreUnavailable } from '../../domain/ports/eventStoreErrors';
import { assertAppendable, checkExpectedVersion, decodeEventRow, describeError, encodeMetadata } from './eventRows';
import type { InspectableEventStore } from './inspectable';
import { pagedReadAll, pagedReadStream } from './paging';
import { pollingSubscription, subscriptionSet, wakeSignal } from './pollingSubscription';
import { openPostgresLedger, quoteSchema } from './postgresSchema';

/** Where and how to connect (see `StoreUrl`). */
export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  readonly schema: string;
  /** the URL without password, for `url` and messages */
  readonly display: string;
  /** create the schema's tables if missing; default true */
  readonly create?: boolean;
  readonly connectTimeoutMs?: number;
  readonly poolSize?: number;
  readonly pollIntervalMs?: number;
  /** test hook: called whenever a subscription has delivered everything it may and goes idle */
  readonly onSubscriptionIdle?: () => void;
}

/** What a fence may do inside the append's transaction: run statements on its connection. */
export interface FenceTransaction {
  query<R extends Record<string, unknown>>(text: string, values: readonly unknown[]): Promise<R[]>;
}

/**
 * A condition checked inside the append's own transaction, before anything is written (a lease
 * epoch, a partition owner): it throws (`FencedWrite`) to refuse, and then nothing is written.
 * Whatever rows it locks stay locked until the append commits, so the condition still holds at
 * commit — the point of checking it here rather than before the append.
 */
export type AppendFence = (tx: FenceTransaction) => Promise<void>;

/** Options of one append beyond the port's. */
export interface PostgresAppendOptions {
  readonly fence?: AppendFence;
}

/** The PostgreSQL store: the port, plus appends fenced in the same transaction. */
export interface PostgresEventStore extends InspectableEventStore {
  append(stream: StreamId, events: readonly EventData[], expected: ExpectedVersion, options?: PostgresAppendOptions): Promise<AppendResult>;
}

// SQLSTATE classes worth retrying: connection (08), serialization/deadlock (40), resources (53),
// operator intervention such as a restart (57).
const retriableStates = /^(08|40|53|57)/;
const retriableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Maps a driver error to `StoreUnavailable`; the port's own errors pass through unchanged. */
export function postgresFailure(error: unknown, where: string): unknown {
  if (error instanceof EventStoreError) return error;
  // duck-typed: driver errors may come from another realm (jest's sandbox), failing instanceof
  const { message, code } = describeError(error);
  const retriable =
    retriableStates.test(code) || retriableCodes.has(code) || /timeout|terminated|Connection/i.test(message);
  const reason = message || code || 'unknown error';
  return new StoreUnavailable(`${where}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ''}`, retriable);
}

function decodeRow(row: Record<string, unknown>): RecordedEvent {
  return decodeEventRow({
    globalPosition: row.global_position,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
  });
}

function sqlFor(schema: string) {
  const s = quoteSchema(schema);
  const columns = 'global_position, stream_id, version, type, schema_version, data, metadata';
  return {
    reserve: `SELECT ${s}.reserve_positions($1) AS position`,
    ensureStream: `INSERT INTO ${s}.streams (stream_id, version) VALUES ($1, -1) ON CONFLICT (stream_id) DO NOTHING`,
    lockStream: `SELECT version FROM ${s}.streams WHERE stream_id = $1 FOR UPDATE`,
    insert: `INSERT INTO ${s}.events (global_position, stream_id, version, type, schema_version, data, metadata)
      SELECT p, $1, v, t, sv, d, m FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::int[], $6::bytea[], $7::text[]) AS x(p, v, t, sv, d, m)`,
    setVersion: `UPDATE ${s}.streams SET version = $2 WHERE stream_id = $1`,
    streamVersion: `SELECT version FROM ${s}.streams WHERE stream_id = $1 AND version >= 0`,
    readStream: `SELECT ${columns} FROM ${s}.events WHERE stream_id = $1 AND version >= $2 AND version <= $3 ORDER BY version LIMIT $4`,
    // only rows whose transaction is older than every running one: see postgresSchema.ts
    readAll: `SELECT ${columns} FROM ${s}.events
      WHERE global_position > $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY global_position LIMIT $2`,
    head: `SELECT coalesce(max(global_position), 0) AS head FROM ${s}.events`,
    stats: `SELECT (SELECT count(*) FROM ${s}.streams WHERE version >= 0) AS streams, (SELECT count(*) FROM ${s}.events) AS events`,
  };
}

type Sql = ReturnType<typeof sqlFor>;

async function appendIn(client: PoolClient, sql: Sql, stream: string, events: readonly EventData[], expected: ExpectedVersion) {
  const reserved = await client.query<{ position: string }>(sql.reserve, [events.length]);
  const positions = reserved.rows.map((r) => BigInt(r.position)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await client.query(sql.ensureStream, [stream]);
  const locked = await client.query<{ version: string }>(sql.lockStream, [stream]);
  const stored = Number(locked.rows[0]!.version);
  checkExpectedVersion(stream, expected, stored < 0 ? undefined : stored);
  const versions = events.map((_, i) => stored + 1 + i);
  await client.query(sql.insert, [
    stream,
    positions.map(String),
    versions,
    events.map((e) => e.type),
    events.map((e) => e.schemaVersion),
    events.map((e) => e.data),
    events.map((e) => encodeMetadata(e.metadata)),
  ]);
  const version = versions[versions.length - 1]!;
  await client.query(sql.setVersion, [stream, version]);
  return { version, globalPosition: positions[positions.length - 1]! };
}

/**
 * Appends inside a transaction the caller has open on `client` (BEGIN already sent; the caller
 * commits or rolls back): the cluster's fenced processing transaction (`infra/cluster/fencing.ts`)
 * writes its events, its ownership row and its outbox in one commit. Same checks and errors as
 * `append`, except that driver failures are not mapped. A caller whose transaction fails with a
 * driver error must discard the connection (`release(true)`): `reserve_positions` may have left
 * its session lock held.
 */
export async function appendInTransaction(
  client: PoolClient,
  schema: string,
  stream: string,
  events: readonly EventData[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  assertAppendable(stream, events, expected);
  return appendIn(client, sqlFor(schema), stream, events, expected);
}

/** Runs one append transaction on a pooled connection; a connection in doubt is discarded. */
async function appendWithPool(
  pool: Pool,
  sql: Sql,
  display: string,
  stream: string,
  events: readonly EventData[],
  expected: ExpectedVersion,
  fence: AppendFence | undefined,
) {
  const client = await pool.connect().catch((error: unknown) => {
    throw postgresFailure(error, `${display}: append to ${stream}`);
  });
  let broken: unknown;
  try {
    await client.query('BEGIN');
    if (fence !== undefined) await fence({ query: async (text, values) => (await client.query(text, [...values])).rows });
    const result = await appendIn(client, sql, stream, events, expected);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError;
    });
    // an error inside reserve_positions could leave its session lock held: drop that connection
    if (!(error instanceof EventStoreError)) broken ??= error;
    throw postgresFailure(error, `${display}: append to ${stream}`);
  } finally {
    client.release(broken !== undefined);
  }
}

/** Connects, checks (or with `create`, creates) the schema's ledger; throws `StoreUnavailable`. */
export async function postgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const { display, schema } = options;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 10_000,
  });
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  try {
    await openPostgresLedger(pool, schema, display, options.create ?? true);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresFailure(error, display);
  }
  const sql = sqlFor(schema);
  const wake = wakeSignal();
  const subscriptions = subscriptionSet();
  let closed = false;
  const query = async <R extends Record<string, unknown>>(where: string, text: string, values: unknown[]) => {
    try {
      return (await pool.query<R>(text, values)).rows;
    } catch (error) {
      throw postgresFailure(error, `${display}: ${where}`);
    }
  };
  const readBatch = async (afterPosition: bigint, maxCount: number) =>
    (await query('read all', sql.readAll, [String(afterPosition), maxCount])).map(decodeRow);
  const headPosition = async () => BigInt((await query<{ head: string }>('head position', sql.head, []))[0]!.head);
  const streamVersion = async (stream: string) => {
    const rows = await query<{ version: string }>('stream version', sql.streamVersion, [stream]);
    return rows[0] === undefined ? undefined : Number(rows[0].version);
  };

  return {
    url: display,
    async append(stream, events, expected, appendOptions?: PostgresAppendOptions) {
      assertAppendable(stream, events, expected);
      const result = await appendWithPool(pool, sql, display, stream, events, expected, appendOptions?.fence);
      wake.notify();
      return result;
    },
    streamVersion,
    readStream: async function* (stream: string, range?: StreamRange) {
      const current = await streamVersion(stream);
      yield* pagedReadStream(stream, range, current, async (from, to, maxCount) =>
        (await query(`read ${stream}`, sql.readStream, [stream, from, to, maxCount])).map(decodeRow),
      );
    },
    readAll: (range: AllRange = {}) => pagedReadAll(range, readBatch),
    subscribeAll: (subscribe) =>
      subscriptions.add(
        pollingSubscription({ readBatch, headPosition, wake }, subscribe, {
          pollIntervalMs: options.pollIntervalMs ?? 50,
          ...(options.onSubscriptionIdle ? { onIdle: options.onSubscriptionIdle } : {}),
        }),
      ),
    headPosition,
    async stats() {
      const [row] = await query<{ streams: string; events: string }>('stats', sql.stats, []);
      return { streams: Number(row!.streams), events: Number(row!.events) };
    },
    async close() {
      if (closed) return;
      closed = true;
      await subscriptions.stopAll();
      await pool.end();
    },
  };
}
