/**
 * Calls of the Phat contracts pallet, with Phala's call indices (`#[pallet::call_index]` 0–10) and
 * argument order, so an encoded call matches Phala's bytes. Balances are plain `u128` (Phala's
 * calls take no `#[pallet::compact]` arguments).
 */
import { resourceTypeCodec } from '../../codec/contractEvents.codec';
import { bytes, type CodecType, option, struct, tuple, u32, u64, u128, variant, vec } from '../../codec/scale';
import { AccountId, ClusterId, ContractId, H256, WorkerPubkey } from '../../ids/ids';
import { ClusterPermission, INK_CODE_SIZE_LIMIT } from './phat.state';

const cluster = ClusterId.codec;

/** `CodeIndex<H256>`: the only variant is `WasmCode(code_hash)`. */
export const CodeIndex = variant('CodeIndex', { WasmCode: H256.codec });

/** The call enum; `inkCodeSizeLimit` bounds `set_pink_system_code`'s `BoundedVec` (a longer code does not decode). */
export function phatCallCodec(inkCodeSizeLimit: number = INK_CODE_SIZE_LIMIT) {
  return variant('PhatCall', {
    addCluster: struct({
      owner: AccountId.codec,
      permission: ClusterPermission,
      deployWorkers: vec(WorkerPubkey.codec),
      deposit: u128,
      gasPrice: u128,
      depositPerItem: u128,
      depositPerByte: u128,
      treasuryAccount: AccountId.codec,
    }),
    clusterUploadResource: struct({ clusterId: cluster, resourceType: resourceTypeCodec, resourceData: bytes() }),
    transferToCluster: struct({ amount: u128, clusterId: cluster, destAccount: AccountId.codec }),
    pushContractMessage: struct({ contractId: ContractId.codec, payload: bytes(), deposit: u128 }),
    instantiateContract: struct({
      codeIndex: CodeIndex,
      data: bytes(),
      salt: bytes(),
      clusterId: cluster,
      transfer: u128,
      gasLimit: u64,
      storageDepositLimit: option(u128),
      deposit: u128,
    }),
    clusterDestroy: struct({ cluster }),
    setPinkSystemCode: struct({ code: bytes(inkCodeSizeLimit) }),
    setPinkRuntimeVersion: struct({ version: tuple(u32, u32) }),
    addWorkerToCluster: struct({ workerPubkey: WorkerPubkey.codec, clusterId: cluster }),
    removeWorkerFromCluster: struct({ workerPubkey: WorkerPubkey.codec, clusterId: cluster }),
    cleanupRemovedWorkers: struct({ clusterId: cluster }),
  });
}

/** A call of the Phat contracts pallet. */
export type PhatCall = CodecType<ReturnType<typeof phatCallCodec>>;
