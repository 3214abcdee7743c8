import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { getPublicKey, secretFromSeed } from '@scure/sr25519';
import { multiplyBase } from './baseMultiply';
import { toCanonicalSecret, toEd25519FormSecret } from './secretForms';

/**
 * An sr25519 key pair as the enclave holds it. Enclave-internal: the vault keeps these out of
 * reach; nothing outside `enclave/` should ever see one.
 */
export interface Sr25519Pair {
  /** the 32-byte mini secret it was expanded from, when known (kept for the leak scan) */
  readonly seed: Uint8Array | undefined;
  readonly publicKey: Uint8Array;
  /** ed25519 form (polkadot-js, @scure/sr25519, wasm-crypto): what the signing libraries take */
  readonly secretKey: Uint8Array;
  /** canonical form (Phala's `dump_secret_key()`): what Phala hashes and shares */
  readonly canonicalSecret: Uint8Array;
}

/** @polkadot/wasm-crypto `sr25519KeypairFromSeed`: 64-byte ed25519-form secret ‖ 32-byte public key. */
export type RawSr25519KeypairFromSeed = (seed: Uint8Array) => Uint8Array;

let wasmKeypairFromSeed: RawSr25519KeypairFromSeed | undefined;

/**
 * Lets {@link pairFromSeed} expand seeds in wasm (about five times faster than @scure's JS, which
 * dominates building a 20,000-worker world). Called by `initWasmCrypto()`. The function must give
 * @scure's exact bytes for a fixed seed, or it is not installed.
 */
export function installWasmKeypairFromSeed(keypairFromSeed: RawSr25519KeypairFromSeed): void {
  const seed = Uint8Array.from({ length: SEED_BYTES }, (_, i) => i * 7 + 1);
  const secretKey = secretFromSeed(seed);
  const expected = new Uint8Array([...secretKey, ...getPublicKey(secretKey)]);
  const got = keypairFromSeed(seed);
  if (got.length !== expected.length || got.some((b, i) => b !== expected[i])) throw new Error('the wasm sr25519 keypair expansion failed its self-test; not installed');
  wasmKeypairFromSeed = keypairFromSeed;
}

/** Bytes in a mini secret key (a seed). */
export const SEED_BYTES = 32;

/**
 * Phala's fixed HKDF salt (the PoC-4 genesis block hash, `KDF_SALT` in
 * `crates/phala-crypto/src/sr25519.rs`).
 */
export const KDF_SALT = Uint8Array.from(
  Buffer.from('18e876adfa74cc743b4b7d7f92c96e03de559a3c15270581fce445963d90f85e', 'hex'),
);

/**
 * `sr25519::Pair::from_seed`: SHA-512 of the seed, clamped, expanded as schnorrkel's
 * `ExpansionMode::Ed25519` (= polkadot-js `sr25519PairFromSeed`).
 */
export function pairFromSeed(seed: Uint8Array): Sr25519Pair {
  if (seed.length !== SEED_BYTES) throw new Error(`sr25519 seed must be 32 bytes, got ${seed.length}`);
  const { secretKey, publicKey } = expandSeed(seed);
  return { seed: Uint8Array.from(seed), publicKey, secretKey, canonicalSecret: toCanonicalSecret(secretKey) };
}

/**
 * The expansion alone: the ed25519-form secret (its first 32 bytes are 8·k little-endian) and
 * k·B, the public key — a fixed-base multiplication (wasm's precomputed table once installed).
 */
export function expandSeed(seed: Uint8Array): { readonly secretKey: Uint8Array; readonly publicKey: Uint8Array } {
  const expanded = wasmKeypairFromSeed?.(seed);
  if (expanded !== undefined) return { secretKey: expanded.subarray(0, 64), publicKey: expanded.slice(64, 96) };
  const secretKey = secretFromSeed(seed);
  return { secretKey, publicKey: getPublicKey(secretKey) };
}

/** `restore_from_secret_key`: a pair from Phala's canonical 64-byte secret. Throws if malformed. */
export function pairFromCanonicalSecret(canonicalSecret: Uint8Array): Sr25519Pair {
  const secretKey = toEd25519FormSecret(canonicalSecret);
  return {
    seed: undefined,
    publicKey: multiplyBase(secretKey),
    secretKey,
    canonicalSecret: Uint8Array.from(canonicalSecret),
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * `derive_sr25519_pair(info)`: HKDF-SHA256 with salt {@link KDF_SALT}, IKM = the canonical 64-byte
 * secret, info = the path parts concatenated (ring's `expand(&[&[u8]])` concatenates them), 32
 * bytes of output used as a new seed.
 */
export function deriveSr25519Pair(pair: Sr25519Pair, infoParts: readonly Uint8Array[]): Sr25519Pair {
  const seed = hkdf(sha256, pair.canonicalSecret, KDF_SALT, concat(infoParts), SEED_BYTES);
  return pairFromSeed(seed);
}
