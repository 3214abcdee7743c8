/**
 * The PostgreSQL ledger's tables, one ledger per schema (`?schema=` in the store URL). Every name
 * is schema-qualified (no `search_path` games with pooled connections).
 *
 * The gap problem (INFRA.md): a global reader must never return position p while a transaction
 * holding a smaller position can still commit. Our answer, in two parts:
 *  1. every row records its writer's transaction id (`xid8`), and `readAll` returns only rows
 *     whose transaction is older than the oldest one still running
 *     (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`): such rows can no longer change;
 *  2. `reserve_positions` hands out the transaction id and the positions together, under a
 *     short session advisory lock, so transaction ids and positions grow in the same order.
 *     Without (2) an older transaction could take a *larger* position and (1) would let a reader
 *     run past a smaller one still in flight.
 * So a reader stops at the first position whose transaction might still commit, and a single
 * bigint checkpoint stays valid. The price: any long transaction holding an xid on the server
 * (in any schema) delays readers until it ends — delays, never skips. Writers are serialised only for the instant of reserving (not
 * until commit, as a per-store transaction lock would): concurrent appends to different streams
 * still overlap.
 */
import type { Pool } from 'pg';
import { StoreUnavailable } from '../../domain/ports/eventStoreErrors';

/** Quoted, validated schema name (the URL parser allows only `[a-z_][a-z0-9_]*`). */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`schema name ${schema} is not a plain identifier`);
  return `"${schema}"`;
}

/** Two int4 advisory-lock keys for a schema: a constant class and a hash of the name. */
export function lockKeys(schema: string): readonly [number, number] {
  let hash = 0x811c9dc5;
  for (const char of schema) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return [0x50484c41, hash | 0];
}

function ddl(schema: string): string {
  const s = quoteSchema(schema);
  const [classKey, objectKey] = lockKeys(schema);
  // no CHECK constraints on version or metadata: decoding on read judges rows (CorruptRecord)
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.streams (
  stream_id text PRIMARY KEY,
  version bigint NOT NULL
);
CREATE SEQUENCE IF NOT EXISTS ${s}.global_position_seq;
CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  version bigint NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  data bytea NOT NULL,
  metadata text NOT NULL,
  UNIQUE (stream_id, version)
);
CREATE OR REPLACE FUNCTION ${s}.reserve_positions(how_many integer) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_lock(${classKey}, ${objectKey});
  PERFORM pg_current_xact_id();
  RETURN QUERY SELECT nextval('${s}.global_position_seq') FROM generate_series(1, how_many);
  PERFORM pg_advisory_unlock(${classKey}, ${objectKey});
END
$fn$;
`;
}

/** Checks the schema's tables, creating them when `create`; throws `StoreUnavailable` otherwise. */
export async function openPostgresLedger(pool: Pool, schema: string, display: string, create: boolean): Promise<void> {
  const found = await pool.query<{ events: string | null }>('SELECT to_regclass($1) AS events', [
    `${quoteSchema(schema)}.events`,
  ]);
  if (found.rows[0]?.events) return;
  if (!create) {
    throw new StoreUnavailable(`${display}: schema "${schema}" holds no phalanet ledger`, false);
  }
  await runLockedDdl(pool, schema, ddl(schema));
}

/**
 * Runs `sql` (idempotent DDL) in one transaction under the schema's creation lock: two processes
 * creating the same tables at once would race on `CREATE … IF NOT EXISTS` (the catalog's unique
 * index). The ledger's tables and the cluster's (lease, fencing, outbox) all go through here.
 */
export async function runLockedDdl(pool: Pool, schema: string, sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [...lockKeys(schema)]);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
