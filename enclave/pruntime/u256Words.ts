/**
 * U256 values as eight big-endian u32 words, so the heartbeat lottery compares `hash XOR seed`
 * with the target without allocating a bigint per worker.
 */

/** Writes `value` (0 ≤ value < 2^256) as 8 big-endian u32 words into `out` at `offset`. */
export function writeU256Words(value: bigint, out: Uint32Array, offset: number): void {
  if (value < 0n || value >> 256n !== 0n) throw new RangeError(`not a U256: ${value}`);
  let v = value;
  for (let k = 7; k >= 0; k--) {
    out[offset + k] = Number(v & 0xffff_ffffn);
    v >>= 32n;
  }
}

/** `(words[offset..offset+8] XOR seed) ≤ target`, all as big-endian U256 words. */
export function xorLessOrEqual(words: Uint32Array, offset: number, seed: Uint32Array, target: Uint32Array): boolean {
  for (let k = 0; k < 8; k++) {
    const x = (words[offset + k]! ^ seed[k]!) >>> 0;
    const t = target[k]!;
    if (x !== t) return x < t;
  }
  return true;
}
