/** The chain's hash over several parts: blake2b-256 of their concatenation (Substrate `blake2_256`). */
import { blake2_256 } from '../crypto/hashing';
import { concatBytes } from './scale';

/** blake2b-256 of the concatenation of `parts`. */
export function blake2b256(...parts: readonly Uint8Array[]): Uint8Array {
  return blake2_256(parts.length === 1 ? parts[0]! : concatBytes(...parts));
}
