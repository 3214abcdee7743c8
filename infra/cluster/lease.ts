/**
 * The block producer's lease (issue 8 item 3): one row — holder node id, epoch, expiry on the
 * database clock. A node may take it only when it is free or expired, and every taking bumps the
 * epoch; only the holder renews it, with its epoch, and only before it expires (an expired lease
 * is never revived under the same epoch: its holder must take it again, epoch + 1).
 *
 * Why a row and not a session advisory lock: a paused leader keeps its session, so it keeps an
 * advisory lock and, once resumed, would write as if nothing happened. Here the right to write is
 * checked by `fence()` *inside* the block-append transaction, together with the `chain` stream's
 * expected version: the fence takes the lease row `FOR SHARE`, so a new holder's taking (an
 * UPDATE of that row) waits until an old holder's append in flight has committed or rolled back —
 * every block of epoch e commits before epoch e + 1 exists. A paused leader inside its append
 * would hold that row lock: `idle_in_transaction_session_timeout` (set by the fence) makes the
 * server end such a session, so a takeover waits at most that long.
 */
import type { Pool } from 'pg';
import { FencedWrite } from '../../domain/ports/eventStoreErrors';
import type { AppendFence } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';

/** A lease this node holds: its epoch and when it ends (local monotonic ms, conservatively early). */
export interface HeldLease {
  readonly epoch: bigint;
  /** `performance.now()` by which the lease may have expired on the database clock */
  readonly validUntil: number;
}

/** The lease row as it stands. */
export interface LeaseView {
  readonly holder: string | undefined;
  readonly epoch: bigint;
  /** ms until expiry on the database clock (≤ 0: expired or released) */
  readonly remainingMs: number;
}

/** Options of `producerLease`. */
export interface ProducerLeaseOptions {
  readonly pool: Pool;
  readonly schema: string;
  readonly nodeId: string;
  readonly ttlMs: number;
  /** the row's name; default `producer` */
  readonly name?: string;
  /** the local clock the validity is measured on; default `performance.now` */
  readonly now?: () => number;
}

/** A node's handle on the lease. */
export interface ProducerLease {
  /** takes the lease when free or expired (epoch + 1); `undefined` while another node holds it */
  acquire(): Promise<HeldLease | undefined>;
  /** extends the held lease; `undefined` if it expired or another node took it */
  renew(held: HeldLease): Promise<HeldLease | undefined>;
  /** gives the lease up (SIGTERM) so that a standby takes over at once; no-op if not held */
  release(held: HeldLease): Promise<void>;
  /** the row, or `undefined` before anyone took it */
  read(): Promise<LeaseView | undefined>;
  /** the fence for appends made under `held` (see the file comment) */
  fence(held: HeldLease, stream: string): AppendFence;
}

interface LeaseRow extends Record<string, unknown> {
  readonly holder: string | null;
  readonly epoch: string;
  readonly remaining_ms: number;
}

function sqlFor(schema: string) {
  const t = `${quoteSchema(schema)}.producer_lease`;
  const remaining = `(extract(epoch FROM (expires_at - clock_timestamp())) * 1000)::float8 AS remaining_ms`;
  return {
    acquire: `INSERT INTO ${t} AS l (name, holder, epoch, expires_at, acquired_at)
      VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond', clock_timestamp())
      ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, epoch = l.epoch + 1,
        expires_at = EXCLUDED.expires_at, acquired_at = EXCLUDED.acquired_at
      WHERE l.holder IS NULL OR l.expires_at <= clock_timestamp()
      RETURNING holder, epoch, ${remaining}`,
    renew: `UPDATE ${t} SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
      WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > clock_timestamp()
      RETURNING holder, epoch, ${remaining}`,
    release: `UPDATE ${t} SET holder = NULL, expires_at = clock_timestamp() WHERE name = $1 AND holder = $2 AND epoch = $3`,
    read: `SELECT holder, epoch, ${remaining} FROM ${t} WHERE name = $1`,
    fence: `SELECT holder, epoch, ${remaining} FROM ${t} WHERE name = $1 FOR SHARE`,
    idleLimit: `SELECT set_config('idle_in_transaction_session_timeout', $1, true)`,
  };
}

const viewOf = (row: LeaseRow): LeaseView => ({ holder: row.holder ?? undefined, epoch: BigInt(row.epoch), remainingMs: row.remaining_ms });

/** The lease of `nodeId` over the schema's `producer_lease` row (tables: `ensureClusterTables`). */
export function producerLease(options: ProducerLeaseOptions): ProducerLease {
  const { pool, nodeId, ttlMs } = options;
  const name = options.name ?? 'producer';
  const now = options.now ?? (() => performance.now());
  const sql = sqlFor(options.schema);
  // measured from before the request left: the database's expiry can only be later than this
  const held = async (text: string, values: unknown[]): Promise<HeldLease | undefined> => {
    const sent = now();
    const row = (await pool.query<LeaseRow>(text, values)).rows[0];
    if (row === undefined || row.holder !== nodeId) return undefined;
    return { epoch: BigInt(row.epoch), validUntil: sent + Math.min(ttlMs, row.remaining_ms) };
  };
  return {
    acquire: () => held(sql.acquire, [name, nodeId, ttlMs]),
    renew: (lease) => held(sql.renew, [name, nodeId, String(lease.epoch), ttlMs]),
    async release(lease) {
      await pool.query(sql.release, [name, nodeId, String(lease.epoch)]);
    },
    async read() {
      const row = (await pool.query<LeaseRow>(sql.read, [name])).rows[0];
      return row === undefined ? undefined : viewOf(row);
    },
    fence: (lease, stream) => async (tx) => {
      await tx.query(sql.idleLimit, [`${Math.max(1000, ttlMs)}ms`]);
      const row = (await tx.query<LeaseRow>(sql.fence, [name]))[0];
      const mine = `producer lease epoch ${lease.epoch} of node ${nodeId}`;
      if (row === undefined) throw new FencedWrite(stream, `${mine} does not exist (no lease row)`);
      const view = viewOf(row);
      if (view.holder !== nodeId || view.epoch !== lease.epoch) {
        throw new FencedWrite(stream, `${mine} is no longer held (now ${view.holder ?? 'no holder'}, epoch ${view.epoch}); this node stops producing`);
      }
      if (view.remainingMs <= 0) throw new FencedWrite(stream, `${mine} expired ${Math.round(-view.remainingMs)} ms ago; this node stops producing`);
    },
  };
}
