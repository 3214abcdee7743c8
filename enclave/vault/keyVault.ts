import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import type { Random } from '../../domain/ports/random';
import { type AeadError, aesGcmDecrypt, aesGcmEncrypt } from '../aead';
import { agree } from '../ecdh';
import { gkIvFrom, nextRandomNumberFrom } from '../gkDeterminism';
import { type EncryptedKey, type KeyShareError, decryptKeyFrom, encryptKeyFromDerived } from '../keyShare';
import { derivePair } from '../keys/derivationTree';
import { type Sr25519Pair, pairFromCanonicalSecret, pairFromSeed } from '../keys/sr25519Pair';
import { recordHeldSecret } from '../leakRegistry';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { UnsealError } from '../platform/sealing';
import { signWith } from '../signing';
import { SEALED_VAULT_VERSION, sealedVaultCodec } from './vaultSeal';
import { decodeMasterKeySeal, encodeMasterKeySeal } from './masterKeySeal';
import { type KeyRef, type MasterKeyEntry, type VaultState, activeMasterEntry, keyPairOf, newVaultState, restoreVaultState } from './vaultState';

export type { KeyRef, MasterKeyEntry } from './vaultState';


/** Public facts of one master key: no secret. */
export interface MasterKeyInfo {
  readonly rotationId: bigint;
  readonly blockHeight: number;
  readonly publicKey: Uint8Array;
}

/** Why a sealed master-key history could not be restored. */
export type RestoreMasterKeysError = UnsealError | { readonly _tag: 'MasterKeySealInvalid'; readonly detail: string };

/** A rejected key handover. */
export type KeyAcceptError = KeyShareError | { readonly _tag: 'BadRotationId'; readonly expected: bigint; readonly got: bigint };

/**
 * The key vault of one enclave: identity key, master-key history, cluster and contract keys.
 * Every method returns public keys, signatures, ciphertexts or sealed blobs — never a secret; the
 * secrets live in a closure. IV sequences are owned by the caller (the GK state), so a GK that
 * replays the chain reproduces every ciphertext.
 */
export interface KeyVault {
  /** identity public key = its ECDH public key (Phala registers the same bytes for both) */
  readonly identityPublicKey: Uint8Array;
  publicKeyOf(key: KeyRef): Uint8Array;
  /** signs with the vault's own signing stream, or with `random` (e.g. a fork per mq sequence) */
  sign(key: KeyRef, message: Uint8Array, random?: Random): Uint8Array;
  /** AES-256-GCM under `agree(key, peer)`; the query/command channel of contracts */
  encryptTo(key: KeyRef, peerPublicKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): E.Either<AeadError, Uint8Array>;
  decryptFrom(key: KeyRef, peerPublicKey: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): E.Either<AeadError, Uint8Array>;
  masterKeyHistory(): readonly MasterKeyInfo[];
  /** the master key in use (the newest unless {@link KeyVault.useMasterKey} chose another) */
  activeMasterKey(): MasterKeyInfo;
  /** makes the key of `rotationId` the one in use; false if the history lacks it (`switch_master_key`) */
  useMasterKey(rotationId: bigint): boolean;
  /** `master_key::seal`: the history as `MasterKeySeal::V2`, signed by the identity key, sealed for (platform, `m`) */
  sealMasterKeyHistory(platform: Platform, m: Measurement): Uint8Array;
  /** `master_key::try_unseal`: loads a sealed history into a vault that holds none */
  restoreMasterKeyHistory(platform: Platform, m: Measurement, blob: Uint8Array): E.Either<RestoreMasterKeysError, readonly MasterKeyInfo[]>;
  /** first GK at launch: a fresh master key, rotation 0 at block 0 */
  generateFirstMasterKey(): MasterKeyInfo;
  /** `encrypt_key_to(["master_key_sharing"], …)` of every master key, IVs from `ivSeq` upward */
  shareMasterKeyHistory(recipientEcdhPubkey: Uint8Array, blockNumber: number, ivSeq: bigint): Array<{ rotationId: bigint; blockHeight: number; key: EncryptedKey }>;
  /** a rotation: a fresh key encrypted to each recipient (IVs from `ivSeq` upward); the key itself is dropped */
  encryptFreshMasterKeyTo(recipientEcdhPubkeys: readonly Uint8Array[], blockNumber: number, ivSeq: bigint): EncryptedKey[];
  /** appends a received master key (rotation ids must be contiguous) */
  acceptMasterKey(key: EncryptedKey, rotationId: bigint, blockHeight: number): E.Either<KeyAcceptError, MasterKeyInfo>;
  /** GK: `encrypt_key_to(["cluster_key_sharing"], …)` of the cluster key derived from the master key */
  shareClusterKey(clusterId: Uint8Array, recipientEcdhPubkey: Uint8Array, blockNumber: number, ivSeq: bigint): EncryptedKey;
  /** worker: keeps a cluster key a GK shared with it */
  acceptClusterKey(clusterId: Uint8Array, key: EncryptedKey): E.Either<KeyShareError, Uint8Array>;
  /** GK random beacon for `blockNumber`, with the master key in force at that block (up to the one in use) */
  randomNumber(blockNumber: number, lastRandom: Uint8Array): Uint8Array;
  /**
   * 32 bytes of randomness for a contract program, derived from the contract key and `context`
   * (HKDF-SHA256, IKM = the contract's canonical secret, a phalanet-only salt): every worker of
   * the cluster draws the same bytes, nobody outside the enclave can predict them, and the key
   * itself never leaves (HKDF is one-way).
   */
  contractRandomness(key: ContractKeyRef, context: Uint8Array): Uint8Array;
  /** everything needed to rebuild this vault, sealed for (this platform, `m`) */
  seal(platform: Platform, m: Measurement): Uint8Array;
}

