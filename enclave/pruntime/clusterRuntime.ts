/**
 * The contract-cluster side of one worker pRuntime (DOMAIN.md §9.2–9.4): fed the verified block
 * view in chain order, it takes the cluster key the gatekeepers dispatch to it, instantiates the
 * contracts of its cluster, runs their encrypted commands, and answers encrypted queries
 * off-chain. Its egress goes on the worker's own queue: `Worker(pk)` for cluster reports,
 * `Cluster(id)` for contract pubkeys, `Contract(id)` for what programs send.
 *
 * The system side of the same pRuntime (worker events, heartbeats, benchmark) stays in the
 * process's `WorkerGroup`; the driver feeds each block to the group first, then to the cluster
 * runtimes. Within a block Phala interleaves the two per message; here a worker's cluster
 * reports follow its heartbeats and bench report of that block on the `Worker` channel — the
 * sequences stay contiguous and identical on every run, only that order differs.
 */
import * as E from 'fp-ts/Either';
import { toHex } from '../../domain/codec/hex';
import type { MessageOrigin, SignedMessage } from '../../domain/codec/mq.codec';
import type { Random } from '../../domain/ports/random';
import type { ContractHostPorts, ContractQueryReply, ContractQueryRequest, QueryError } from '../contracts/contractHost';
import type { ProgramRegistry } from '../contracts/programRegistry';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import { type EnvelopeError, openQuery } from '../contracts/secretChannel';
import type { VerifiedBlockView } from './blockView';
import { type ClusterCheckpointError, type ClusterRuntimeState, type RestoreClusterWorkerOptions, restoreClusterWorker, sealClusterWorker } from './clusterCheckpoint';
import { type ClusterContext, type ClusterRejection, onClusterOperation, onContractCommand, onContractOperation } from './clusterHandlers';
import { decodeClusterInbound } from './clusterInbound';
import { pendingFrom } from './egressQueue';
import { purgeEgress, type WorkerRuntime } from './workerRuntime';

export type { ClusterRejection, HostedCluster } from './clusterHandlers';

/** What a cluster runtime is built from. */
export interface ClusterRuntimeOptions {
  /** the worker pRuntime this cluster side belongs to (its identity, vault and egress) */
  readonly worker: WorkerRuntime;
  /** the contract programs this pRuntime build ships */
  readonly registry: ProgramRegistry;
  /** IVs of query replies (off-chain; never part of the replicated state) */
  readonly queryRandom: Random;
  /** where checkpoints are sealed: this pRuntime's platform and build */
  readonly platform: Platform;
  readonly measurement: Measurement;
}

/** What one block produced on this worker's cluster side. */
export interface ClusterBlockOutput {
  /** signed messages for the chain, in push order (all origins of this worker) */
  readonly egress: readonly SignedMessage[];
  readonly rejected: readonly ClusterRejection[];
  /** the cluster was destroyed or this worker removed: it stops, as Phala's pRuntime exits */
  readonly exitRequired: boolean;
}

/** Public facts of a hosted contract. */
export interface HostedContractInfo {
  readonly contractId: string;
  readonly codeHash: string;
  readonly publicKey: Uint8Array;
}

/** Why an off-chain query got no reply. */
export type ClusterQueryError = EnvelopeError | QueryError | { readonly _tag: 'ContractNotFound'; readonly contractId: string };

/** The cluster side of a worker pRuntime. */
export interface ClusterRuntime {
  readonly worker: WorkerRuntime;
  /** the hosted cluster's id and public key, once the gatekeepers' key arrived */
  cluster(): { readonly id: Uint8Array; readonly publicKey: Uint8Array } | undefined;
  contracts(): readonly HostedContractInfo[];
  /** the last block processed (undefined before the first) */
  lastBlock(): number | undefined;
  /** runs one block's cluster and contract messages; blocks come in order without gaps */
  processBlock(view: VerifiedBlockView): ClusterBlockOutput;
  /** `ContractQuery` RPC: decrypted with the worker key, answered on the current state, encrypted back */
  query(request: ContractQueryRequest): E.Either<ClusterQueryError, ContractQueryReply>;
  /** every channel's messages from the chain's next expected sequence on: what the host relays */
  pendingEgress(nextSequenceFor: (origin: MessageOrigin) => bigint): readonly SignedMessage[];
  /** `purge_mq`: drops what the chain has accepted */
  purge(nextSequenceFor: (origin: MessageOrigin) => bigint): void;
  /**
   * The whole pRuntime sealed for its platform and build: the worker checkpoint (vault with the
   * cluster key, machine, egress channels, synced block) and each contract's sealed state.
   */
  checkpoint(): Uint8Array;
}


