/**
 * Strict SCALE building blocks over `scale-ts`.
 *
 * `scale-ts` is lenient where Phala's `parity-scale-codec` is not: it decodes past the end of
 * its input (fixed-length byte arrays come back short), accepts any non-zero Option/bool tag,
 * fails on an unknown enum index with a TypeError, and reads the *whole underlying buffer* of a
 * `Uint8Array` view. A ledger hash is computed over these bytes, so every decoder here throws a
 * `DecodeError` instead, and `decodeExact` additionally requires that all bytes were consumed and
 * that re-encoding gives the same bytes (one canonical encoding per value).
 */
import {
  type Codec,
  type CodecType,
  createCodec,
  createDecoder,
  compact as rawCompact,
  u8 as rawU8,
  u16 as rawU16,
  u32 as rawU32,
  u64 as rawU64,
  u128 as rawU128,
  u256 as rawU256,
} from 'scale-ts';

export type { Codec, CodecType } from 'scale-ts';
export { createCodec } from 'scale-ts';
export { _void as unit, Struct as struct, Tuple as tuple } from 'scale-ts';

/** Thrown when bytes are not the canonical SCALE encoding of the expected type. */
export class DecodeError extends Error {
  constructor(
    readonly what: string,
    readonly detail: string,
  ) {
    super(`cannot decode ${what}: ${detail}`);
    this.name = 'DecodeError';
  }
}

/** scale-ts threads a cursor (`i`) through a `Uint8Array` subclass. */
interface Cursor extends Uint8Array {
  i: number;
}

function cursorOf(bytes: Uint8Array): Cursor {
  if (!('i' in bytes) || typeof bytes.i !== 'number') throw new Error('scale-ts decoder cursor missing');
  return bytes as Uint8Array & { i: number };
}

function need(c: Cursor, n: number, what: string): void {
  if (c.i + n > c.length) throw new DecodeError(what, `unexpected end of input (need ${n} byte(s) at offset ${c.i})`);
}

/** Copy `n` bytes at the cursor into a plain array (slicing the cursor itself would call its subclass constructor). */
function take(c: Cursor, n: number): Uint8Array {
  const out = new Uint8Array(c.buffer.slice(c.byteOffset + c.i, c.byteOffset + c.i + n));
  c.i += n;
  return out;
}