/** Keys a GK derives from a master key (DOMAIN.md §3.2). */
type MasterDerivedKind = 'iv_generator' | 'random_number' | 'master_key_sharing' | 'cluster_key_sharing';

/** A {@link KeyRef} naming a contract key. */
export type ContractKeyRef = Extract<KeyRef, { kind: 'contract' }>;

const CONTRACT_RANDOMNESS_SALT = new TextEncoder().encode('phalanet/contract-program-randomness');

function infoOf(entry: MasterKeyEntry): MasterKeyInfo {
  return { rotationId: entry.rotationId, blockHeight: entry.blockHeight, publicKey: entry.pair.publicKey };
}

function latestMaster(state: VaultState): MasterKeyEntry {
  const last = state.masterKeyHistory[state.masterKeyHistory.length - 1];
  if (last === undefined) throw new Error('this vault holds no master key (not a gatekeeper)');
  return last;
}

function vaultOver(state: VaultState, random: Random): KeyVault {
  const signing = random.fork('signatures');
  const keyGeneration = random.fork('key-generation');
  const remember = (label: string, pair: Sr25519Pair) => recordHeldSecret(vault, { kind: 'sr25519', label, pair });
  // ECDH agreements are AES-256-GCM keys as they are (no KDF): each distinct one is recorded once.
  const agreements = new Map<string, Uint8Array>();
  const rememberAgreement = (what: string) => (aesKey: Uint8Array) => {
    const id = Buffer.from(aesKey).toString('latin1');
    if (agreements.has(id)) return;
    agreements.set(id, aesKey);
    recordHeldSecret(vault, { kind: 'bytes', label: `ECDH agreement (AES-256-GCM key) of ${what}`, bytes: aesKey });
  };
  const agreeRecorded = (key: KeyRef, peer: Uint8Array): Uint8Array => {
    const aesKey = agree(pairOf(key), peer);
    rememberAgreement(`the ${key.kind} key`)(aesKey);
    return aesKey;
  };
  // Keys derived from a master key (iv_generator, random_number, *_sharing) are cached per
  // rotation and recorded for the leak scan the first time they exist.
  const fromMaster = new Map<string, Sr25519Pair>();
  const masterDerived = (entry: MasterKeyEntry, kind: MasterDerivedKind): Sr25519Pair => {
    const id = `${entry.rotationId}/${kind}`;
    let pair = fromMaster.get(id);
    if (pair === undefined) {
      pair = derivePair(entry.pair, { kind });
      fromMaster.set(id, pair);
      remember(`master key ${entry.rotationId} / ${kind}`, pair);
    }
    return pair;
  };
  const masterEncryptTo = (kind: 'master_key_sharing' | 'cluster_key_sharing', to: Uint8Array, secret: Uint8Array, blockNumber: number, ivSeq: bigint) => {
    const master = activeMasterEntry(state);
    const iv = gkIvFrom(masterDerived(master, 'iv_generator'), blockNumber, ivSeq);
    return encryptKeyFromDerived(masterDerived(master, kind), to, secret, iv, rememberAgreement(kind));
  };
  // Derived cluster/contract pairs are cached (a derivation costs an HKDF and a key expansion) and
  // recorded for the leak scan the first time they exist.
  const derived = new Map<string, Sr25519Pair>();
  const pairOf = (key: KeyRef): Sr25519Pair => {
    if (key.kind === 'identity' || key.kind === 'master') return keyPairOf(state, key);
    const rotation = state.activeMasterIndex ?? state.masterKeyHistory.length - 1;
    const id = `${key.kind}/${rotation}/${Buffer.from(key.clusterId).toString('hex')}/${key.kind === 'contract' ? Buffer.from(key.contractId).toString('hex') : ''}`;
    let pair = derived.get(id);
    if (pair === undefined) {
      pair = keyPairOf(state, key);
      derived.set(id, pair);
      remember(`${key.kind} key`, pair);
    }
    return pair;
  };
  const vault: KeyVault = {
    identityPublicKey: state.identity.publicKey,
    publicKeyOf: (key) => pairOf(key).publicKey,
    sign: (key, message, random) => signWith(pairOf(key), message, random ?? signing),
    encryptTo: (key, peer, iv, plaintext) => aesGcmEncrypt(agreeRecorded(key, peer), iv, plaintext),
    decryptFrom: (key, peer, iv, ciphertext) => aesGcmDecrypt(agreeRecorded(key, peer), iv, ciphertext),
    masterKeyHistory: () => state.masterKeyHistory.map(infoOf),
    activeMasterKey: () => infoOf(activeMasterEntry(state)),
    useMasterKey: (rotationId) => {
      const index = state.masterKeyHistory.findIndex((e) => e.rotationId === rotationId);
      if (index < 0) return false;
      state.activeMasterIndex = index;
      return true;
    },
    sealMasterKeyHistory: (platform, m) =>
      platform.seal(m, encodeMasterKeySeal(state.masterKeyHistory, (bytes) => signWith(state.identity, bytes, signing))),
    restoreMasterKeyHistory: (platform, m, blob) =>
      E.flatMap(platform.unseal(m, blob), (bytes): E.Either<RestoreMasterKeysError, readonly MasterKeyInfo[]> => {
        if (state.masterKeyHistory.length > 0) throw new Error('restoreMasterKeyHistory: this vault already holds master keys');
        const history = decodeMasterKeySeal(bytes, state.identity.publicKey);
        if (E.isLeft(history)) return E.left({ _tag: 'MasterKeySealInvalid', detail: history.left });
        for (const entry of history.right) {
          remember(`master key ${entry.rotationId}`, entry.pair);
          state.masterKeyHistory.push(entry);
        }
        return E.right(state.masterKeyHistory.map(infoOf));
      }),
    generateFirstMasterKey: () => {
      if (state.masterKeyHistory.length > 0) throw new Error('master key already generated');
      const pair = pairFromSeed(keyGeneration.bytes(32));
      remember('master key 0', pair);
      state.masterKeyHistory.push({ rotationId: 0n, blockHeight: 0, pair });
      return infoOf(latestMaster(state));
    },
    shareMasterKeyHistory: (to, blockNumber, ivSeq) =>
      state.masterKeyHistory.map((entry, i) => ({
        rotationId: entry.rotationId,
        blockHeight: entry.blockHeight,
        key: masterEncryptTo('master_key_sharing', to, entry.pair.canonicalSecret, blockNumber, ivSeq + BigInt(i)),
      })),
    encryptFreshMasterKeyTo: (recipients, blockNumber, ivSeq) => {
      const fresh = pairFromSeed(keyGeneration.bytes(32));
      remember('rotation candidate', fresh);
      return recipients.map((to, i) =>
        masterEncryptTo('master_key_sharing', to, fresh.canonicalSecret, blockNumber, ivSeq + BigInt(i)),
      );
    },
    acceptMasterKey: (key, rotationId, blockHeight) => {
      const expected = state.masterKeyHistory.length === 0 ? rotationId : latestMaster(state).rotationId + 1n;
      if (rotationId !== expected) return E.left({ _tag: 'BadRotationId', expected, got: rotationId });
      return pipe(
        decryptKeyFrom(state.identity, key, rememberAgreement('a received key share')),
        E.map((secret): MasterKeyInfo => {
        const pair = pairFromCanonicalSecret(secret);
        remember(`master key ${rotationId}`, pair);
        state.masterKeyHistory.push({ rotationId, blockHeight, pair });
        return infoOf(latestMaster(state));
        }),
      );
    },
    shareClusterKey: (clusterId, to, blockNumber, ivSeq) => {
      const cluster = pairOf({ kind: 'cluster', clusterId });
      return masterEncryptTo('cluster_key_sharing', to, cluster.canonicalSecret, blockNumber, ivSeq);
    },
    acceptClusterKey: (clusterId, key) =>
      pipe(
        decryptKeyFrom(state.identity, key, rememberAgreement('a received key share')),
        E.map((secret) => {
          const pair = pairFromCanonicalSecret(secret);
          remember('cluster key', pair);
          state.clusterKeys.set(Buffer.from(clusterId).toString('hex'), pair);
          derived.clear(); // a received cluster key replaces any derivation made before it
          return pair.publicKey;
        }),
      ),
    randomNumber: (blockNumber, lastRandom) => nextRandomNumberFrom(masterDerived(masterEntryAt(state, blockNumber), 'random_number'), blockNumber, lastRandom),
    contractRandomness: (key, context) => hkdf(sha256, pairOf(key).canonicalSecret, CONTRACT_RANDOMNESS_SALT, context, 32),
    seal: (platform, m) => platform.seal(m, encodeVault(state)),
  };
  remember('identity key', state.identity);
  for (const entry of state.masterKeyHistory) remember(`master key ${entry.rotationId}`, entry.pair);
  for (const pair of state.clusterKeys.values()) remember('cluster key', pair);
  return vault;
}

