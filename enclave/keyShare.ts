import * as E from 'fp-ts/Either';
import { type AeadError, aesGcmDecrypt, aesGcmEncrypt } from './aead';
import { agree } from './ecdh';
import { isCanonicalSecret } from './keys/secretForms';
import { type Sr25519Pair, deriveSr25519Pair } from './keys/sr25519Pair';

/** `EncryptedKey` as it travels on the GK channel (phala-types). */
export interface EncryptedKey {
  /** the sender's derived ECDH public key the recipient agrees with */
  readonly ecdhPubkey: Uint8Array;
  /** AES-256-GCM ciphertext of the 64-byte canonical secret, tag appended (80 bytes) */
  readonly encryptedKey: Uint8Array;
  readonly iv: Uint8Array;
}

/** Why a shared key could not be recovered. */
export type KeyShareError = AeadError | { readonly _tag: 'Sr25519InvalidSecret' } | { readonly _tag: 'EcdhInvalidPublicKey' };

/**
 * `key_share::encrypt_secret_to`: derive `sender.derive(infoParts)`, agree with the recipient's
 * ECDH public key, encrypt the 64-byte secret under that agreement with `iv`. Deterministic: the
 * same inputs give the same bytes, which is what lets every GK emit an identical message.
 * `secret` is Phala's canonical form (`dump_secret_key()`). Throws on malformed inputs (Phala
 * `expect`s: they are bugs in the caller).
 */
export function encryptKeyTo(
  sender: Sr25519Pair,
  infoParts: readonly Uint8Array[],
  recipientEcdhPubkey: Uint8Array,
  secret: Uint8Array,
  iv: Uint8Array,
): EncryptedKey {
  return encryptKeyFromDerived(deriveSr25519Pair(sender, infoParts), recipientEcdhPubkey, secret, iv);
}

/** {@link encryptKeyTo} with the sender's key already derived (callers that cache derivations). */
export function encryptKeyFromDerived(
  derived: Sr25519Pair,
  recipientEcdhPubkey: Uint8Array,
  secret: Uint8Array,
  iv: Uint8Array,
  onAgreement?: (aesKey: Uint8Array) => void,
): EncryptedKey {
  if (secret.length !== 64) throw new Error(`shared secret must be 64 bytes, got ${secret.length}`);
  const aesKey = agree(derived, recipientEcdhPubkey);
  onAgreement?.(aesKey);
  const encrypted = aesGcmEncrypt(aesKey, iv, secret);
  if (E.isLeft(encrypted)) throw new Error(`encryptKeyTo: ${encrypted.left._tag}`);
  return { ecdhPubkey: derived.publicKey, encryptedKey: encrypted.right, iv: Uint8Array.from(iv) };
}

/**
 * `key_share::decrypt_secret_from`: agree with the sender's ECDH public key and open the
 * ciphertext. The result must be a 64-byte canonical secret. `onAgreement` sees the agreement
 * (the AES key) — the vault records it for the leak scan.
 */
export function decryptKeyFrom(recipient: Sr25519Pair, key: EncryptedKey, onAgreement?: (aesKey: Uint8Array) => void): E.Either<KeyShareError, Uint8Array> {
  let agreement: Uint8Array;
  try {
    agreement = agree(recipient, key.ecdhPubkey);
  } catch {
    return E.left({ _tag: 'EcdhInvalidPublicKey' });
  }
  onAgreement?.(agreement);
  return E.flatMap(aesGcmDecrypt(agreement, key.iv, key.encryptedKey), (secret): E.Either<KeyShareError, Uint8Array> =>
    isCanonicalSecret(secret) ? E.right(secret) : E.left({ _tag: 'Sr25519InvalidSecret' }),
  );
}
