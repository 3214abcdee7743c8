import { blake2_256 } from '../domain/crypto';
import { IV_BYTES } from './aead';
import { derivePair } from './keys/derivationTree';
import type { Sr25519Pair } from './keys/sr25519Pair';

/** Blocks between two GK random beacons (`VRF_INTERVAL`, gk.rs). */
export const VRF_INTERVAL = 5;

function u32Be(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`not a u32: ${n}`);
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

function u64Be(n: bigint): Uint8Array {
  if (n < 0n || n >= 1n << 64n) throw new Error(`not a u64: ${n}`);
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, false);
  return b;
}

/**
 * `Gatekeeper::generate_iv`: the first 12 bytes of
 * `blake2_256(derived("iv_generator").canonical_secret ‖ block_number_be(u32) ‖ iv_seq_be(u64))`.
 * The caller owns `ivSeq` and increments it after every IV (all GKs do the same, so all produce
 * the same ciphertexts).
 */
export function gkIv(masterKey: Sr25519Pair, blockNumber: number, ivSeq: bigint): Uint8Array {
  return gkIvFrom(derivePair(masterKey, { kind: 'iv_generator' }), blockNumber, ivSeq);
}

/** {@link gkIv} from the already derived `iv_generator` pair (callers that cache derivations). */
export function gkIvFrom(ivGenerator: Sr25519Pair, blockNumber: number, ivSeq: bigint): Uint8Array {
  const hash = blake2_256(Buffer.concat([ivGenerator.canonicalSecret, u32Be(blockNumber), u64Be(ivSeq)]));
  return hash.slice(0, IV_BYTES);
}

/**
 * `next_random_number`: `blake2_256(last_random(32) ‖ block_number_be(u32) ‖
 * derived("random_number").canonical_secret(64))`. Emitted when `block_number % VRF_INTERVAL == 0`.
 */
export function nextRandomNumber(masterKey: Sr25519Pair, blockNumber: number, lastRandom: Uint8Array): Uint8Array {
  return nextRandomNumberFrom(derivePair(masterKey, { kind: 'random_number' }), blockNumber, lastRandom);
}

/** {@link nextRandomNumber} from the already derived `random_number` pair. */
export function nextRandomNumberFrom(randomKey: Sr25519Pair, blockNumber: number, lastRandom: Uint8Array): Uint8Array {
  if (lastRandom.length !== 32) throw new Error(`last random number must be 32 bytes, got ${lastRandom.length}`);
  return blake2_256(Buffer.concat([lastRandom, u32Be(blockNumber), randomKey.canonicalSecret]));
}
