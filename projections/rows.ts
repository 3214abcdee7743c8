/**
 * Rows read back from a projection store are a boundary: they are decoded with io-ts, and a row
 * that does not match its codec is a damaged projection (rebuild it), named by table and key.
 */
import { isLeft } from 'fp-ts/Either';
import type * as t from 'io-ts';
import type { Json } from './store';

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
