/**
 * What a worker pRuntime does with cluster and contract chain messages (`process_cluster_operation_event`,
 * `process_cluster_key_distribution`, `process_contract_operation_event`, `apply_instantiating_events`
 * and the contracts' command receivers in `crates/phactory/src/system/mod.rs`). Every handler is
 * deterministic: all workers of a cluster fed the same blocks make the same decisions, push the
 * same messages at the same sequences and hold the same contract states.
 */
import * as E from 'fp-ts/Either';
import { ContractRegistryEventScale, type ClusterOperation, type ContractOperation, WorkerClusterReportScale } from '../../domain/codec/contractEvents.codec';
import { fromHex, toHex } from '../../domain/codec/hex';
import type { MessageOrigin, SignedMessage } from '../../domain/codec/mq.codec';
import { bytesEqual } from '../../domain/codec/scale';
import { topicBytes, topics } from '../../domain/codec/topics';
import { contractId as contractIdOf } from '../../domain/ids/accounts';
import { type ContractHost, type ContractHostPorts, instantiateContract } from '../contracts/contractHost';
import type { ProgramRegistry } from '../contracts/programRegistry';
import { type EgressChannel, openChannel, pushMessage } from './egressQueue';
import type { WorkerRuntime } from './workerRuntime';

/** The one cluster a worker hosts (Phala: `contract_cluster: Option<Cluster>`), and its contracts. */
export interface HostedCluster {
  readonly id: Uint8Array;
  readonly publicKey: Uint8Array;
  /** by `0x` hex contract id, in instantiation order */
  readonly contracts: Map<string, ContractHost>;
}

/** A cluster message this worker refused (Phala logs these and goes on). */
export interface ClusterRejection {
  readonly blockNumber: number;
  readonly reason: 'BadOrigin' | 'ClusterDeploymentFailed' | 'UnknownProgram' | 'InstantiateFailed' | 'DuplicatedContract' | 'CommandRejected';
  readonly detail: string;
}

/** Everything a handler of one block may read and change. */
export interface ClusterContext {
  readonly worker: WorkerRuntime;
  readonly registry: ProgramRegistry;
  readonly ports: ContractHostPorts;
  readonly blockNumber: number;
  cluster: HostedCluster | undefined;
  /** egress produced in this block, in push order, over all this worker's channels */
  readonly egress: SignedMessage[];
  readonly rejected: ClusterRejection[];
  /** the cluster was destroyed or this worker removed from it: Phala's pRuntime exits */
  exitRequired: boolean;
}

function reject(ctx: ClusterContext, reason: ClusterRejection['reason'], detail: string): void {
  ctx.rejected.push({ blockNumber: ctx.blockNumber, reason, detail });
}

function push(ctx: ClusterContext, channel: EgressChannel, topic: string, payload: Uint8Array): void {
  const sent = pushMessage(channel, topicBytes(topic), payload, ctx.worker.identity.signEgress);
  if (sent !== undefined) ctx.egress.push(sent);
}

/** The `Cluster(id)` channel, signed with the cluster key (it carries the contracts' pubkeys). */
export function clusterChannel(worker: WorkerRuntime, clusterId: Uint8Array): EgressChannel {
  return openChannel(worker.egress, { tag: 'Cluster', value: clusterId }, { kind: 'cluster', clusterId });
}

type DispatchKeys = Extract<ClusterOperation, { tag: 'DispatchKeys' }>['value'];

// `process_cluster_key_distribution`: only the gatekeepers hand out cluster keys; a worker named in
// the map takes its key and deploys the cluster, or reports the failure (one cluster per worker).
function onDispatchKeys(ctx: ClusterContext, origin: MessageOrigin, event: DispatchKeys): void {
  if (origin.tag !== 'Gatekeeper') {
    reject(ctx, 'BadOrigin', `DispatchKeys from ${origin.tag}`);
    return;
  }
  const mine = event.secretKeys.find(([pubkey]) => bytesEqual(pubkey, ctx.worker.pubkey));
  if (mine === undefined) return;
  const failed = (detail: string) => {
    reject(ctx, 'ClusterDeploymentFailed', detail);
    push(ctx, ctx.worker.workerChannel, topics.workerClusterReport, WorkerClusterReportScale.encode({ tag: 'ClusterDeploymentFailed', value: { id: event.cluster } }));
  };
  // checked before decrypting, so a refused key never enters the vault (Phala decrypts first; the outcome is the same)
  if (ctx.cluster !== undefined) {
    failed(`cluster ${toHex(ctx.cluster.id)} is already deployed on this worker`);
    return;
  }
  const accepted = ctx.ports.vault.acceptClusterKey(event.cluster, mine[1]);
  if (E.isLeft(accepted)) {
    // Phala's `decrypt_key_from` panics here; reporting the failure keeps the worker alive and the chain informed
    failed(`cluster key does not decrypt: ${accepted.left._tag}`);
    return;
  }
  ctx.cluster = { id: event.cluster, publicKey: accepted.right, contracts: new Map() };
  ctx.worker.nClusters = 1;
  clusterChannel(ctx.worker, event.cluster);
  push(ctx, ctx.worker.workerChannel, topics.workerClusterReport, WorkerClusterReportScale.encode({ tag: 'ClusterDeployed', value: { id: event.cluster, pubkey: accepted.right } }));
}