/** A cluster runtime for `options.worker`, hosting nothing yet. */
export function createClusterRuntime(options: ClusterRuntimeOptions): ClusterRuntime {
  return clusterRuntimeFrom(options, { cluster: undefined, lastBlock: undefined });
}

/** The ports every contract host of this worker uses. */
export function contractPortsOf(options: ClusterRuntimeOptions): ContractHostPorts {
  return { vault: options.worker.identity.vault, random: options.queryRandom };
}

/** A cluster runtime resuming from `state` (see `clusterCheckpoint.ts`). */
export function clusterRuntimeFrom(options: ClusterRuntimeOptions, state: ClusterRuntimeState): ClusterRuntime {
  const { worker, registry } = options;
  const ports = contractPortsOf(options);
  let cluster = state.cluster;
  let lastBlock = state.lastBlock;
  let exited = false;
  return {
    worker,
    cluster: () => cluster && { id: cluster.id, publicKey: cluster.publicKey },
    contracts: () => [...(cluster?.contracts.values() ?? [])].map((h) => ({ contractId: h.contractId, codeHash: h.codeHash, publicKey: h.publicKey })),
    lastBlock: () => lastBlock,
    processBlock(view) {
      if (exited) throw new Error('this worker left its cluster and exited; it processes no more blocks');
      if (lastBlock !== undefined && view.number !== lastBlock + 1) throw new Error(`cluster runtime expected block ${lastBlock + 1}, got ${view.number}`);
      const ctx: ClusterContext = { worker, registry, ports, blockNumber: view.number, cluster, egress: [], rejected: [], exitRequired: false };
      for (const { message } of view.messages) {
        const inbound = decodeClusterInbound(message);
        if (inbound === undefined) continue;
        if (inbound.kind === 'clusterOperation') onClusterOperation(ctx, inbound.origin, inbound.operation);
        else if (inbound.kind === 'contractOperation') onContractOperation(ctx, inbound.origin, inbound.operation);
        else onContractCommand(ctx, inbound.origin, inbound.contractIdHex, inbound.payload);
        if (ctx.exitRequired) break;
      }
      cluster = ctx.cluster;
      lastBlock = view.number;
      exited = ctx.exitRequired;
      return { egress: ctx.egress, rejected: ctx.rejected, exitRequired: ctx.exitRequired };
    },
    query(request) {
      const opened = openQuery(ports.vault, request.encodedEncryptedData);
      if (E.isLeft(opened)) return opened;
      const contractId = toHex(opened.right.query.head.id);
      const host = cluster?.contracts.get(contractId);
      if (host === undefined) return E.left({ _tag: 'ContractNotFound', contractId });
      return host.handleQuery(request, lastBlock ?? 0);
    },
    pendingEgress: (nextSequenceFor) => [...worker.egress.values()].flatMap((c) => pendingFrom(c, nextSequenceFor(c.origin))),
    purge: (nextSequenceFor) => purgeEgress(worker, nextSequenceFor),
    checkpoint: () => sealClusterWorker(options, { cluster, lastBlock }),
  };
}

/** What a restart needs besides the sealed blob: the build's programs, its platform, and the Randoms the worker had. */
export type RestoreClusterOptions = RestoreClusterWorkerOptions;

/** Resumes a cluster runtime from {@link ClusterRuntime.checkpoint}'s blob after a restart. */
export function restoreClusterRuntime(sealed: Uint8Array, o: RestoreClusterOptions): E.Either<ClusterCheckpointError, ClusterRuntime> {
  return E.map(({ worker, state }: { worker: WorkerRuntime; state: ClusterRuntimeState }) =>
    clusterRuntimeFrom({ worker, registry: o.registry, queryRandom: o.queryRandom, platform: o.platform, measurement: o.measurement }, state),
  )(restoreClusterWorker(sealed, o));
}
