/**
 * The row statements of the SQLite projection store, and the write buffer of one transaction.
 * A transaction's writes are kept in memory (its reads see them) and applied at the end in one
 * synchronous `BEGIN IMMEDIATE` transaction, so SQLite's write lock is never held across an
 * `await`: another connection waiting for it can never stall this process's event loop.
 */
import type Database from 'better-sqlite3';
import { type Checkpoint, type Entry, type Json, type ProjectionReader, type ProjectionWriter, type ScanRange, selectRange } from '../../projections/store';
import { parseJsonRow } from './jsonRow';

// every byte of an ASCII key sorts below this, so `prefix + TOP` bounds a prefix scan
const TOP = '\u{10FFFF}';

function scanSql(range: ScanRange): { sql: string; args: string[] } {
  const where = ['tbl = ?'];
  const args: string[] = [];
  const add = (clause: string, arg: string) => {
    where.push(clause);
    args.push(arg);
  };
  if (range.prefix !== undefined) {
    add('key >= ?', range.prefix);
    add('key < ?', range.prefix + TOP);
  }
  if (range.after !== undefined) add('key > ?', range.after);
  if (range.before !== undefined) add('key < ?', range.before);
  const limit = range.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(range.limit))}`;
  return { sql: `SELECT key, value FROM rows WHERE ${where.join(' AND ')} ORDER BY key ${range.reverse === true ? 'DESC' : 'ASC'}${limit}`, args };
}

/** Committed rows, read straight from the file. */
export function sqliteReader(db: Database.Database): ProjectionReader & { statement(sql: string): Database.Statement } {
  const cache = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let s = cache.get(sql);
    if (s === undefined) cache.set(sql, (s = db.prepare(sql)));
    return s;
  };
  return {
    statement,
    async get(tbl, key) {
      const row = statement('SELECT value FROM rows WHERE tbl = ? AND key = ?').get(tbl, key) as { value: string } | undefined;
      return row === undefined ? undefined : parseJsonRow(row.value, `${tbl}/${key}`);
    },
    async scan(tbl, range = {}) {
      const { sql, args } = scanSql(range);
      const rows = statement(sql).all(tbl, ...args) as { key: string; value: string }[];
      return rows.map((r) => ({ key: r.key, value: parseJsonRow(r.value, `${tbl}/${r.key}`) }));
    },
  };
}

/** One table's pending changes: `undefined` marks a deleted row. */
interface TableChanges {
  cleared: boolean;
  readonly rows: Map<string, Json | undefined>;
}

/** The buffered writes of one transaction over a reader of committed rows. */
export function bufferedWriter(committed: ProjectionReader) {
  const tables = new Map<string, TableChanges>();
  const checkpoints = new Map<string, Checkpoint | undefined>();
  const changes = (tbl: string) => {
    let c = tables.get(tbl);
    if (c === undefined) tables.set(tbl, (c = { cleared: false, rows: new Map() }));
    return c;
  };
  const writer: ProjectionWriter = {
    async get(tbl, key) {
      const c = tables.get(tbl);
      if (c?.rows.has(key)) return c.rows.get(key);
      return c?.cleared ? undefined : committed.get(tbl, key);
    },
    async scan(tbl, range = {}) {
      const c = tables.get(tbl);
      if (c === undefined) return committed.scan(tbl, range);
      // the merge needs every committed row in range: limit and direction apply after it
      const merged = new Map<string, Json | undefined>();
      if (!c.cleared) for (const e of await committed.scan(tbl, { prefix: range.prefix, after: range.after, before: range.before })) merged.set(e.key, e.value);
      for (const [k, v] of c.rows) merged.set(k, v);
      const keys = selectRange([...merged.keys()].filter((k) => merged.get(k) !== undefined).sort(), range);
      return keys.map((key): Entry => ({ key, value: merged.get(key)! }));
    },
    async put(tbl, key, value) {
      changes(tbl).rows.set(key, value);
    },
    async delete(tbl, key) {
      changes(tbl).rows.set(key, undefined);
    },
    async clear(tbl) {
      tables.set(tbl, { cleared: true, rows: new Map() });
    },
    async setCheckpoint(c) {
      checkpoints.set(c.name, c);
    },
    async deleteCheckpoint(name) {
      checkpoints.set(name, undefined);
    },
  };
  return { writer, tables, checkpoints };
}

/** Applies a transaction's buffered writes; run it inside an IMMEDIATE transaction. */
export function applyBuffered(statement: (sql: string) => Database.Statement, buffered: ReturnType<typeof bufferedWriter>): void {
  const put = statement('INSERT INTO rows (tbl, key, value) VALUES (?, ?, ?) ON CONFLICT (tbl, key) DO UPDATE SET value = excluded.value');
  const del = statement('DELETE FROM rows WHERE tbl = ? AND key = ?');
  for (const [tbl, c] of buffered.tables) {
    if (c.cleared) statement('DELETE FROM rows WHERE tbl = ?').run(tbl);
    for (const [key, value] of c.rows) {
      if (value === undefined) del.run(tbl, key);
      else put.run(tbl, key, JSON.stringify(value));
    }
  }
  for (const [name, c] of buffered.checkpoints) {
    if (c === undefined) statement('DELETE FROM checkpoints WHERE name = ?').run(name);
    else
      statement(
        'INSERT INTO checkpoints (name, block_number, block_hash, version) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, version = excluded.version',
      ).run(c.name, c.blockNumber, c.blockHash, c.version);
  }
}
