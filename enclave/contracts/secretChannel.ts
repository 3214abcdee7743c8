/**
 * The encrypted envelopes of a contract (DOMAIN.md §3.1, §9.3): commands arrive as
 * `Payload::Encrypted(EncryptedData)` under agree(contract key, sender's ephemeral key); queries
 * under agree(worker identity key, ephemeral key), and the reply goes back under the same
 * agreement with a fresh IV. AES-256-GCM, 12-byte IV, no AAD. The vault does the crypto; nothing
 * here sees a secret.
 */
import * as E from 'fp-ts/Either';
import { type EncryptedData, EncryptedDataScale, type ContractQuery, ContractQueryScale } from '../../domain/codec/contractEvents.codec';
import type { Random } from '../../domain/ports/random';
import type { KeyRef, KeyVault } from '../vault/keyVault';

/** Why an envelope could not be opened. */
export type EnvelopeError =
  | { readonly _tag: 'UndecodableEnvelope'; readonly what: string; readonly detail: string }
  | { readonly _tag: 'BadEphemeralKey' }
  | { readonly _tag: 'DecryptFailed'; readonly detail: string };

function decodeOr<T>(decode: (b: Uint8Array) => T, bytes: Uint8Array, what: string): E.Either<EnvelopeError, T> {
  try {
    return E.right(decode(bytes));
  } catch (e) {
    return E.left({ _tag: 'UndecodableEnvelope', what, detail: (e as Error).message });
  }
}

/** Decrypts `EncryptedData` with `key` (the vault agrees with the sender's ephemeral public key). */
export function openEncrypted(vault: KeyVault, key: KeyRef, data: EncryptedData): E.Either<EnvelopeError, Uint8Array> {
  let opened: ReturnType<KeyVault['decryptFrom']>;
  try {
    opened = vault.decryptFrom(key, data.pubkey, data.iv, data.data);
  } catch {
    // `agree` throws on bytes that are not a Ristretto point: the sender's key, not ours
    return E.left({ _tag: 'BadEphemeralKey' });
  }
  return E.mapLeft((e: { _tag: string }) => ({ _tag: 'DecryptFailed' as const, detail: e._tag }))(opened);
}

/**
 * Opens a command `Payload<Cmd>`: index 0 = `Plain(Cmd)` (the command bytes follow inline),
 * index 1 = `Encrypted(EncryptedData)` whose plaintext is SCALE(Cmd). Returns the command bytes.
 */
export function openCommandPayload(vault: KeyVault, contractKey: KeyRef, payload: Uint8Array): E.Either<EnvelopeError, Uint8Array> {
  const tag = payload[0];
  if (tag === 0) return E.right(payload.slice(1));
  if (tag !== 1) return E.left({ _tag: 'UndecodableEnvelope', what: 'Payload', detail: tag === undefined ? 'empty' : `unknown variant index ${tag}` });
  return E.flatMap(decodeOr(EncryptedDataScale.decode, payload.slice(1), 'EncryptedData'), (data) => openEncrypted(vault, contractKey, data));
}

/** An opened query: what was asked and the ephemeral key to answer to. */
export interface OpenedQuery {
  readonly query: ContractQuery;
  readonly replyTo: Uint8Array;
}

/** Decrypts `encoded_encrypted_data` with the worker identity key and decodes `ContractQuery{head{id, nonce}, data}`. */
export function openQuery(vault: KeyVault, encodedEncryptedData: Uint8Array): E.Either<EnvelopeError, OpenedQuery> {
  return E.flatMap(decodeOr(EncryptedDataScale.decode, encodedEncryptedData, 'EncryptedData'), (data) =>
    E.flatMap(openEncrypted(vault, { kind: 'identity' }, data), (plain) =>
      E.map((query: ContractQuery) => ({ query, replyTo: data.pubkey }))(decodeOr(ContractQueryScale.decode, plain, 'ContractQuery')),
    ),
  );
}

/** SCALE `EncryptedData` of `plaintext` from the worker identity key to `replyTo`, IV drawn from `random`. */
export function sealReply(vault: KeyVault, random: Random, replyTo: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const iv = random.bytes(12);
  const data = vault.encryptTo({ kind: 'identity' }, replyTo, iv, plaintext);
  // the key and IV lengths are ours and fixed: a failure here is a bug
  if (E.isLeft(data)) throw new Error(`reply encryption failed: ${data.left._tag}`);
  return EncryptedDataScale.encode({ iv, pubkey: vault.identityPublicKey, data: data.right });
}
