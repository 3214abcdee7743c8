/**
 * The row statements of the SQLite projection store. A transaction's writes are buffered
 * (`bufferedWriter.ts`) and applied at the end in one synchronous `BEGIN IMMEDIATE` transaction,
 * so SQLite's write lock is never held across an `await`: another connection waiting for it can
 * never stall this process's event loop.
 */
import type Database from 'better-sqlite3';
import type { ProjectionReader, ScanRange } from '../../projections/store';
import type { BufferedWrites } from './bufferedWriter';
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

/** Applies a transaction's buffered writes; run it inside an IMMEDIATE transaction. */
export function applyBuffered(statement: (sql: string) => Database.Statement, buffered: BufferedWrites): void {
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
