import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import * as E from 'fp-ts/Either';
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
import { type KeyRef, type MasterKeyEntry, type VaultState, keyPairOf, newVaultState, restoreVaultState } from './vaultState';

export type { KeyRef } from './vaultState';

/** Public facts of one master key: no secret. */
export interface MasterKeyInfo {
  readonly rotationId: bigint;
  readonly blockHeight: number;
  readonly publicKey: Uint8Array;
}

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
  sign(key: KeyRef, message: Uint8Array): Uint8Array;
  /** AES-256-GCM under `agree(key, peer)`; the query/command channel of contracts */
  encryptTo(key: KeyRef, peerPublicKey: Uint8Array, iv: Uint8Array, plaintext: Uint8Array): E.Either<AeadError, Uint8Array>;
  decryptFrom(key: KeyRef, peerPublicKey: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): E.Either<AeadError, Uint8Array>;
  masterKeyHistory(): readonly MasterKeyInfo[];
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
  /** GK random beacon for `blockNumber`, with the master key valid at that block */
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

interface VaultContext {
  readonly state: VaultState;
  readonly keyGeneration: Random;
  readonly remember: (label: string, pair: Sr25519Pair) => void;
  readonly pairOf: (key: KeyRef) => Sr25519Pair;
  /** a pair derived from one master key (`iv_generator`, `random_number`, `*_sharing`), cached */
  readonly masterDerived: (entry: MasterKeyEntry, kind: MasterDerivedKind) => Sr25519Pair;
  /** forgets cached derivations (a received cluster key replaces a derived one) */
  readonly forgetDerived: () => void;
}

type MasterDerivedKind = 'iv_generator' | 'random_number' | 'master_key_sharing' | 'cluster_key_sharing';

// Derived cluster/contract pairs are cached (a derivation costs an HKDF and a key expansion) and
// recorded for the leak scan the first time they exist. The cache key names the master rotation,
// because a GK derives cluster keys from its newest master key.
function derivedPairCache(state: VaultState, remember: VaultContext['remember']): Pick<VaultContext, 'pairOf' | 'masterDerived' | 'forgetDerived'> {
  const derived = new Map<string, Sr25519Pair>();
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
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const pairOf = (key: KeyRef): Sr25519Pair => {
    if (key.kind === 'identity' || key.kind === 'master') return keyPairOf(state, key);
    const id = `${key.kind}/${state.masterKeyHistory.length}/${hex(key.clusterId)}/${key.kind === 'contract' ? hex(key.contractId) : ''}`;
    let pair = derived.get(id);
    if (pair === undefined) {
      pair = keyPairOf(state, key);
      derived.set(id, pair);
      remember(`${key.kind} key`, pair);
    }
    return pair;
  };
  return { pairOf, masterDerived, forgetDerived: () => derived.clear() };
}

type MasterKeyOperations = Pick<
  KeyVault,
  'masterKeyHistory' | 'generateFirstMasterKey' | 'shareMasterKeyHistory' | 'encryptFreshMasterKeyTo' | 'acceptMasterKey' | 'shareClusterKey' | 'acceptClusterKey' | 'randomNumber'
>;

function masterKeyOperations({ state, keyGeneration, remember, pairOf, masterDerived, forgetDerived }: VaultContext): MasterKeyOperations {
  const masterEncryptTo = (kind: 'master_key_sharing' | 'cluster_key_sharing', to: Uint8Array, secret: Uint8Array, blockNumber: number, ivSeq: bigint) => {
    const master = latestMaster(state);
    const iv = gkIvFrom(masterDerived(master, 'iv_generator'), blockNumber, ivSeq);
    return encryptKeyFromDerived(masterDerived(master, kind), to, secret, iv);
  };
  const received = (key: EncryptedKey, label: string) =>
    E.map((secret: Uint8Array) => {
      const pair = pairFromCanonicalSecret(secret);
      remember(label, pair);
      return pair;
    })(decryptKeyFrom(state.identity, key));
  return {
    masterKeyHistory: () => state.masterKeyHistory.map(infoOf),
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
      return recipients.map((to, i) => masterEncryptTo('master_key_sharing', to, fresh.canonicalSecret, blockNumber, ivSeq + BigInt(i)));
    },
    acceptMasterKey: (key, rotationId, blockHeight) => {
      const expected = state.masterKeyHistory.length === 0 ? rotationId : latestMaster(state).rotationId + 1n;
      if (rotationId !== expected) return E.left({ _tag: 'BadRotationId', expected, got: rotationId });
      return E.map((pair: Sr25519Pair) => {
        state.masterKeyHistory.push({ rotationId, blockHeight, pair });
        return infoOf(latestMaster(state));
      })(received(key, `master key ${rotationId}`));
    },
    shareClusterKey: (clusterId, to, blockNumber, ivSeq) =>
      masterEncryptTo('cluster_key_sharing', to, pairOf({ kind: 'cluster', clusterId }).canonicalSecret, blockNumber, ivSeq),
    acceptClusterKey: (clusterId, key) =>
      E.map((pair: Sr25519Pair) => {
        state.clusterKeys.set(Buffer.from(clusterId).toString('hex'), pair);
        forgetDerived();
        return pair.publicKey;
      })(received(key, 'cluster key')),
    randomNumber: (blockNumber, lastRandom) =>
      nextRandomNumberFrom(masterDerived(masterKeyAt(state, blockNumber), 'random_number'), blockNumber, lastRandom),
  };
}

function vaultOver(state: VaultState, random: Random): KeyVault {
  const signing = random.fork('signatures');
  const remember = (label: string, pair: Sr25519Pair) => recordHeldSecret(vault, { kind: 'sr25519', label, pair });
  const { pairOf, masterDerived, forgetDerived } = derivedPairCache(state, remember);
  const vault: KeyVault = {
    identityPublicKey: state.identity.publicKey,
    publicKeyOf: (key) => pairOf(key).publicKey,
    sign: (key, message) => signWith(pairOf(key), message, signing),
    encryptTo: (key, peer, iv, plaintext) => aesGcmEncrypt(agree(pairOf(key), peer), iv, plaintext),
    decryptFrom: (key, peer, iv, ciphertext) => aesGcmDecrypt(agree(pairOf(key), peer), iv, ciphertext),
    ...masterKeyOperations({ state, keyGeneration: random.fork('key-generation'), remember, pairOf, masterDerived, forgetDerived }),
    contractRandomness: (key, context) => hkdf(sha256, pairOf(key).canonicalSecret, CONTRACT_RANDOMNESS_SALT, context, 32),
    seal: (platform, m) => platform.seal(m, encodeVault(state)),
  };
  remember('identity key', state.identity);
  for (const entry of state.masterKeyHistory) remember(`master key ${entry.rotationId}`, entry.pair);
  for (const pair of state.clusterKeys.values()) remember('cluster key', pair);
  return vault;
}

// process_random_number_event: a block before the newest key's block_height uses the previous key.
function masterKeyAt(state: VaultState, blockNumber: number): MasterKeyEntry {
  const history = state.masterKeyHistory;
  const last = latestMaster(state);
  if (last.blockHeight <= blockNumber) return last;
  const previous = history[history.length - 2];
  if (previous === undefined) throw new Error(`no master key for block ${blockNumber}`);
  return previous;
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
