/**
 * The two byte forms of a 64-byte sr25519 secret (`key(32) ‖ nonce(32)`):
 *
 * * **ed25519 form** — what polkadot-js (`sr25519PairFromSeed().secretKey`), @scure/sr25519
 *   (`secretFromSeed`) and @polkadot/wasm-crypto (`sr25519KeypairFromSeed`, first 64 bytes) use:
 *   schnorrkel's `to_ed25519_bytes()`, the scalar multiplied by the cofactor 8 (a plain 3-bit left
 *   shift of the little-endian integer, no reduction).
 * * **canonical form** — schnorrkel's `SecretKey::to_bytes()`, i.e. Phala's `dump_secret_key()`:
 *   the scalar reduced mod ℓ. Phala hashes these bytes (HKDF key derivation, GK IVs, random
 *   beacon) and encrypts them when it shares a key, so bit-compatibility needs this form.
 *
 * Checked (see secretForms.test.ts): the three libraries give identical ed25519-form bytes for the
 * same seed, the low 3 bits of that key half are always 0, and `ed25519 = canonical · 8` exactly.
 * The nonce half is the same in both forms.
 */

/** ℓ, the order of the ristretto255 group (schnorrkel scalars live mod ℓ). */
export const CURVE_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

/** Little-endian bytes as an unsigned integer. */
export function readLe(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/** Writes the low 256 bits of `n` little-endian into `out` at `offset`. */
export function writeLe(n: bigint, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 32; i++) {
    out[offset + i] = Number(n & 0xffn);
    n >>= 8n;
  }
  if (n !== 0n) throw new Error('scalar does not fit in 32 bytes');
}

function assertSecretLength(secret: Uint8Array): void {
  if (secret.length !== 64) throw new Error(`sr25519 secret must be 64 bytes, got ${secret.length}`);
}

/** True if `secret` is a well-formed canonical secret (64 bytes, key half a reduced non-zero scalar). */
export function isCanonicalSecret(secret: Uint8Array): boolean {
  if (secret.length !== 64) return false;
  const key = readLe(secret.subarray(0, 32));
  return key !== 0n && key < CURVE_ORDER;
}

/** ed25519 form → canonical form (divide the key half by the cofactor). Throws on a malformed key. */
export function toCanonicalSecret(ed25519Form: Uint8Array): Uint8Array {
  assertSecretLength(ed25519Form);
  const key = readLe(ed25519Form.subarray(0, 32));
  if ((key & 7n) !== 0n) throw new Error('ed25519-form sr25519 key is not a multiple of the cofactor');
  const out = new Uint8Array(64);
  writeLe(key >> 3n, out, 0);
  out.set(ed25519Form.subarray(32, 64), 32);
  if (!isCanonicalSecret(out)) throw new Error('ed25519-form sr25519 key does not reduce to a canonical scalar');
  return out;
}

/** canonical form → ed25519 form (multiply the key half by the cofactor). Throws on a malformed key. */
export function toEd25519FormSecret(canonical: Uint8Array): Uint8Array {
  assertSecretLength(canonical);
  if (!isCanonicalSecret(canonical)) throw new Error('not a canonical sr25519 secret (key half must be 0 < k < ℓ)');
  const out = new Uint8Array(64);
  writeLe(readLe(canonical.subarray(0, 32)) << 3n, out, 0);
  out.set(canonical.subarray(32, 64), 32);
  return out;
}
