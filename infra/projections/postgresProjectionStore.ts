/**
 * PostgreSQL projection store: the read models of the ledger in schema `S` live in their own
 * schema (`projections` for a ledger in `public`, `S_projections` otherwise), so a reader never
 * writes the ledger. A transaction buffers its writes (`bufferedWriter.ts`) and commits them in
 * one short SQL transaction; the rebuild lock is a row read and written under `LOCK TABLE … IN
 * EXCLUSIVE MODE`, so two processes cannot both take it.
 */
import { Pool, type PoolClient } from 'pg';
import { type Checkpoint, type Entry, type Json, ProjectionLocked, type ProjectionReader, type ProjectionStore, type RebuildLock, type ScanRange } from '../../projections/store';
import { quoteSchema } from '../store/postgresSchema';
import { type BufferedWrites, bufferedWriter } from './bufferedWriter';
import { parseJsonRow } from './jsonRow';

/** The schema holding the projections of a ledger schema. */
export const projectionsSchemaFor = (ledgerSchema: string): string => (ledgerSchema === 'public' ? 'projections' : `${ledgerSchema}_projections`);

const schemaSql = (s: string) => `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.rows (tbl TEXT NOT NULL, key TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key));
CREATE TABLE IF NOT EXISTS ${s}.checkpoints (name TEXT PRIMARY KEY, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS ${s}.rebuild_lock (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, since_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL);
`;

function scanSql(s: string, tbl: string, range: ScanRange): { sql: string; args: (string | number)[] } {
  const args: (string | number)[] = [tbl];
  const where = ['tbl = $1'];
  const add = (op: string, v: string) => {
    args.push(v);
    where.push(`key ${op} $${args.length}`);
  };
  // "C" collation: keys compare bytewise, like SQLite's and JavaScript's order for ASCII keys
  if (range.prefix !== undefined) {
    add('>=', range.prefix);
    add('<', `${range.prefix}\u{10FFFF}`);
  }
  if (range.after !== undefined) add('>', range.after);
  if (range.before !== undefined) add('<', range.before);
  const limit = range.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(range.limit))}`;
  return { sql: `SELECT key, value FROM ${s}.rows WHERE ${where.join(' AND ')} ORDER BY key ${range.reverse === true ? 'DESC' : 'ASC'}${limit}`, args };
}

async function applyBuffered(client: PoolClient, s: string, b: BufferedWrites): Promise<void> {
  for (const [tbl, c] of b.tables) {
    if (c.cleared) await client.query(`DELETE FROM ${s}.rows WHERE tbl = $1`, [tbl]);
    for (const [key, value] of c.rows) {
      if (value === undefined) await client.query(`DELETE FROM ${s}.rows WHERE tbl = $1 AND key = $2`, [tbl, key]);
      else await client.query(`INSERT INTO ${s}.rows (tbl, key, value) VALUES ($1, $2, $3) ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value`, [tbl, key, JSON.stringify(value)]);
    }
  }
  for (const [name, c] of b.checkpoints) {
    if (c === undefined) await client.query(`DELETE FROM ${s}.checkpoints WHERE name = $1`, [name]);
    else
      await client.query(
        `INSERT INTO ${s}.checkpoints (name, block_number, block_hash, version) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, version = excluded.version`,
        [c.name, c.blockNumber, c.blockHash, c.version],
      );
  }
}

async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const lockOf = (r: { holder: string; since_ms: string; expires_ms: string } | undefined): RebuildLock | undefined =>
  r === undefined ? undefined : { holder: r.holder, sinceMs: Number(r.since_ms), expiresMs: Number(r.expires_ms) };

/** Opens the projection store of the ledger in `ledgerSchema`, creating its schema if needed. */
export async function postgresProjectionStore(options: { connectionString: string; ledgerSchema: string; display: string }): Promise<ProjectionStore> {
  const name = projectionsSchemaFor(options.ledgerSchema);
  const s = quoteSchema(name);
  const pool = new Pool({ connectionString: options.connectionString, max: 4, idleTimeoutMillis: 10_000 });
  pool.on('error', () => undefined);
  await pool.query(schemaSql(s));
  const reader: ProjectionReader = {
    async get(tbl, key) {
      const r = await pool.query<{ value: string }>(`SELECT value FROM ${s}.rows WHERE tbl = $1 AND key = $2`, [tbl, key]);
      return r.rows[0] === undefined ? undefined : parseJsonRow(r.rows[0].value, `${tbl}/${key}`);
    },
    async scan(tbl, range = {}) {
      const { sql, args } = scanSql(s, tbl, range);
      const r = await pool.query<{ key: string; value: string }>(sql, args);
      return r.rows.map((row): Entry => ({ key: row.key, value: parseJsonRow(row.value, `${tbl}/${row.key}`) as Json }));
    },
  };
  const readLock = async (q: Pool | PoolClient) => lockOf((await q.query<{ holder: string; since_ms: string; expires_ms: string }>(`SELECT holder, since_ms, expires_ms FROM ${s}.rebuild_lock WHERE id = 1`)).rows[0]);
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn, fn);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    url: `${options.display} (schema ${name})`,
    ...reader,
    async checkpoint(cpName): Promise<Checkpoint | undefined> {
      const r = await pool.query<{ name: string; block_number: number; block_hash: string; version: number }>(`SELECT name, block_number, block_hash, version FROM ${s}.checkpoints WHERE name = $1`, [cpName]);
      const row = r.rows[0];
      return row === undefined ? undefined : { name: row.name, blockNumber: row.block_number, blockHash: row.block_hash, version: row.version };
    },
    transaction: (fn) =>
      serially(async () => {
        const buffered = bufferedWriter(reader);
        const result = await fn(buffered.writer);
        await inTransaction(pool, (client) => applyBuffered(client, s, buffered));
        return result;
      }),
    rebuildLock: () => readLock(pool),
    acquireRebuildLock: (holder, nowMs, ttlMs) =>
      serially(() =>
        inTransaction(pool, async (client) => {
          await client.query(`LOCK TABLE ${s}.rebuild_lock IN EXCLUSIVE MODE`);
          const held = await readLock(client);
          if (held !== undefined && held.holder !== holder && held.expiresMs > nowMs) throw new ProjectionLocked(held);
          const sinceMs = held !== undefined && held.holder === holder ? held.sinceMs : nowMs;
          await client.query(
            `INSERT INTO ${s}.rebuild_lock (id, holder, since_ms, expires_ms) VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, since_ms = excluded.since_ms, expires_ms = excluded.expires_ms`,
            [holder, sinceMs, nowMs + ttlMs],
          );
          return { holder, sinceMs, expiresMs: nowMs + ttlMs };
        }),
      ),
    releaseRebuildLock: (holder) =>
      serially(async () => {
        await pool.query(`DELETE FROM ${s}.rebuild_lock WHERE id = 1 AND holder = $1`, [holder]);
      }),
    async close() {
      await queue;
      await pool.end();
    },
  };
}
