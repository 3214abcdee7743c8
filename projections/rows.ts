/**
 * Rows read back from a projection store are a boundary: they are decoded with io-ts, and a row
 * that does not match its codec is a damaged projection (rebuild it), named by table and key.
 */
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { Json, ProjectionReader } from './store';

/** A row field that may be `null` (JSON has no `undefined`). */
export const nullable = <C extends t.Mixed>(c: C) => t.union([c, t.null]);

/** A projection row that does not have its expected shape. */
export class CorruptProjectionRow extends Error {
  constructor(where: string) {
    super(`CorruptProjectionRow: row ${where} does not have its expected shape; rebuild the projections`);
    this.name = 'CorruptProjectionRow';
  }
}

/** Decodes a stored row or throws `CorruptProjectionRow` naming it. */
export function decodeRow<A>(codec: t.Decoder<unknown, A>, raw: Json, where: string): A {
  const r = codec.decode(raw);
  if (isLeft(r)) throw new CorruptProjectionRow(where);
  return r.right;
}

/** One row decoded, or undefined when the key has no row. */
export async function readRow<A>(reader: ProjectionReader, codec: t.Decoder<unknown, A>, table: string, key: string): Promise<A | undefined> {
  const raw = await reader.get(table, key);
  return raw === undefined ? undefined : decodeRow(codec, raw, `${table}/${key}`);
}

/** What `scanMatching` reads: a key range of one table and the rows to keep. */
export interface MatchingScan<A> {
  readonly table: string;
  readonly codec: t.Decoder<unknown, A>;
  readonly prefix?: string;
  /** keys strictly greater (the cursor of the previous page) */
  readonly after?: string;
  readonly before?: string;
  readonly reverse?: boolean;
  /** at most this many rows; default 100 */
  readonly limit?: number;
  readonly keep?: (row: A) => boolean;
}

const CHUNK = 500;

/**
 * Rows of a key range that pass `keep`, in key order, at most `limit`: reads the table in chunks
 * so that a selective filter never loads the whole table at once. Each row comes with its key
 * (the pagination cursor).
 */
export async function scanMatching<A>(reader: ProjectionReader, q: MatchingScan<A>): Promise<{ key: string; row: A }[]> {
  const limit = q.limit ?? 100;
  const out: { key: string; row: A }[] = [];
  let after = q.after;
  let before = q.before;
  for (;;) {
    const chunk = await reader.scan(q.table, { prefix: q.prefix, after, before, reverse: q.reverse, limit: CHUNK });
    for (const e of chunk) {
      const row = decodeRow(q.codec, e.value, `${q.table}/${e.key}`);
      if (q.keep !== undefined && !q.keep(row)) continue;
      out.push({ key: e.key, row });
      if (out.length === limit) return out;
    }
    if (chunk.length < CHUNK) return out;
    const last = chunk[chunk.length - 1]!.key;
    if (q.reverse === true) before = last;
    else after = last;
  }
}
