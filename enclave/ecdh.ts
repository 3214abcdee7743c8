import { getSharedSecret } from '@scure/sr25519';
import type { Sr25519Pair } from './keys/sr25519Pair';

/**
 * `ecdh::agree(sk, pk)`: the 32-byte compressed Ristretto point `scalar(sk) · pk`, used directly as
 * an AES-256-GCM key (no KDF). The ECDH key of a pair is the pair itself (same secret, same
 * public key), as in Phala's `derive_ecdh_key`. Equal to polkadot-js `sr25519Agreement`.
 * Throws on a public key that is not a valid point (Phala `expect`s here too).
 */
export function agree(pair: Sr25519Pair, peerPublicKey: Uint8Array): Uint8Array {
  return getSharedSecret(pair.secretKey, peerPublicKey);
}
