import { gcm } from '@noble/ciphers/aes.js';
import * as E from 'fp-ts/Either';

/** IV length of Phala's AEAD (`aead::IV_BYTES`). */
export const IV_BYTES = 12;
/** GCM tag appended to every ciphertext. */
export const TAG_BYTES = 16;

/** Why an AEAD operation failed (names as Phala's `CryptoError`). */
export type AeadError =
  | { readonly _tag: 'AeadInvalidKey'; readonly keyBytes: number }
  | { readonly _tag: 'AeadInvalidIv'; readonly ivBytes: number }
  | { readonly _tag: 'AeadDecryptError' };

function checkKeyIv(key: Uint8Array, iv: Uint8Array): AeadError | undefined {
  if (key.length !== 32) return { _tag: 'AeadInvalidKey', keyBytes: key.length };
  if (iv.length !== IV_BYTES) return { _tag: 'AeadInvalidIv', ivBytes: iv.length };
  return undefined;
}

/**
 * `aead::encrypt`: AES-256-GCM, 12-byte IV, no associated data, 16-byte tag appended (the JS SDK's
 * `aes-256-gcm.ts` layout). Output length = plaintext length + 16.
 */
export function aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): E.Either<AeadError, Uint8Array> {
  const bad = checkKeyIv(key, iv);
  return bad ? E.left(bad) : E.right(gcm(key, iv).encrypt(plaintext));
}

/** `aead::decrypt`: the inverse of {@link aesGcmEncrypt}; a wrong key, IV or any flipped bit fails. */
export function aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): E.Either<AeadError, Uint8Array> {
  const bad = checkKeyIv(key, iv);
  if (bad) return E.left(bad);
  if (ciphertext.length < TAG_BYTES) return E.left({ _tag: 'AeadDecryptError' });
  try {
    return E.right(gcm(key, iv).decrypt(ciphertext));
  } catch {
    // @noble/ciphers throws on a tag mismatch: that is the authenticated refusal.
    return E.left({ _tag: 'AeadDecryptError' });
  }
}
