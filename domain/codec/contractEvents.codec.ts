/**
 * Phat contract topics and envelopes, byte-exact with `crates/phala-types/src/contract.rs`,
 * `pallets/phala/src/phat.rs` and `crates/phactory` (`Payload`, `EncryptedData`).
 * Generic parameters are fixed as on the chain: `AccountId` = AccountId32, `CodeHash` = H256.
 */
import { encryptedKeyCodec, pubkeyMap, workerIdentityCodec } from './gatekeeperEvents.codec';
import { type Codec, type CodecType, bytes, fixedBytes, option, scale, struct, u64, u128, unit, variant, vec } from './scale';

const h256 = fixedBytes(32);

/** `ClusterEvent` on `phala/cluster/event`. */
export const clusterEventCodec = variant('ClusterEvent', {
  DeployCluster: struct({
    owner: h256,
    cluster: h256,
    workers: vec(workerIdentityCodec),
    deposit: u128,
    gasPrice: u128,
    depositPerItem: u128,
    depositPerByte: u128,
    treasuryAccount: h256,
  }),
});
/** Phat pallet → gatekeepers: deploy a cluster. */
export type ClusterEvent = CodecType<typeof clusterEventCodec>;
/** Strict codec of `ClusterEvent`. */
export const ClusterEventScale = scale('ClusterEvent', clusterEventCodec);

/** `ResourceType`. */
export const resourceTypeCodec = variant('ResourceType', {
  InkCode: unit,
  SidevmCode: unit,
  IndeterministicInkCode: unit,
});

/** `ClusterOperation<AccountId32>` on `phala/cluster/key`. */
export const clusterOperationCodec = variant('ClusterOperation', {
  DispatchKeys: struct({
    secretKeys: pubkeyMap(encryptedKeyCodec),
    cluster: h256,
    owner: h256,
    deposit: u128,
    gasPrice: u128,
    depositPerItem: u128,
    depositPerByte: u128,
    treasuryAccount: h256,
  }),
  DestroyCluster: h256,
  UploadResource: struct({ origin: h256, clusterId: h256, resourceType: resourceTypeCodec, resourceData: bytes() }),
  Deposit: struct({ clusterId: h256, account: h256, amount: u128 }),
  RemoveWorker: struct({ clusterId: h256, worker: h256 }),
});
/** Operations addressed to the workers of a cluster. */
export type ClusterOperation = CodecType<typeof clusterOperationCodec>;
/** Strict codec of `ClusterOperation`. */
export const ClusterOperationScale = scale('ClusterOperation', clusterOperationCodec);

/** `WorkerClusterReport` on `phala/cluster/worker/report`. */
export const workerClusterReportCodec = variant('WorkerClusterReport', {
  ClusterDeployed: struct({ id: h256, pubkey: h256 }),
  ClusterDeploymentFailed: struct({ id: h256 }),
});
/** Worker → Phat pallet: cluster deployment outcome. */
export type WorkerClusterReport = CodecType<typeof workerClusterReportCodec>;
/** Strict codec of `WorkerClusterReport`. */
export const WorkerClusterReportScale = scale('WorkerClusterReport', workerClusterReportCodec);

/** `ContractInfo<H256, AccountId32>` with `CodeIndex::WasmCode(code_hash)`. */
export const contractInfoCodec = struct({
  deployer: h256,
  codeIndex: variant('CodeIndex', { WasmCode: h256 }),
  salt: bytes(),
  clusterId: h256,
  instantiateData: bytes(),
});
/** On-chain contract registration info. */
export type ContractInfo = CodecType<typeof contractInfoCodec>;

/** `ContractOperation` on `phala/contract/op`. */
export const contractOperationCodec = variant('ContractOperation', {
  InstantiateCode: struct({ contractInfo: contractInfoCodec, transfer: u128, gasLimit: u64, storageDepositLimit: option(u128) }),
});
/** Phat pallet → cluster workers: instantiate a contract. */
export type ContractOperation = CodecType<typeof contractOperationCodec>;
/** Strict codec of `ContractOperation`. */
export const ContractOperationScale = scale('ContractOperation', contractOperationCodec);

