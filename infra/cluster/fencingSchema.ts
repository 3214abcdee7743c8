/**
 * The cluster's tables beside the PostgreSQL ledger, in the same schema so that one transaction
 * covers the events, the partition's ownership row and the outbox (issue 8, item 2).
 *
 * * `partition_owners`: one row per inbox partition: the owning node, its epoch (bumped by every
 *   claim) and the last Kafka offset whose effects are committed here. This row, not Kafka's
 *   group assignment, decides who may write: Kafka's assignment is only a hint.
 * * `outbox`: messages a processing transaction wants sent; a relay publishes them and stamps
 *   `sent_at` (at-least-once: consumers dedupe by `message_id`).
 */
import { Pool } from 'pg';
import { postgresFailure } from '../store/postgresEventStore';
import { openPostgresLedger, quoteSchema, runLockedDdl } from '../store/postgresSchema';

function ddl(schema: string): string {
  const s = quoteSchema(schema);
  return `
CREATE TABLE IF NOT EXISTS ${s}.partition_owners (
  topic text NOT NULL,
  partition integer NOT NULL,
  owner text NOT NULL,
  epoch bigint NOT NULL,
  applied_offset bigint NOT NULL DEFAULT -1,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition)
);
CREATE TABLE IF NOT EXISTS ${s}.outbox (
  id bigserial PRIMARY KEY,
  source_topic text NOT NULL,
  source_partition integer NOT NULL,
  topic text NOT NULL,
  key text NOT NULL,
  value bytea NOT NULL,
  message_id text NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unsent ON ${s}.outbox (source_topic, source_partition, id) WHERE sent_at IS NULL;
`;
}

/** Creates the ledger (if missing) and the cluster tables in `schema`; idempotent and race-free. */
export async function openFencingTables(pool: Pool, schema: string, display: string): Promise<void> {
  await openPostgresLedger(pool, schema, display, true);
  await runLockedDdl(pool, schema, ddl(schema));
}

/** One connection pool to the cluster's schema, shared by fencing and the outbox relay */
export interface ClusterDatabase {
  readonly pool: Pool;
  readonly schema: string;
  /** the URL without password, for messages */
  readonly display: string;
  close(): Promise<void>;
}

/** Where the cluster's tables live: the same database and schema as the PostgreSQL ledger */
export interface ClusterDatabaseOptions {
  readonly connectionString: string;
  readonly schema: string;
  readonly display: string;
  readonly poolSize?: number;
  readonly connectTimeoutMs?: number;
  /**
   * how long the server lets a transaction sit idle before it ends the session; default 10 000 ms.
   * A node paused inside a processing transaction holds its partition's ownership row lock, and
   * the next owner's claim queues behind it: this bound frees the row (and rolls the zombie back).
   */
  readonly idleInTransactionTimeoutMs?: number;
}

/** Connects and creates the tables; throws `StoreUnavailable` (with `retriable`) when it cannot. */
export async function openClusterDatabase(options: ClusterDatabaseOptions): Promise<ClusterDatabase> {
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    idleTimeoutMillis: 10_000,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 10_000,
  });
  // an idle client losing its server must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  try {
    await openFencingTables(pool, options.schema, options.display);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresFailure(error, options.display);
  }
  let closed = false;
  return {
    pool,
    schema: options.schema,
    display: options.display,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
