/**
 * SQLite projection store: a sibling file of the ledger (`<ledger>.projections.db`), WAL, so that
 * readers of the read models never open the ledger for writing. Rows are JSON text in one
 * `(tbl, key)` table; transactions are `BEGIN IMMEDIATE … COMMIT` (SQLite's single writer lock),
 * and the rebuild lock is a row taken inside such a transaction, so two processes cannot both
 * believe they hold it.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type Checkpoint,
  type Entry,
  type Json,
  ProjectionLocked,
  type ProjectionStore,
  type ProjectionWriter,
  type RebuildLock,
  type ScanRange,
} from '../../projections/store';
import { parseJsonRow } from './jsonRow';

const schema = `
CREATE TABLE IF NOT EXISTS rows (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rebuild_lock (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, since_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
`;

/** The projection file beside a SQLite ledger file. */
export const projectionsPathFor = (ledgerPath: string): string => `${ledgerPath}.projections.db`;

// every byte of an ASCII key sorts below this, so `prefix + TOP` bounds a prefix scan
const TOP = '\u{10FFFF}';

function scanSql(range: ScanRange): { sql: string; args: string[] } {
  const where = ['tbl = ?'];
  const args: string[] = [];
  if (range.prefix !== undefined) {
    where.push('key >= ?', 'key < ?');
    args.push(range.prefix, range.prefix + TOP);
  }
  if (range.after !== undefined) {
    where.push('key > ?');
    args.push(range.after);
  }
  if (range.before !== undefined) {
    where.push('key < ?');
    args.push(range.before);
  }
  const limit = range.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(range.limit))}`;
  return { sql: `SELECT key, value FROM rows WHERE ${where.join(' AND ')} ORDER BY key ${range.reverse === true ? 'DESC' : 'ASC'}${limit}`, args };
}

type CheckpointRow = { name: string; block_number: number; block_hash: string; version: number };
type LockRow = { holder: string; since_ms: number; expires_ms: number };

/** Opens (creating if needed) a projection store file; its directory must exist. */
export function sqliteProjectionStore(path: string, options: { busyTimeoutMs?: number } = {}): ProjectionStore {
  if (!existsSync(dirname(path))) throw new Error(`projection store ${path}: directory ${dirname(path)} does not exist`);
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  db.pragma('journal_mode = WAL');
  db.exec(schema);
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = cache.get(sql);
    if (s === undefined) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const get = async (tbl: string, key: string): Promise<Json | undefined> => {
    const row = stmt('SELECT value FROM rows WHERE tbl = ? AND key = ?').get(tbl, key) as { value: string } | undefined;
    return row === undefined ? undefined : parseJsonRow(row.value, `${tbl}/${key}`);
  };
  const scan = async (tbl: string, range: ScanRange = {}): Promise<Entry[]> => {
    const { sql, args } = scanSql(range);
    const rows = stmt(sql).all(tbl, ...args) as { key: string; value: string }[];
    return rows.map((r) => ({ key: r.key, value: parseJsonRow(r.value, `${tbl}/${r.key}`) }));
  };
  const checkpoint = async (name: string): Promise<Checkpoint | undefined> => {
    const r = stmt('SELECT * FROM checkpoints WHERE name = ?').get(name) as CheckpointRow | undefined;
    return r === undefined ? undefined : { name: r.name, blockNumber: r.block_number, blockHash: r.block_hash, version: r.version };
  };
  const writer: ProjectionWriter = {
    get,
    scan,
    async put(tbl, key, value) {
      stmt('INSERT INTO rows (tbl, key, value) VALUES (?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value').run(tbl, key, JSON.stringify(value));
    },
    async delete(tbl, key) {
      stmt('DELETE FROM rows WHERE tbl = ? AND key = ?').run(tbl, key);
    },
    async clear(tbl) {
      stmt('DELETE FROM rows WHERE tbl = ?').run(tbl);
    },
    async setCheckpoint(c) {
      stmt(
        'INSERT INTO checkpoints (name, block_number, block_hash, version) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, version = excluded.version',
      ).run(c.name, c.blockNumber, c.blockHash, c.version);
    },
    async deleteCheckpoint(name) {
      stmt('DELETE FROM checkpoints WHERE name = ?').run(name);
    },
  };
  let queue: Promise<unknown> = Promise.resolve();
  const transaction = <T>(fn: (tx: ProjectionWriter) => Promise<T>): Promise<T> => {
    const run = async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(writer);
        db.exec('COMMIT');
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw error;
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };
  const readLock = (): RebuildLock | undefined => {
    const r = stmt('SELECT holder, since_ms, expires_ms FROM rebuild_lock WHERE id = 1').get() as LockRow | undefined;
    return r === undefined ? undefined : { holder: r.holder, sinceMs: r.since_ms, expiresMs: r.expires_ms };
  };
  // synchronous IMMEDIATE transactions: nothing can run between the read and the write of the
  // lock row, and no await holds SQLite's write lock while another connection waits for it
  const acquire = db.transaction((holder: string, nowMs: number, ttlMs: number): RebuildLock => {
    const held = readLock();
    if (held !== undefined && held.holder !== holder && held.expiresMs > nowMs) throw new ProjectionLocked(held);
    // a renewal keeps the original start, so `since` tells how long the rebuild has run
    const sinceMs = held !== undefined && held.holder === holder ? held.sinceMs : nowMs;
    stmt('INSERT OR REPLACE INTO rebuild_lock (id, holder, since_ms, expires_ms) VALUES (1, ?, ?, ?)').run(holder, sinceMs, nowMs + ttlMs);
    return { holder, sinceMs, expiresMs: nowMs + ttlMs };
  });
  const serially = <T>(fn: () => T): Promise<T> => {
    const result = queue.then(fn, fn);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    url: `sqlite:${path}`,
    get,
    scan,
    checkpoint,
    transaction,
    rebuildLock: async () => readLock(),
    acquireRebuildLock: (holder, nowMs, ttlMs) => serially(() => acquire.immediate(holder, nowMs, ttlMs)),
    releaseRebuildLock: (holder) =>
      serially(() => {
        stmt('DELETE FROM rebuild_lock WHERE id = 1 AND holder = ?').run(holder);
      }),
    async close() {
      await queue;
      db.close();
    },
  };
}
