import { sign } from '@scure/sr25519';
import type { Random } from '../domain/ports/random';
import type { Sr25519Pair } from './keys/sr25519Pair';

/**
 * sr25519 signature (substrate context) whose nonce randomness comes from the injected Random:
 * a seeded Random makes signatures — and so the ledger — reproducible in a simulation; a cluster
 * injects an OS-backed Random. schnorrkel mixes the 32 random bytes into a transcript with the
 * key's secret nonce, so even a predictable Random never reuses a nonce across messages.
 * The signature verifies on both domain paths (js and wasm).
 */
export function signWith(pair: Sr25519Pair, message: Uint8Array, random: Random): Uint8Array {
  return sign(pair.secretKey, message, random.bytes(32));
}
