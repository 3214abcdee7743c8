/**
 * Deciders for the code and contract calls of the Phat contracts pallet (`phat.rs` call indices
 * 1, 3, 4), checks in Phala's order.
 *
 * A contract program in phalanet is an xstate machine definition registered under a name and a
 * version; the pallet never interprets it: it sees the uploaded resource bytes and the code hash
 * (blake2_256 of those bytes, as Phala hashes wasm code).
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { ClusterOperationScale, ContractOperationScale } from '../../codec/contractEvents.codec';
import { blake2b256 } from '../../codec/hash';
import { toHex } from '../../codec/hex';
import { commandTopic, topicBytes, topics } from '../../codec/topics';
import { contractId } from '../../ids/accounts';
import { type AccountId, ContractId, H256 } from '../../ids/ids';
import type { DispatchContext, DispatchError } from '../../runtime/types';
import { transferToCluster } from './phat.clusterCalls';
import { bytes32, type CallArgs, mayDeploy, phatError, pushFromPallet } from './phat.common';
import { Clusters, Contracts, INK_CODE_SIZE_LIMIT, PHAT, SIDEVM_CODE_SIZE_LIMIT } from './phat.state';

const ok = right(undefined);

/** Size limits of uploaded resources. */
export interface ResourceLimits {
  readonly inkCodeSizeLimit?: number;
  readonly sidevmCodeSizeLimit?: number;
}

function sizeLimit(type: CallArgs<'clusterUploadResource'>['resourceType'], limits: ResourceLimits): number {
  switch (type.tag) {
    case 'InkCode':
    case 'IndeterministicInkCode':
      return limits.inkCodeSizeLimit ?? INK_CODE_SIZE_LIMIT;
    case 'SidevmCode':
      return limits.sidevmCodeSizeLimit ?? SIDEVM_CODE_SIZE_LIMIT;
    default: {
      const never: never = type;
      throw new Error(`unknown resource type ${JSON.stringify(never)}`);
    }
  }
}

/** `cluster_upload_resource`: permission, size limit, then `UploadResource` to the cluster's workers. */
export function clusterUploadResource(ctx: DispatchContext, limits: ResourceLimits, who: AccountId, a: CallArgs<'clusterUploadResource'>): Either<DispatchError, void> {
  const info = Clusters.get(ctx.storage, a.clusterId);
  if (info === undefined) return left(phatError('ClusterNotFound'));
  if (!mayDeploy(who, info)) return left(phatError('ClusterPermissionDenied'));
  if (a.resourceData.length > sizeLimit(a.resourceType, limits)) return left(phatError('PayloadTooLarge'));
  const codeHash = H256.fromBytes(blake2b256(a.resourceData));
  const uploaded = { cluster: a.clusterId, uploader: who, resourceType: a.resourceType, codeHash, size: a.resourceData.length };
  ctx.emit(PHAT, { tag: 'ResourceUploaded', value: uploaded });
  const op = { tag: 'UploadResource' as const, value: { origin: bytes32(who), clusterId: bytes32(a.clusterId), resourceType: a.resourceType, resourceData: a.resourceData } };
  pushFromPallet(ctx, topics.clusterKey, ClusterOperationScale.encode(op));
  return ok;
}

/** `instantiate_contract`: the id is `blake2_256(deployer ‖ code_hash ‖ cluster ‖ salt)` and must be new. */
export function instantiateContract(ctx: DispatchContext, deployer: AccountId, a: CallArgs<'instantiateContract'>): Either<DispatchError, void> {
  const info = Clusters.get(ctx.storage, a.clusterId);
  if (info === undefined) return left(phatError('ClusterNotFound'));
  if (!mayDeploy(deployer, info)) return left(phatError('ClusterPermissionDenied'));
  if (a.deposit !== 0n) {
    const moved = transferToCluster(ctx, deployer, { amount: a.deposit, clusterId: a.clusterId, destAccount: deployer });
    if (isLeft(moved)) return moved;
  }
  const codeHash = a.codeIndex.value;
  const id = ContractId.parse(contractId(deployer, codeHash, a.clusterId, toHex(a.salt)));
  if (Contracts.has(ctx.storage, id)) return left(phatError('DuplicatedContract'));
  const contractInfo = {
    deployer: bytes32(deployer),
    codeIndex: { tag: 'WasmCode' as const, value: bytes32(codeHash) },
    salt: a.salt,
    clusterId: bytes32(a.clusterId),
    instantiateData: a.data,
  };
  const op = { tag: 'InstantiateCode' as const, value: { contractInfo, transfer: a.transfer, gasLimit: a.gasLimit, storageDepositLimit: a.storageDepositLimit } };
  pushFromPallet(ctx, topics.contractOperation, ContractOperationScale.encode(op));
  ctx.emit(PHAT, { tag: 'Instantiating', value: { contract: id, cluster: a.clusterId, deployer } });
  return ok;
}

/**
 * `push_contract_message`: the contract must exist only when a deposit goes with the message
 * (§14 F33); the message goes out as `PhalaMq::push_message` would send it, from `AccountId(signer)`.
 */
export function pushContractMessage(ctx: DispatchContext, user: AccountId, a: CallArgs<'pushContractMessage'>): Either<DispatchError, void> {
  if (a.deposit !== 0n) {
    const contract = Contracts.get(ctx.storage, a.contractId);
    if (contract === undefined) return left(phatError('ContractNotFound'));
    const moved = transferToCluster(ctx, user, { amount: a.deposit, clusterId: contract.cluster, destAccount: user });
    if (isLeft(moved)) return moved;
  }
  ctx.push({ sender: { tag: 'AccountId', value: bytes32(user) }, destination: topicBytes(commandTopic(a.contractId)), payload: a.payload });
  return ok;
}
