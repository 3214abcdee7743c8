import * as E from 'fp-ts/Either';
import { sr25519Verify } from '../../domain/crypto';
import { SignedContentType, wrapContentToSign } from '../../domain/codec/mq.codec';
import { Bytes, Enum, Struct, Vector, u32, u64 } from 'scale-ts';
import { isCanonicalSecret } from '../keys/secretForms';
import { pairFromCanonicalSecret } from '../keys/sr25519Pair';
import type { MasterKeyEntry } from './vaultState';

const rotatedMasterKeyCodec = Struct({ rotationId: u64, blockHeight: u32, secret: Bytes(64) });
const historyPayloadCodec = Struct({ rotations: Vector(rotatedMasterKeyCodec) });

/**
 * `master_key.seal` contents (`crates/phactory/src/system/master_key.rs`): `MasterKeySeal::V2`
 * holds the history and the identity key's signature over `0xff ‖ 0x04 ‖ SCALE(payload)`, so a
 * blob that unseals but was not written by this enclave's identity is refused. V1 (one key) is
 * kept only so the enum indices match; it is never written.
 */
const masterKeySealCodec = Enum({
  V1: Struct({ secret: Bytes(64), signature: Bytes(64) }),
  V2: Struct({ payload: historyPayloadCodec, signature: Bytes(64) }),
});

/** The bytes the identity key signs for a sealed history. */
function signedBytes(history: readonly MasterKeyEntry[]): Uint8Array {
  const payload = historyPayloadCodec.enc({ rotations: history.map(toRecord) });
  return wrapContentToSign(payload, SignedContentType.MasterKeyStore);
}

function toRecord(e: MasterKeyEntry) {
  return { rotationId: e.rotationId, blockHeight: e.blockHeight, secret: e.pair.canonicalSecret };
}

/** SCALE of `MasterKeySeal::V2` for `history`, signed by `sign` (the identity key). */
export function encodeMasterKeySeal(history: readonly MasterKeyEntry[], sign: (message: Uint8Array) => Uint8Array): Uint8Array {
  const signature = sign(signedBytes(history));
  return masterKeySealCodec.enc({ tag: 'V2', value: { payload: { rotations: history.map(toRecord) }, signature } });
}

/** Decodes and checks a `MasterKeySeal::V2` written by `identityPublicKey`; a message on the left says why not. */
export function decodeMasterKeySeal(bytes: Uint8Array, identityPublicKey: Uint8Array): E.Either<string, MasterKeyEntry[]> {
  let decoded: ReturnType<(typeof masterKeySealCodec)['dec']>;
  try {
    decoded = masterKeySealCodec.dec(bytes);
  } catch (e) {
    return E.left(`undecodable master key seal: ${(e as Error).message}`);
  }
  if (decoded.tag !== 'V2') return E.left('master key seal V1 is not supported');
  const rotations = decoded.value.payload.rotations;
  if (!rotations.every((r) => isCanonicalSecret(r.secret))) return E.left('a sealed master key is not a canonical sr25519 secret');
  if (!rotations.every((r, i) => r.rotationId === BigInt(i))) return E.left('sealed master key history is not contiguous from rotation 0');
  const history = rotations.map((r) => ({ rotationId: r.rotationId, blockHeight: r.blockHeight, pair: pairFromCanonicalSecret(r.secret) }));
  if (!sr25519Verify(signedBytes(history), decoded.value.signature, identityPublicKey)) {
    return E.left('master key seal signature does not match this identity');
  }
  return E.right(history);
}
