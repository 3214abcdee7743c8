/** The hashing rules of the state tree (see `stateTree.ts` for the shape) and byte-string helpers. */
import { blake2b256 } from '../codec/hash';
import { compactBigint } from '../codec/scale';

/** Default tree depth: 65,536 buckets (≈15 entries per bucket at a million keys). */
export const DEFAULT_STATE_TREE_DEPTH = 16;

/** Domain-separation prefixes: leaf, interior node, bucket. */
export const LEAF = Uint8Array.of(0x00);
export const NODE = Uint8Array.of(0x01);
export const BUCKET = Uint8Array.of(0x02);

/** The root of an empty map at `depth`, a fixed constant per depth. */
export function emptyStateRoot(depth = DEFAULT_STATE_TREE_DEPTH): Uint8Array {
  return emptyLevels(depth)[depth]!.slice();
}

const emptyLevelCache = new Map<number, Uint8Array[]>();

/** Hashes of empty subtrees by height: [empty bucket, …, empty root]. */
export function emptyLevels(depth: number): Uint8Array[] {
  const cached = emptyLevelCache.get(depth);
  if (cached) return cached;
  const levels = [blake2b256(BUCKET)];
  for (let d = 1; d <= depth; d++) levels.push(blake2b256(NODE, levels[d - 1]!, levels[d - 1]!));
  emptyLevelCache.set(depth, levels);
  return levels;
}

/** Throws unless 1 ≤ depth ≤ 24. */
export function checkDepth(depth: number): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > 24) throw new RangeError(`state tree depth must be 1..24, got ${depth}`);
  return depth;
}

/** The bucket of a key: the first `depth` bits of blake2_256(key). */
export function bucketOf(key: Uint8Array, depth: number): number {
  const h = blake2b256(key);
  return ((h[0]! << 16) | (h[1]! << 8) | h[2]!) >>> (24 - depth);
}

/** Bytes as a string of char codes 0..255 (string order = byte order). */
export function byteString(b: Uint8Array): string {
  // latin1 maps each byte to the code point of the same value: String.fromCharCode per byte, natively
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** Inverse of `byteString`, from char `from` on. */
export function stringBytes(s: string, from = 0): Uint8Array {
  const out = new Uint8Array(s.length - from);
  for (let i = from; i < s.length; i++) out[i - from] = s.charCodeAt(i);
  return out;
}

/** An entry's record: leaf hash H(0x00 ‖ compact(len key) ‖ key ‖ value) ‖ value, as a byte string. */
export function record(key: Uint8Array, value: Uint8Array): string {
  return byteString(blake2b256(LEAF, compactBigint.enc(BigInt(key.length)), key, value)) + byteString(value);
}
