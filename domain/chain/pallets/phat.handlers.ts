/**
 * On-chain mq handlers of the Phat contracts pallet, in `msg_routing.rs` order (after the registry
 * and computation pallets). The mq pallet has verified the sender's signature before dispatching;
 * each handler checks only that the sender is the origin its topic expects. Their errors are
 * swallowed by the runtime (§14 F8): a forged or undecodable message changes nothing.
 *
 * Payloads decode as Phala's router decodes them (`Decode::decode` on the payload): trailing bytes
 * after a valid value are ignored.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { clusterRegistryEventCodec, contractRegistryEventCodec, workerClusterReportCodec } from '../../codec/contractEvents.codec';
import type { Message } from '../../codec/mq.codec';
import type { Codec } from '../../codec/scale';
import { topics } from '../../codec/topics';
import { ClusterId, ContractId, H256, WorkerPubkey } from '../../ids/ids';
import { type DispatchContext, type DispatchError, type MessageHandler, unreachable } from '../../runtime/types';
import { phatError } from './phat.common';
import { PHAT } from './phat.state';

const ok = right(undefined);

/** Decodes a value at the start of `payload`, ignoring what follows; undefined if none decodes. */
function decodePrefix<T>(codec: Codec<T>, payload: Uint8Array): T | undefined {
  try {
    // a fresh copy: scale-ts reads the whole underlying buffer of a view
    return codec.dec(new Uint8Array(payload));
  } catch {
    return undefined;
  }
}

/** `on_worker_cluster_message_received`: a worker reports whether it deployed a cluster. */
function onWorkerClusterReport(ctx: DispatchContext, m: Message): Either<DispatchError, void> {
  const report = decodePrefix(workerClusterReportCodec, m.payload);
  if (report === undefined) return left(phatError('MessageCodecError'));
  if (m.sender.tag !== 'Worker') return left(phatError('InvalidSender'));
  const worker = WorkerPubkey.fromBytes(m.sender.value);
  switch (report.tag) {
    case 'ClusterDeployed':
      ctx.emit(PHAT, { tag: 'ClusterDeployed', value: { cluster: ClusterId.fromBytes(report.value.id), pubkey: H256.fromBytes(report.value.pubkey), worker } });
      return ok;
    case 'ClusterDeploymentFailed':
      ctx.emit(PHAT, { tag: 'ClusterDeploymentFailed', value: { cluster: ClusterId.fromBytes(report.value.id), worker } });
      return ok;
    default:
      return unreachable(report);
  }
}

/** `on_cluster_message_received`: the gatekeepers announce (or overwrite) a cluster's public key. */
function onClusterRegistry(ctx: DispatchContext, m: Message): Either<DispatchError, void> {
  const event = decodePrefix(clusterRegistryEventCodec, m.payload);
  if (event === undefined) return left(phatError('MessageCodecError'));
  if (m.sender.tag !== 'Gatekeeper') return left(phatError('InvalidSender'));
  const { cluster, pubkey } = event.value;
  ctx.emit(PHAT, { tag: 'ClusterPubkeyAvailable', value: { cluster: ClusterId.fromBytes(cluster), pubkey: H256.fromBytes(pubkey) } });
  return ok;
}

/**
 * `on_contract_message_received`: a cluster announces a contract's public key. As in Phala, the
 * cluster is taken from the sender and neither it nor the contract is checked against the chain's
 * records (the signature, checked by the mq pallet, is the only authority).
 */
function onContractRegistry(ctx: DispatchContext, m: Message): Either<DispatchError, void> {
  const event = decodePrefix(contractRegistryEventCodec, m.payload);
  if (event === undefined) return left(phatError('MessageCodecError'));
  if (m.sender.tag !== 'Cluster') return left(phatError('InvalidSender'));
  const cluster = ClusterId.fromBytes(m.sender.value);
  const contract = ContractId.fromBytes(event.value.contract);
  ctx.emit(PHAT, { tag: 'ContractPubkeyAvailable', value: { contract, cluster, pubkey: H256.fromBytes(event.value.pubkey) } });
  ctx.emit(PHAT, { tag: 'Instantiated', value: { contract, cluster, deployer: H256.fromBytes(event.value.deployer) } });
  return ok;
}

/** The pallet's handlers, in Phala's routing order. */
export const phatMessageHandlers: readonly MessageHandler[] = [
  { topic: topics.workerClusterReport, handle: onWorkerClusterReport },
  { topic: topics.clusterRegistry, handle: onClusterRegistry },
  { topic: topics.contractRegistry, handle: onContractRegistry },
];