/** Concatenate byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  return concatByteList(parts);
}

/** `concatBytes` over a list: no spread, so any number of parts (a spread of ~100k overflows the stack). */
export function concatByteList(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkedNumber(bits: number, raw: Codec<number>, name: string): Codec<number> {
  const max = 2 ** bits;
  return createCodec((v: number) => {
    if (!Number.isInteger(v) || v < 0 || v >= max) throw new RangeError(`${name} out of range: ${v}`);
    return raw.enc(v);
  }, raw.dec);
}

function checkedBigint(bits: number, raw: Codec<bigint>, name: string): Codec<bigint> {
  const max = 1n << BigInt(bits);
  return createCodec((v: bigint) => {
    if (typeof v !== 'bigint' || v < 0n || v >= max) throw new RangeError(`${name} out of range: ${String(v)}`);
    return raw.enc(v);
  }, raw.dec);
}

/** Unsigned little-endian integers; encoders throw on out-of-range values (a bug, not data). */
export const u8 = checkedNumber(8, rawU8, 'u8');
export const u16 = checkedNumber(16, rawU16, 'u16');
export const u32 = checkedNumber(32, rawU32, 'u32');
export const u64 = checkedBigint(64, rawU64, 'u64');
export const u128 = checkedBigint(128, rawU128, 'u128');
export const u256 = checkedBigint(256, rawU256, 'U256');

/** Strict bool: only 0x00 and 0x01. */
export const bool: Codec<boolean> = createCodec(
  (v: boolean) => Uint8Array.of(v ? 1 : 0),
  createDecoder((b) => {
    const c = cursorOf(b);
    need(c, 1, 'bool');
    const x = c[c.i++];
    if (x === 0) return false;
    if (x === 1) return true;
    throw new DecodeError('bool', `invalid byte 0x${(x ?? 0).toString(16)}`);
  }),
);

/** Compact length prefix as a JS number; rejects lengths that cannot fit in the remaining input. */
function readLength(c: Cursor, what: string): number {
  need(c, 1, what);
  const n = rawCompact.dec(c);
  const len = Number(n);
  if (!Number.isSafeInteger(len) || len > c.length - c.i) {
    throw new DecodeError(what, `length ${String(n)} exceeds the ${c.length - c.i} remaining byte(s)`);
  }
  return len;
}

/** Compact-encoded unsigned integer (`Compact<u128>` and friends) as a bigint. */
export const compactBigint: Codec<bigint> = createCodec(
  (v: bigint) => {
    if (v < 0n) throw new RangeError(`compact out of range: ${v}`);
    return rawCompact.enc(v);
  },
  createDecoder((b) => {
    const c = cursorOf(b);
    need(c, 1, 'compact');
    return BigInt(rawCompact.dec(c));
  }),
);

/** `[u8; n]`: exactly `n` bytes, no length prefix. */
export function fixedBytes(n: number): Codec<Uint8Array> {
  const what = `[u8; ${n}]`;
  return createCodec(
    (v: Uint8Array) => {
      if (v.length !== n) throw new RangeError(`${what} given ${v.length} byte(s)`);
      return v.slice();
    },
    createDecoder((b) => {
      const c = cursorOf(b);
      need(c, n, what);
      return take(c, n);
    }),
  );
}

/** `Vec<u8>` (compact length prefix), optionally bounded like `BoundedVec<u8, ConstU32<max>>`. */
export function bytes(max?: number): Codec<Uint8Array> {
  const what = max === undefined ? 'Vec<u8>' : `BoundedVec<u8, ${max}>`;
  return createCodec(
    (v: Uint8Array) => {
      if (max !== undefined && v.length > max) throw new RangeError(`${what} given ${v.length} byte(s)`);
      return concatBytes(rawCompact.enc(v.length), v);
    },
    createDecoder((b) => {
      const c = cursorOf(b);
      const len = readLength(c, what);
      if (max !== undefined && len > max) throw new DecodeError(what, `length ${len} exceeds bound ${max}`);
      return take(c, len);
    }),
  );
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** `String`: compact length + UTF-8 (invalid UTF-8 is rejected, as Rust does). */
export const str: Codec<string> = createCodec(
  (v: string) => {
    const raw = utf8Encoder.encode(v);
    return concatBytes(rawCompact.enc(raw.length), raw);
  },
  createDecoder((b) => {
    const c = cursorOf(b);
    const len = readLength(c, 'String');
    const raw = take(c, len);
    try {
      return utf8Decoder.decode(raw);
    } catch {
      throw new DecodeError('String', 'invalid UTF-8');
    }
  }),
);

/** `Vec<T>`: compact length prefix then the items. */
export function vec<T>(inner: Codec<T>): Codec<T[]> {
  return createCodec(
    (v: readonly T[]) => {
      const parts = [rawCompact.enc(v.length)];
      for (const x of v) parts.push(inner.enc(x));
      return concatByteList(parts);
    },
    createDecoder((b) => {
      const c = cursorOf(b);
      // every element of the types we encode takes at least one byte
      const len = readLength(c, 'Vec');
      const out: T[] = new Array(len);
      for (let k = 0; k < len; k++) out[k] = inner.dec(c);
      return out;
    }),
  );
}

/** `Option<T>` as `T | undefined`; the tag byte must be 0 or 1. */
export function option<T>(inner: Codec<T>): Codec<T | undefined> {
  return createCodec(
    (v: T | undefined) => (v === undefined ? Uint8Array.of(0) : concatBytes(Uint8Array.of(1), inner.enc(v))),
    createDecoder((b) => {
      const c = cursorOf(b);
      need(c, 1, 'Option');
      const tag = c[c.i++];
      if (tag === 0) return undefined;
      if (tag === 1) return inner.dec(c);
      throw new DecodeError('Option', `invalid tag 0x${(tag ?? 0).toString(16)}`);
    }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: codec maps are heterogeneous; the tag ties each value to its codec
type AnyCodec = Codec<any>;

/** The union `{ tag, value }` of an enum definition. */
export type VariantOf<O extends Record<string, AnyCodec>> = {
  [K in Extract<keyof O, string>]: { tag: K; value: CodecType<O[K]> };
}[Extract<keyof O, string>];

/**
 * A SCALE enum: a one-byte index then the variant's payload. Indices follow declaration order
 * unless `indexes` overrides some (Rust `#[codec(index = n)]`). Unknown indices are rejected.
 */
export function variant<O extends Record<string, AnyCodec>>(
  what: string,
  inner: O,
  indexes: Partial<Record<Extract<keyof O, string>, number>> = {},
): Codec<VariantOf<O>> {
  const tags = Object.keys(inner) as Extract<keyof O, string>[];
  const byTag = new Map<string, number>();
  const byIndex = new Map<number, Extract<keyof O, string>>();
  tags.forEach((tag, position) => {
    const index = indexes[tag] ?? position;
    if (byIndex.has(index)) throw new Error(`${what}: duplicate variant index ${index}`);
    byTag.set(tag, index);
    byIndex.set(index, tag);
  });
  const encode = (v: VariantOf<O>): Uint8Array => {
    const index = byTag.get(v.tag);
    const codec = inner[v.tag];
    if (index === undefined || codec === undefined) throw new RangeError(`${what}: unknown variant ${String(v.tag)}`);
    return concatBytes(Uint8Array.of(index), codec.enc(v.value));
  };
  const decode = createDecoder((b) => {
    const c = cursorOf(b);
    need(c, 1, what);
    const index = c[c.i] ?? 0;
    const tag = byIndex.get(index);
    if (tag === undefined) throw new DecodeError(what, `unknown variant index ${index}`);
    c.i++;
    const codec = inner[tag] as AnyCodec;
    return { tag, value: codec.dec(c) } as VariantOf<O>;
  });
  return createCodec(encode, decode);
}

/**
 * Decode exactly one value: all bytes consumed, and the bytes are the canonical encoding.
 * Never returns partial data.
 */
export function decodeExact<T>(codec: Codec<T>, input: Uint8Array, what: string): T {
  // a fresh copy: scale-ts reads `input.buffer` from offset 0, ignoring a view's byteOffset
  const copy = new Uint8Array(input);
  let value: T;
  let end: number;
  try {
    const run = createDecoder((b) => {
      const c = cursorOf(b);
      const v = codec.dec(c);
      return { v, end: c.i };
    });
    const r = run(copy);
    value = r.v;
    end = r.end;
  } catch (e) {
    if (e instanceof DecodeError) throw new DecodeError(what, `${e.what}: ${e.detail}`);
    if (e instanceof RangeError) throw new DecodeError(what, 'unexpected end of input');
    throw new DecodeError(what, e instanceof Error ? e.message : String(e));
  }
  if (end > copy.length) throw new DecodeError(what, 'unexpected end of input');
  if (end < copy.length) throw new DecodeError(what, `${copy.length - end} trailing byte(s)`);
  let again: Uint8Array;
  try {
    again = codec.enc(value);
  } catch (e) {
    throw new DecodeError(what, `decoded value does not re-encode: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!bytesEqual(again, copy)) throw new DecodeError(what, 'non-canonical encoding');
  return value;
}

/** A named codec: `encode` and a strict `decode`. */
export interface Scale<T> {
  readonly what: string;
  readonly codec: Codec<T>;
  encode(value: T): Uint8Array;
  /** Throws `DecodeError` unless `bytes` is exactly one canonical encoding. */
  decode(bytes: Uint8Array): T;
}

/** Wrap a codec with its name, a strict decoder and an encoder. */
export function scale<T>(what: string, codec: Codec<T>): Scale<T> {
  return {
    what,
    codec,
    encode: (value) => codec.enc(value),
    decode: (b) => decodeExact(codec, b, what),
  };
}
