import { blake2AsU8a } from '@polkadot/util-crypto';

/**
 * blake2b with a 256-bit output: Substrate's `blake2_256`, the hash Phala uses for block hashes,
 * ids, the GK random beacon and the GK IV derivation (DOMAIN.md §0, §3.3). The one blake2
 * implementation of phalanet: @polkadot/util-crypto's, which runs in wasm once the composition
 * root has awaited `cryptoWaitReady()` (tens of times faster) and in pure JS before that, with
 * identical output. Domain code stays synchronous either way.
 */
export function blake2_256(data: Uint8Array): Uint8Array {
  return blake2AsU8a(data, 256);
}

/** blake2b with a 128-bit output: Substrate's `blake2_128` (checkpoint keys, DOMAIN.md §3.1). */
export function blake2_128(data: Uint8Array): Uint8Array {
  return blake2AsU8a(data, 128);
}
