/**
 * The checkpoint of a worker pRuntime that hosts a contract cluster (Phala: the sealed identity
 * plus the encrypted `System` checkpoint holding the cluster and its contracts, DOMAIN.md §9.4):
 * the worker checkpoint (vault with the cluster key, machine, egress, synced block), the hosted
 * cluster's id, and each contract's replicated state sealed on its own — SCALE, then sealed for
 * (platform, measurement) as a whole. Nothing in it is readable outside this enclave build.
 */
import * as E from 'fp-ts/Either';
import { bytes, type CodecType, DecodeError, decodeExact, fixedBytes, option, struct, u8, vec } from '../../domain/codec/scale';
import type { Random } from '../../domain/ports/random';
import { type ContractHost, type RestoreContractError, restoreContractHost } from '../contracts/contractHost';
import type { ProgramRegistry } from '../contracts/programRegistry';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import { type CheckpointError, checkpointWorker, restoreWorker } from './checkpoint';
import type { HostedCluster } from './clusterHandlers';
import type { WorkerRuntime } from './workerRuntime';

const CLUSTER_CHECKPOINT_VERSION = 1;

const clusterCheckpointCodec = struct({
  version: u8,
  worker: bytes(),
  cluster: option(struct({ id: fixedBytes(32), contracts: vec(bytes()) })),
});
type ClusterCheckpointRecord = CodecType<typeof clusterCheckpointCodec>;

/** The cluster side's own state, beside the worker's. */
export interface ClusterRuntimeState {
  readonly cluster: HostedCluster | undefined;
  readonly lastBlock: number | undefined;
}

/** Why a cluster worker's checkpoint could not be restored. */
export type ClusterCheckpointError = CheckpointError | RestoreContractError | { readonly _tag: 'ClusterCheckpointMalformed'; readonly detail: string };

/** Seals `worker` and its cluster side as of `state.lastBlock`. */
export function sealClusterWorker(o: { readonly worker: WorkerRuntime; readonly platform: Platform; readonly measurement: Measurement }, state: ClusterRuntimeState): Uint8Array {
  const { worker, platform, measurement } = o;
  const cluster = state.cluster;
  const record: ClusterCheckpointRecord = {
    version: CLUSTER_CHECKPOINT_VERSION,
    worker: checkpointWorker(worker, platform, measurement, state.lastBlock),
    cluster: cluster && { id: cluster.id, contracts: [...cluster.contracts.values()].map((h) => h.sealState(platform, measurement)) },
  };
  return platform.seal(measurement, clusterCheckpointCodec.enc(record));
}

function decodeRecord(bytes: Uint8Array): E.Either<ClusterCheckpointError, ClusterCheckpointRecord> {
  try {
    const record = decodeExact(clusterCheckpointCodec, bytes, 'cluster worker checkpoint');
    if (record.version !== CLUSTER_CHECKPOINT_VERSION) return E.left({ _tag: 'ClusterCheckpointMalformed', detail: `unknown version ${record.version}` });
    return E.right(record);
  } catch (e) {
    if (e instanceof DecodeError) return E.left({ _tag: 'ClusterCheckpointMalformed', detail: e.message });
    throw e;
  }
}

/** What {@link restoreClusterWorker} needs besides the blob. */
export interface RestoreClusterWorkerOptions {
  readonly registry: ProgramRegistry;
  readonly platform: Platform;
  readonly measurement: Measurement;
  readonly workerRandom: Random;
  readonly queryRandom: Random;
}

function restoreCluster(worker: WorkerRuntime, c: NonNullable<ClusterCheckpointRecord['cluster']>, o: RestoreClusterWorkerOptions): E.Either<ClusterCheckpointError, HostedCluster> {
  const vault = worker.identity.vault;
  let publicKey: Uint8Array;
  try {
    publicKey = vault.publicKeyOf({ kind: 'cluster', clusterId: c.id });
  } catch {
    return E.left({ _tag: 'ClusterCheckpointMalformed', detail: 'the sealed vault lacks the key of the hosted cluster' });
  }
  const ports = { vault, random: o.queryRandom };
  const contracts = new Map<string, ContractHost>();
  for (const blob of c.contracts) {
    const host = restoreContractHost(ports, o.registry, o.platform, o.measurement, blob);
    if (E.isLeft(host)) return host;
    contracts.set(host.right.contractId, host.right);
  }
  return E.right({ id: c.id, publicKey, contracts });
}

/** Unseals a {@link sealClusterWorker} blob: the worker, then its cluster and contracts. */
export function restoreClusterWorker(sealed: Uint8Array, o: RestoreClusterWorkerOptions): E.Either<ClusterCheckpointError, { worker: WorkerRuntime; state: ClusterRuntimeState }> {
  const opened = E.flatMap(o.platform.unseal(o.measurement, sealed), decodeRecord);
  if (E.isLeft(opened)) return opened;
  const restored = restoreWorker(o.platform, o.measurement, opened.right.worker, o.workerRandom);
  if (E.isLeft(restored)) return restored;
  const { worker, syncedBlock } = restored.right;
  const c = opened.right.cluster;
  if (c === undefined) return E.right({ worker, state: { cluster: undefined, lastBlock: syncedBlock } });
  return E.map((cluster: HostedCluster) => ({ worker, state: { cluster, lastBlock: syncedBlock } }))(restoreCluster(worker, c, o));
}