// process_random_number_event: a block before the newest key's block_height uses the previous key.
// Phala compares with the newest key of the whole history; here the search stops at the key in
// use, which is the same for a live GK and stays right for a GK replaying a history that already
// holds later rotations (Phala would pick a key from the future there).
function masterEntryAt(state: VaultState, blockNumber: number): MasterKeyEntry {
  const history = state.masterKeyHistory;
  const inUse = state.activeMasterIndex ?? history.length - 1;
  for (let i = inUse; i >= 0; i--) {
    const entry = history[i];
    if (entry !== undefined && entry.blockHeight <= blockNumber) return entry;
  }
  throw new Error(`no master key for block ${blockNumber}`);
}

function encodeVault(state: VaultState): Uint8Array {
  return sealedVaultCodec.enc({
    version: SEALED_VAULT_VERSION,
    identity: state.identity.canonicalSecret,
    masterKeyHistory: state.masterKeyHistory.map((e) => ({ rotationId: e.rotationId, blockHeight: e.blockHeight, secret: e.pair.canonicalSecret })),
    clusterKeys: [...state.clusterKeys.entries()].map(([id, pair]) => [Buffer.from(id, 'hex'), pair.canonicalSecret] as [Uint8Array, Uint8Array]),
  });
}

/** A new vault with a fresh identity key drawn from `random` (seeded in a simulation). */
export function createKeyVault(random: Random): KeyVault {
  return vaultOver(newVaultState(pairFromSeed(random.fork('identity').bytes(32))), random);
}

/** Why a sealed vault could not be restored. */
export type RestoreVaultError = UnsealError | { readonly _tag: 'SealedVaultMalformed'; readonly detail: string };

/** Rebuilds a vault from {@link KeyVault.seal}'s blob on the same platform and build. */
export function restoreKeyVault(platform: Platform, m: Measurement, blob: Uint8Array, random: Random): E.Either<RestoreVaultError, KeyVault> {
  return E.flatMap(platform.unseal(m, blob), (bytes): E.Either<RestoreVaultError, KeyVault> => {
    const state = restoreVaultState(bytes);
    return E.isLeft(state) ? E.left({ _tag: 'SealedVaultMalformed', detail: state.left }) : E.right(vaultOver(state.right, random));
  });
}
