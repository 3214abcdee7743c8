import { announceSignature } from '../domain/crypto/verdicts';
import type { Random } from '../domain/ports/random';
import type { Sr25519Pair } from './keys/sr25519Pair';
import { type PreparedSigner, preparedSigner } from './keys/sr25519Signer';

const signers = new WeakMap<Sr25519Pair, PreparedSigner>();

/**
 * sr25519 signature (substrate context) whose nonce randomness comes from the injected Random:
 * a seeded Random makes signatures — and so the ledger — reproducible in a simulation; a cluster
 * injects an OS-backed Random. schnorrkel mixes the 32 random bytes into a transcript with the
 * key's secret nonce, so even a predictable Random never reuses a nonce across messages.
 * The signature verifies on both domain paths (js and wasm) and with @scure/sr25519 or schnorrkel;
 * its nonce is drawn as `keys/sr25519Signer.ts` says (not byte-equal to @scure's `sign`). The
 * per-key preparation is cached.
 */
export function signWith(pair: Sr25519Pair, message: Uint8Array, random: Random): Uint8Array {
  let signer = signers.get(pair);
  if (signer === undefined) {
    signer = preparedSigner(pair);
    signers.set(pair, signer);
  }
  const signature = signer(message, random.bytes(32));
  announceSignature(message, signature, pair.publicKey);
  return signature;
}
