/**
 * Seed material for the seeded Random: 128 bits as four unsigned 32-bit words, and the derivation
 * of a child's material from its parent's material and a label.
 *
 * The derivation is a small non-cryptographic hash written for this purpose (four FNV-style lanes
 * over the UTF-8 bytes of the label, then cross-lane mixing with murmur3's 32-bit finaliser). It
 * only has to make streams of different labels look unrelated; nothing secret depends on it.
 */

/** 128 bits of seed material, four unsigned 32-bit words, little-endian word order */
export type SeedMaterial = readonly [number, number, number, number];

const utf8 = new TextEncoder();
const twoTo128 = 1n << 128n;

/** murmur3's fmix32: every input bit affects every output bit */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The material of a scenario seed: any integer in [0, 2^128). A `number` must be a safe integer,
 * so that `1` and `1n` are the same seed.
 */
export function seedMaterialOf(seed: number | bigint): SeedMaterial {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new RangeError(`seed must be a safe integer, got ${seed}`);
  }
  const value = BigInt(seed);
  if (value < 0n || value >= twoTo128) throw new RangeError(`seed must be in [0, 2^128), got ${value}`);
  const word = (i: number): number => Number((value >> BigInt(32 * i)) & 0xffffffffn);
  return [word(0), word(1), word(2), word(3)];
}

/**
 * The material of the child named `label`. It depends only on (parent material, label), never on
 * how many numbers the parent drew or which other children exist: that is what keeps streams stable
 * when a scenario gains an actor.
 */
export function deriveSeedMaterial(parent: SeedMaterial, label: string): SeedMaterial {
  const bytes = utf8.encode(label);
  // Distinct odd constants per lane keep the lanes from computing the same function.
  let h0 = (parent[0] ^ 0x9e3779b9) >>> 0;
  let h1 = (parent[1] ^ 0x7f4a7c15) >>> 0;
  let h2 = (parent[2] ^ 0xf39cc060) >>> 0;
  let h3 = (parent[3] ^ bytes.length) >>> 0;
  for (const b of bytes) {
    h0 = Math.imul(h0 ^ b, 0x01000193);
    h1 = Math.imul(h1 ^ b, 0x5bd1e995);
    h2 = Math.imul(h2 ^ b, 0xcc9e2d51);
    h3 = Math.imul(h3 ^ b, 0x1b873593);
  }
  // Two rounds of cross-lane mixing so each output word depends on every lane.
  for (let round = 0; round < 2; round++) {
    h0 = fmix32((h0 + h1) | 0);
    h1 = fmix32((h1 ^ h2) + 0x6a09e667);
    h2 = fmix32((h2 + h3) | 0);
    h3 = fmix32((h3 ^ h0) + 0xbb67ae85);
  }
  return [h0, h1, h2, h3];
}