/** `ClusterRegistryEvent` on `^phala/registry/cluster`. */
export const clusterRegistryEventCodec = variant('ClusterRegistryEvent', {
  PubkeyAvailable: struct({ cluster: h256, pubkey: h256 }),
});
/** Gatekeeper → Phat pallet: a cluster's public key. */
export type ClusterRegistryEvent = CodecType<typeof clusterRegistryEventCodec>;
/** Strict codec of `ClusterRegistryEvent`. */
export const ClusterRegistryEventScale = scale('ClusterRegistryEvent', clusterRegistryEventCodec);

/** `ContractRegistryEvent` on `^phala/registry/contract` (`deployer` is an H256 in Phala). */
export const contractRegistryEventCodec = variant('ContractRegistryEvent', {
  PubkeyAvailable: struct({ contract: h256, pubkey: h256, deployer: h256 }),
});
/** Cluster → Phat pallet: a contract's public key. */
export type ContractRegistryEvent = CodecType<typeof contractRegistryEventCodec>;
/** Strict codec of `ContractRegistryEvent`. */
export const ContractRegistryEventScale = scale('ContractRegistryEvent', contractRegistryEventCodec);

/** `EncryptedData { iv: [u8;12], pubkey, data }` (AES-256-GCM ciphertext with tag). */
export const encryptedDataCodec = struct({ iv: fixedBytes(12), pubkey: h256, data: bytes() });
/** A ciphertext and the sender's ephemeral ECDH public key. */
export type EncryptedData = CodecType<typeof encryptedDataCodec>;
/** Strict codec of `EncryptedData`. */
export const EncryptedDataScale = scale('EncryptedData', encryptedDataCodec);

/** `Payload<T>`: `Plain(T)` or `Encrypted(EncryptedData)`, for a command codec `T`. */
export function commandPayloadCodec<T>(command: Codec<T>) {
  return variant('Payload', { Plain: command, Encrypted: encryptedDataCodec });
}
/** The contract command envelope with opaque (`Vec<u8>`) commands, as the simulation uses it. */
export const contractCommandCodec = commandPayloadCodec(bytes());
/** A contract command on `phala/contract/<id>/command`. */
export type ContractCommand = CodecType<typeof contractCommandCodec>;
/** Strict codec of `ContractCommand`. */
export const ContractCommandScale = scale('Payload', contractCommandCodec);

/** `InkCommand::InkMessage` (nonce is `BoundedVec<u8, 32>`). */
export const inkCommandCodec = variant('InkCommand', {
  InkMessage: struct({ nonce: bytes(32), message: bytes(), transfer: u128, gasLimit: u64, storageDepositLimit: option(u128) }),
});
/** An ink! message call. */
export type InkCommand = CodecType<typeof inkCommandCodec>;

/** `ContractQuery<Vec<u8>> { head: { id, nonce }, data }` — id first (DOMAIN §14 F21). */
export const contractQueryCodec = struct({ head: struct({ id: h256, nonce: h256 }), data: bytes() });
/** An off-chain query before encryption. */
export type ContractQuery = CodecType<typeof contractQueryCodec>;
/** Strict codec of `ContractQuery`. */
export const ContractQueryScale = scale('ContractQuery', contractQueryCodec);

/** `ContractQueryResponse<Vec<u8>> { nonce, result }`. */
export const contractQueryResponseCodec = struct({ nonce: h256, result: bytes() });
/** A query reply before encryption. */
export type ContractQueryResponse = CodecType<typeof contractQueryResponseCodec>;
/** Strict codec of `ContractQueryResponse`. */
export const ContractQueryResponseScale = scale('ContractQueryResponse', contractQueryResponseCodec);
