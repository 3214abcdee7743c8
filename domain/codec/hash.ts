/**
 * The chain's hash: blake2b with a 32-byte digest (Substrate `blake2_256`).
 *
 * Uses the wasm blake2b of `@polkadot/util-crypto` once the composition root has awaited
 * `cryptoWaitReady()` (tens of times faster than the pure-JS path, which it falls back to, with
 * identical output, before that). Domain code stays synchronous either way.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { concatBytes } from './scale';

/** blake2b-256 of the concatenation of `parts` (Substrate `blake2_256`). */
export function blake2b256(...parts: readonly Uint8Array[]): Uint8Array {
  const data = parts.length === 1 ? parts[0]! : concatBytes(...parts);
  return blake2AsU8a(data, 256);
}
