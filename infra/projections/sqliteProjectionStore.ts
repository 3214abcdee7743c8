/**
 * SQLite projection store: a sibling file of the ledger (`<ledger>.projections.db`), WAL, so that
 * readers of the read models never open the ledger for writing. Rows are JSON text in one
 * `(tbl, key)` table. A transaction buffers its writes and commits them in one synchronous
 * `BEGIN IMMEDIATE` transaction (`sqliteRows.ts`); the rebuild lock is a row read and written
 * inside such a transaction, so two processes cannot both believe they hold it.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type Checkpoint, ProjectionLocked, type ProjectionStore, type ProjectionWriter, type RebuildLock } from '../../projections/store';
import { type BufferedWrites, bufferedWriter } from './bufferedWriter';
import { applyBuffered, sqliteReader } from './sqliteRows';

const schema = `
CREATE TABLE IF NOT EXISTS rows (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, block_number INTEGER NOT NULL, block_hash TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rebuild_lock (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, since_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);
`;

/** The projection file beside a SQLite ledger file. */
export const projectionsPathFor = (ledgerPath: string): string => `${ledgerPath}.projections.db`;

type CheckpointRow = { name: string; block_number: number; block_hash: string; version: number };
type LockRow = { holder: string; since_ms: number; expires_ms: number };

function lockOps(db: Database.Database, statement: (sql: string) => Database.Statement) {
  const read = (): RebuildLock | undefined => {
    const r = statement('SELECT holder, since_ms, expires_ms FROM rebuild_lock WHERE id = 1').get() as LockRow | undefined;
    return r === undefined ? undefined : { holder: r.holder, sinceMs: r.since_ms, expiresMs: r.expires_ms };
  };
  const acquire = db.transaction((holder: string, nowMs: number, ttlMs: number): RebuildLock => {
    const held = read();
    if (held !== undefined && held.holder !== holder && held.expiresMs > nowMs) throw new ProjectionLocked(held);
    // a renewal keeps the original start, so `since` tells how long the rebuild has run
    const sinceMs = held !== undefined && held.holder === holder ? held.sinceMs : nowMs;
    statement('INSERT OR REPLACE INTO rebuild_lock (id, holder, since_ms, expires_ms) VALUES (1, ?, ?, ?)').run(holder, sinceMs, nowMs + ttlMs);
    return { holder, sinceMs, expiresMs: nowMs + ttlMs };
  });
  const release = (holder: string) => void statement('DELETE FROM rebuild_lock WHERE id = 1 AND holder = ?').run(holder);
  return { read, acquire: (holder: string, nowMs: number, ttlMs: number) => acquire.immediate(holder, nowMs, ttlMs), release };
}

/** Opens (creating if needed) a projection store file; its directory must exist. */
export function sqliteProjectionStore(path: string, options: { busyTimeoutMs?: number } = {}): ProjectionStore {
  if (!existsSync(dirname(path))) throw new Error(`projection store ${path}: directory ${dirname(path)} does not exist`);
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  db.pragma('journal_mode = WAL');
  db.exec(schema);
  const reader = sqliteReader(db);
  const lock = lockOps(db, reader.statement);
  const checkpoint = async (name: string): Promise<Checkpoint | undefined> => {
    const r = reader.statement('SELECT * FROM checkpoints WHERE name = ?').get(name) as CheckpointRow | undefined;
    return r === undefined ? undefined : { name: r.name, blockNumber: r.block_number, blockHash: r.block_hash, version: r.version };
  };
  const commit = db.transaction((buffered: BufferedWrites) => applyBuffered(reader.statement, buffered));
  // transactions of this connection run one after another, like the memory store's
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(fn: () => Promise<T> | T): Promise<T> => {
    const result = queue.then(fn, fn);
    queue = result.catch(() => undefined);
    return result;
  };
  const transaction = <T>(fn: (tx: ProjectionWriter) => Promise<T>): Promise<T> =>
    serially(async () => {
      const buffered = bufferedWriter(reader);
      const result = await fn(buffered.writer);
      commit.immediate(buffered);
      return result;
    });
  return {
    url: `sqlite:${path}`,
    get: reader.get,
    scan: reader.scan,
    checkpoint,
    transaction,
    rebuildLock: async () => lock.read(),
    acquireRebuildLock: (holder, nowMs, ttlMs) => serially(() => lock.acquire(holder, nowMs, ttlMs)),
    releaseRebuildLock: (holder) => serially(() => lock.release(holder)),
    async close() {
      await queue;
      db.close();
    },
  };
}
