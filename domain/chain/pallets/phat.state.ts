/**
 * Storage of the Phat contracts pallet (`pallets/phala/src/phat.rs`, storage version 8), and the
 * lookups other pallets need: the mq pallet verifies `Cluster(id)` and `Contract(id)` signatures
 * against `clusterKeyOf` / `contractKeyOf`.
 *
 * Phala keeps `ClusterKeys` and `ContractKeys` in the registry pallet; phalanet keeps them here,
 * beside the handlers that write them. `ClusterResources` is phalanet's own: Phala's pallet only
 * forwards uploaded code to the workers, phalanet also records which code hashes a cluster has
 * received (a read model for instantiation; Phala never checks it, and neither do we).
 */
import { resourceTypeCodec } from '../../codec/contractEvents.codec';
import { bytes, type CodecType, option, struct, tuple, u16, u32, u64, u128, unit, variant, vec } from '../../codec/scale';
import { AccountId, ClusterId, ContractId, H256, WorkerPubkey } from '../../ids/ids';
import { type StorageReader, storageMap, storageValue } from '../../runtime/storage';

/** The pallet's name in the runtime (also the `Pallet(name)` origin of the messages it pushes). */
export const PHAT = 'PhalaPhatContracts';

/** Phala's `InkCodeSizeLimit` (standalone and Khala runtimes): 2 MiB. */
export const INK_CODE_SIZE_LIMIT = 2 * 1024 * 1024;
/** Phala's `SidevmCodeSizeLimit`: 8 MiB. */
export const SIDEVM_CODE_SIZE_LIMIT = 8 * 1024 * 1024;

/** `ClusterPermission<AccountId32>`: who may deploy contracts into a cluster. */
export const ClusterPermission = variant('ClusterPermission', { Public: unit, OnlyOwner: AccountId.codec });
/** Who may deploy (and upload code) into a cluster. */
export type ClusterPermission = CodecType<typeof ClusterPermission>;

/** `ClusterInfo<AccountId32>` (v8: workers live in `ClusterWorkers`). */
export const ClusterInfo = struct({
  owner: AccountId.codec,
  permission: ClusterPermission,
  systemContract: ContractId.codec,
  gasPrice: u128,
  depositPerItem: u128,
  depositPerByte: u128,
});
/** A cluster as the chain records it. */
export type ClusterInfo = CodecType<typeof ClusterInfo>;

/** `BasicContractInfo { deployer, cluster }`. */
export const BasicContractInfo = struct({ deployer: AccountId.codec, cluster: ClusterId.codec });
/** A contract as the chain records it. */
export type BasicContractInfo = CodecType<typeof BasicContractInfo>;

/** What phalanet records of one uploaded resource (keyed by cluster and `blake2_256(data)`). */
export const ClusterResource = struct({ resourceType: resourceTypeCodec, uploader: AccountId.codec, size: u32 });
/** An uploaded resource's kind, uploader and size. */
export type ClusterResource = CodecType<typeof ClusterResource>;

/** The cluster id reserved for removed workers (`from_low_u64_be(0)`): they can never join again. */
export const REMOVED_WORKERS_CLUSTER: ClusterId = ClusterId.fromCounter(0n);

/** The latest cluster counter (ids start at 1). */
export const ClusterCounter = storageValue(PHAT, 'ClusterCounter', u64, 0n);
/** cluster id → info */
export const Clusters = storageMap(PHAT, 'Clusters', ClusterId.codec, ClusterInfo);
/** cluster id → contracts whose key the cluster announced, in announcement order */
export const ClusterContracts = storageMap(PHAT, 'ClusterContracts', ClusterId.codec, vec(ContractId.codec));
/** cluster id → workers, in joining order */
export const ClusterWorkers = storageMap(PHAT, 'ClusterWorkers', ClusterId.codec, vec(WorkerPubkey.codec));
/** worker → its cluster (the reserved id 0 once removed) */
export const ClusterByWorkers = storageMap(PHAT, 'ClusterByWorkers', WorkerPubkey.codec, ClusterId.codec);
/** contract id → deployer and cluster */
export const Contracts = storageMap(PHAT, 'Contracts', ContractId.codec, BasicContractInfo);
/** cluster id → cluster public key (written by the gatekeepers' message) */
export const ClusterKeys = storageMap(PHAT, 'ClusterKeys', ClusterId.codec, H256.codec);
/** contract id → contract public key (written by the cluster's message) */
export const ContractKeys = storageMap(PHAT, 'ContractKeys', ContractId.codec, H256.codec);
/** (version, code) of the pink system contract used for new clusters */
export const PinkSystemCode = storageValue(PHAT, 'PinkSystemCode', tuple(u16, bytes()), [0, new Uint8Array(0)] as [number, Uint8Array]);
/** blake2_256 of `PinkSystemCode`'s code; unset until a code was applied */
export const PinkSystemCodeHash = storageValue(PHAT, 'PinkSystemCodeHash', option(H256.codec), undefined);
/** code scheduled by `set_pink_system_code`, applied at the next block's initialization */
export const NextPinkSystemCode = storageValue(PHAT, 'NextPinkSystemCode', option(bytes()), undefined);
/** (major, minor) pink runtime version for new clusters */
export const PinkRuntimeVersion = storageValue(PHAT, 'PinkRuntimeVersion', option(tuple(u32, u32)), undefined);
/** phalanet: (cluster, code hash) → uploaded resource */
export const ClusterResources = storageMap(PHAT, 'ClusterResources', struct({ cluster: ClusterId.codec, codeHash: H256.codec }), ClusterResource);

/** A cluster's public key (32 bytes), for the mq pallet's check of `Cluster(id)` signatures; the id as hex or as the origin's bytes. */
export function clusterKeyOf(s: StorageReader, clusterId: ClusterId | Uint8Array): Uint8Array | undefined {
  const key = ClusterKeys.get(s, typeof clusterId === 'string' ? clusterId : ClusterId.fromBytes(clusterId));
  return key === undefined ? undefined : H256.toBytes(key);
}

/** A contract's public key (32 bytes), for the mq pallet's check of `Contract(id)` signatures; the id as hex or as the origin's bytes. */
export function contractKeyOf(s: StorageReader, contractId: ContractId | Uint8Array): Uint8Array | undefined {
  const key = ContractKeys.get(s, typeof contractId === 'string' ? contractId : ContractId.fromBytes(contractId));
  return key === undefined ? undefined : H256.toBytes(key);
}

/** A resource a cluster received, by the blake2_256 hash of its bytes (phalanet's record). */
export function clusterResourceOf(s: StorageReader, clusterId: ClusterId, codeHash: H256): ClusterResource | undefined {
  return ClusterResources.get(s, { cluster: clusterId, codeHash });
}
