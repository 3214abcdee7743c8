/** The chain's hash: blake2b with a 32-byte digest (Substrate `blake2_256`). */
import { blake2b } from '@noble/hashes/blake2.js';

/** blake2b-256 of the concatenation of `parts` (Substrate `blake2_256`). */
export function blake2b256(...parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return blake2b(parts[0], { dkLen: 32 });
  const h = blake2b.create({ dkLen: 32 });
  for (const p of parts) h.update(p);
  return h.digest();
}
