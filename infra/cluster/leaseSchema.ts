/**
 * The cluster's coordination tables, beside the ledger in the same PostgreSQL schema: the
 * producer lease (one row per lease name) and the node registry (one row per live node id).
 * Every time in them is the database's clock (`now()`, `clock_timestamp()`), never a node's:
 * nodes' clocks may disagree, the one server's clock is the single reference.
 */
import type { Pool } from 'pg';
import { quoteSchema, runLockedDdl } from '../store/postgresSchema';

function ddl(schema: string): string {
  const s = quoteSchema(schema);
  return `
CREATE TABLE IF NOT EXISTS ${s}.producer_lease (
  name text PRIMARY KEY,
  holder text,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  acquired_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.cluster_nodes (
  node_id text PRIMARY KEY,
  instance text NOT NULL,
  roles text NOT NULL,
  http text NOT NULL,
  started_at timestamptz NOT NULL,
  heartbeat_at timestamptz NOT NULL,
  ttl_ms integer NOT NULL
);
`;
}

/**
 * Creates the tables when missing. The ledger's schema must exist (open the event store first).
 * Serialised with the ledger's own creation lock: concurrent `CREATE TABLE IF NOT EXISTS` of
 * one table can fail on the catalog's unique index.
 */
export async function ensureClusterTables(pool: Pool, schema: string): Promise<void> {
  await runLockedDdl(pool, schema, ddl(schema));
}
