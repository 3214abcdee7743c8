/** io-ts boundary codecs for SCALE values carried as `0x` hex text (JSON bus payloads, store rows, CLI). */
import * as t from 'io-ts';
import { fromHex, toHex } from './hex';
import type { Scale } from './scale';

/** An io-ts codec: `0x` hex of the canonical SCALE bytes ↔ the value; undecodable input fails with the reason. */
export function scaleHexIo<T>(scale: Scale<T>): t.Type<T, string, unknown> {
  return new t.Type<T, string, unknown>(
    `${scale.what}(hex)`,
    (u): u is T => {
      // the strict encoders throw on any value that is not a T (wrong tags, sizes, ranges, types)
      try {
        scale.encode(u as T);
        return true;
      } catch {
        return false;
      }
    },
    (u, ctx) => {
      if (typeof u !== 'string') return t.failure(u, ctx, `${scale.what} must be 0x-prefixed hex`);
      try {
        return t.success(scale.decode(fromHex(u, scale.what)));
      } catch (e) {
        return t.failure(u, ctx, e instanceof Error ? e.message : String(e));
      }
    },
    (value) => toHex(scale.encode(value)),
  );
}
