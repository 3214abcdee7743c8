import { blake2b } from '@noble/hashes/blake2.js';

/**
 * blake2b with a 256-bit output: Substrate's `blake2_256`, the hash Phala uses for block hashes,
 * ids, the GK random beacon and the GK IV derivation (DOMAIN.md §0, §3.3).
 */
export function blake2_256(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 32 });
}

/** blake2b with a 128-bit output: Substrate's `blake2_128` (checkpoint keys, DOMAIN.md §3.1). */
export function blake2_128(data: Uint8Array): Uint8Array {
  return blake2b(data, { dkLen: 16 });
}
