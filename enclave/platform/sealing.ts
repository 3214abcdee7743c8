import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as E from 'fp-ts/Either';
import type { Measurement } from './measurement';

/**
 * Sealed-blob layout (version 1):
 * `0x01 ‖ measurement(32) ‖ nonce(24) ‖ XChaCha20-Poly1305(key, nonce, aad = measurement)(data)`.
 * The measurement is in clear so a refusal can say which build sealed it; it is also the
 * associated data, so editing it breaks the tag.
 */
const VERSION = 0x01;
const NONCE_BYTES = 24;
const HEADER_BYTES = 1 + 32 + NONCE_BYTES;
const TAG_BYTES = 16;
const SEAL_SALT = new TextEncoder().encode('phalanet/sealing-key/v1');

/** Why a sealed blob could not be opened. */
export type UnsealError =
  | { readonly _tag: 'SealedBlobMalformed'; readonly detail: string }
  | { readonly _tag: 'SealedForAnotherMeasurement'; readonly sealedFor: Uint8Array; readonly current: Uint8Array }
  | { readonly _tag: 'SealIntegrityFailure' };

/** One line for a user: what failed and what it means. */
export function describeUnsealError(error: UnsealError): string {
  switch (error._tag) {
    case 'SealedBlobMalformed':
      return `sealed blob is malformed (${error.detail})`;
    case 'SealedForAnotherMeasurement':
      return `sealed by pRuntime build ${Buffer.from(error.sealedFor).toString('hex')}, this build is ${Buffer.from(error.current).toString('hex')}: use a key handover`;
    case 'SealIntegrityFailure':
      return 'sealed blob fails authentication: sealed on another platform, or tampered with';
    default: {
      const unknown: never = error;
      return `unknown unseal error ${JSON.stringify(unknown)}`;
    }
  }
}

/** Sealing key = HKDF-SHA256(hardware secret, info = measurement) (ARCHITECTURE.md §5). */
export function sealingKey(hardwareSecret: Uint8Array, m: Measurement): Uint8Array {
  return hkdf(sha256, hardwareSecret, SEAL_SALT, m, 32);
}

/** Seals `data` under `key` for measurement `m` with a fresh 24-byte `nonce`. */
export function sealWithKey(key: Uint8Array, m: Measurement, nonce: Uint8Array, data: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new Error(`sealing nonce must be ${NONCE_BYTES} bytes`);
  const body = xchacha20poly1305(key, nonce, m).encrypt(data);
  const out = new Uint8Array(HEADER_BYTES + body.length);
  out[0] = VERSION;
  out.set(m, 1);
  out.set(nonce, 33);
  out.set(body, HEADER_BYTES);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Opens a blob made by {@link sealWithKey}, refusing with a typed {@link UnsealError}. */
export function unsealWithKey(key: Uint8Array, current: Measurement, blob: Uint8Array): E.Either<UnsealError, Uint8Array> {
  if (blob.length < HEADER_BYTES + TAG_BYTES) {
    return E.left({ _tag: 'SealedBlobMalformed', detail: `${blob.length} bytes is shorter than header and tag` });
  }
  if (blob[0] !== VERSION) return E.left({ _tag: 'SealedBlobMalformed', detail: `unknown version ${blob[0]}` });
  const sealedFor = blob.slice(1, 33);
  if (!sameBytes(sealedFor, current)) {
    return E.left({ _tag: 'SealedForAnotherMeasurement', sealedFor, current: Uint8Array.from(current) });
  }
  try {
    return E.right(xchacha20poly1305(key, blob.subarray(33, HEADER_BYTES), current).decrypt(blob.subarray(HEADER_BYTES)));
  } catch {
    // @noble/ciphers throws on a tag mismatch: another platform's key, or edited bytes.
    return E.left({ _tag: 'SealIntegrityFailure' });
  }
}