/** `process_cluster_operation_event`. */
export function onClusterOperation(ctx: ClusterContext, origin: MessageOrigin, op: ClusterOperation): void {
  if (op.tag === 'DispatchKeys') {
    onDispatchKeys(ctx, origin, op.value);
    return;
  }
  if (origin.tag !== 'Pallet') {
    reject(ctx, 'BadOrigin', `${op.tag} from ${origin.tag}`);
    return;
  }
  const hosted = ctx.cluster;
  switch (op.tag) {
    case 'DestroyCluster':
      if (hosted !== undefined && bytesEqual(hosted.id, op.value)) leaveCluster(ctx);
      return;
    case 'RemoveWorker':
      if (hosted !== undefined && bytesEqual(op.value.worker, ctx.worker.pubkey) && bytesEqual(hosted.id, op.value.clusterId)) leaveCluster(ctx);
      return;
    // phalanet's programs have no gas and no uploaded code to store: the chain already records both
    case 'UploadResource':
    case 'Deposit':
      return;
    default: {
      const never: never = op;
      throw new Error(`unknown cluster operation ${JSON.stringify(never)}`);
    }
  }
}

// Phala drops the cluster and its contracts, then exits the process for good.
function leaveCluster(ctx: ClusterContext): void {
  ctx.cluster = undefined;
  ctx.worker.nClusters = 0;
  ctx.worker.nContracts = 0;
  ctx.exitRequired = true;
}

type InstantiateCode = Extract<ContractOperation, { tag: 'InstantiateCode' }>['value'];

/**
 * `InstantiateCode` in the cluster this worker hosts: the program named by the code hash runs its
 * instantiation, the contract key is derived from the cluster key (`["contract_key", id]`), and the
 * cluster announces the contract's pubkey (`ContractRegistryEvent::PubkeyAvailable` from `Cluster(id)`).
 */
export function onContractOperation(ctx: ClusterContext, origin: MessageOrigin, op: ContractOperation): void {
  if (origin.tag !== 'Pallet') {
    reject(ctx, 'BadOrigin', `${op.tag} from ${origin.tag}`);
    return;
  }
  const { contractInfo: info }: InstantiateCode = op.value;
  const hosted = ctx.cluster;
  if (hosted === undefined || !bytesEqual(hosted.id, info.clusterId)) return;
  const codeHash = info.codeIndex.value;
  const program = ctx.registry.lookup(codeHash);
  if (program === undefined) {
    reject(ctx, 'UnknownProgram', `code hash ${toHex(codeHash)} is not a program of this pRuntime build`);
    return;
  }
  const idHex = contractIdOf(toHex(info.deployer), toHex(codeHash), toHex(info.clusterId), toHex(info.salt));
  if (hosted.contracts.has(idHex)) {
    reject(ctx, 'DuplicatedContract', idHex);
    return;
  }
  const deployment = { clusterId: hosted.id, contractId: fromHex(idHex, 'contract id', 32), deployer: info.deployer, codeHash };
  const host = instantiateContract(ctx.ports, program, deployment, info.instantiateData, ctx.blockNumber);
  if (E.isLeft(host)) {
    reject(ctx, 'InstantiateFailed', `${idHex}: ${host.left._tag}`);
    return;
  }
  hosted.contracts.set(idHex, host.right);
  ctx.worker.nContracts = hosted.contracts.size;
  const event = { tag: 'PubkeyAvailable' as const, value: { contract: deployment.contractId, pubkey: host.right.publicKey, deployer: info.deployer } };
  push(ctx, clusterChannel(ctx.worker, hosted.id), topics.contractRegistry, ContractRegistryEventScale.encode(event));
}

/**
 * A command on `phala/contract/<id>/command` for a contract this worker hosts, in chain order. The
 * contract signs its own egress at its own sequences; they are queued on its `Contract(id)` channel
 * so the relay and purge paths treat them like any other origin.
 */
export function onContractCommand(ctx: ClusterContext, origin: MessageOrigin, contractIdHex: string, payload: Uint8Array): void {
  const host = ctx.cluster?.contracts.get(contractIdHex);
  if (host === undefined || ctx.cluster === undefined) return;
  const applied = host.handleCommand(origin, payload, ctx.blockNumber);
  if (E.isLeft(applied)) {
    reject(ctx, 'CommandRejected', `${contractIdHex}: ${applied.left._tag}`);
    return;
  }
  if (applied.right.egress.length === 0) return;
  const contractId = fromHex(contractIdHex, 'contract id', 32);
  const channel = openChannel(ctx.worker.egress, { tag: 'Contract', value: contractId }, { kind: 'contract', clusterId: ctx.cluster.id, contractId });
  for (const signed of applied.right.egress) {
    // the host's sequence and the channel's must never drift apart: a gap would stall the chain's ingress
    if (signed.sequence !== channel.sequence) throw new Error(`contract ${contractIdHex} egress sequence ${signed.sequence}, channel expects ${channel.sequence}`);
    channel.sequence += 1n;
    if (channel.dummy) continue;
    channel.messages.push(signed);
    ctx.egress.push(signed);
  }
}
