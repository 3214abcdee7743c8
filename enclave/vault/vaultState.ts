import * as E from 'fp-ts/Either';
import { clusterKeyOf, contractKeyOf } from '../keys/derivationTree';
import { isCanonicalSecret } from '../keys/secretForms';
import { type Sr25519Pair, pairFromCanonicalSecret } from '../keys/sr25519Pair';
import { SEALED_VAULT_VERSION, sealedVaultCodec } from './vaultSeal';

/** Which key of the vault an operation uses (DOMAIN.md §3.2). Ids are 32 bytes. */
export type KeyRef =
  | { readonly kind: 'identity' }
  | { readonly kind: 'master' }
  | { readonly kind: 'cluster'; readonly clusterId: Uint8Array }
  | { readonly kind: 'contract'; readonly clusterId: Uint8Array; readonly contractId: Uint8Array };

/** One entry of the master-key history (`RotatedMasterKey`). */
export interface MasterKeyEntry {
  readonly rotationId: bigint;
  readonly blockHeight: number;
  readonly pair: Sr25519Pair;
}

/** The secrets of one vault. Module-internal to enclave/vault: never handed out. */
export interface VaultState {
  readonly identity: Sr25519Pair;
  readonly masterKeyHistory: MasterKeyEntry[];
  /** cluster keys received from a GK, by hex cluster id */
  readonly clusterKeys: Map<string, Sr25519Pair>;
  /**
   * Index in the history of the master key in use; undefined = the newest. A GK replaying from
   * genesis starts on the first key and switches at each rotation it replays (gk.rs `Gatekeeper::new`,
   * `switch_master_key`).
   */
  activeMasterIndex: number | undefined;
}

/** The master key in use (see {@link VaultState.activeMasterIndex}); throws if there is none. */
export function activeMasterEntry(state: VaultState): MasterKeyEntry {
  const history = state.masterKeyHistory;
  const entry = history[state.activeMasterIndex ?? history.length - 1];
  if (entry === undefined) throw new Error('this vault holds no master key (not a gatekeeper)');
  return entry;
}

/** A state holding only an identity key. */
export function newVaultState(identity: Sr25519Pair): VaultState {
  return { identity, masterKeyHistory: [], clusterKeys: new Map(), activeMasterIndex: undefined };
}

/** The cluster key: received from a GK, else derived from the newest master key (GK). */
export function clusterPairOf(state: VaultState, clusterId: Uint8Array): Sr25519Pair {
  const received = state.clusterKeys.get(Buffer.from(clusterId).toString('hex'));
  if (received !== undefined) return received;
  if (state.masterKeyHistory.length === 0) throw new Error('this vault holds neither that cluster key nor a master key');
  return clusterKeyOf(activeMasterEntry(state).pair, clusterId);
}

/** The pair a {@link KeyRef} names; throws if the vault does not hold it (a caller bug). */
export function keyPairOf(state: VaultState, key: KeyRef): Sr25519Pair {
  switch (key.kind) {
    case 'identity':
      return state.identity;
    case 'master':
      return activeMasterEntry(state).pair;
    case 'cluster':
      return clusterPairOf(state, key.clusterId);
    case 'contract':
      return contractKeyOf(clusterPairOf(state, key.clusterId), key.contractId);
    default: {
      const unknown: never = key;
      throw new Error(`unknown key ref ${JSON.stringify(unknown)}`);
    }
  }
}

/** Decodes an unsealed vault; a message on the left says what is wrong. */
export function restoreVaultState(bytes: Uint8Array): E.Either<string, VaultState> {
  let decoded: ReturnType<(typeof sealedVaultCodec)['dec']>;
  try {
    decoded = sealedVaultCodec.dec(bytes);
  } catch (e) {
    return E.left(`undecodable: ${(e as Error).message}`);
  }
  if (decoded.version !== SEALED_VAULT_VERSION) return E.left(`unknown sealed vault version ${decoded.version}`);
  const secrets = [decoded.identity, ...decoded.masterKeyHistory.map((m) => m.secret), ...decoded.clusterKeys.map(([, s]) => s)];
  if (!secrets.every(isCanonicalSecret)) return E.left('a sealed secret is not a canonical sr25519 secret');
  return E.right({
    identity: pairFromCanonicalSecret(decoded.identity),
    masterKeyHistory: decoded.masterKeyHistory.map((m) => ({ rotationId: m.rotationId, blockHeight: m.blockHeight, pair: pairFromCanonicalSecret(m.secret) })),
    clusterKeys: new Map(decoded.clusterKeys.map(([id, s]) => [Buffer.from(id).toString('hex'), pairFromCanonicalSecret(s)])),
    activeMasterIndex: undefined,
  });
}
