/**
 * The write buffer of one projection-store transaction: writes are kept in memory and the
 * transaction's reads see them over the committed rows; the adapter applies them at commit in
 * one short database transaction (SQLite, PostgreSQL).
 */
import type { Checkpoint, Entry, Json, ProjectionReader, ProjectionWriter } from '../../projections/store';
import { selectRange } from '../../projections/store';

/** One table's pending changes: `undefined` marks a deleted row. */
export interface TableChanges {
  cleared: boolean;
  readonly rows: Map<string, Json | undefined>;
}

/** A transaction's writer and what it has written so far. */
export interface BufferedWrites {
  readonly writer: ProjectionWriter;
  readonly tables: Map<string, TableChanges>;
  /** `undefined` marks a deleted checkpoint */
  readonly checkpoints: Map<string, Checkpoint | undefined>;
}

/** The buffered writes of one transaction over a reader of committed rows. */
export function bufferedWriter(committed: ProjectionReader): BufferedWrites {
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

