/**
 * Deciders for the cluster calls of the Phat contracts pallet: checks in `phat.rs`'s order (the
 * first failing check names the error), then events and mq pushes in Phala's order. A Left rolls
 * the whole extrinsic back, including any transfer already emitted.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { ClusterOperationScale, ClusterEventScale } from '../../codec/contractEvents.codec';
import { topics } from '../../codec/topics';
import { type AccountId, ClusterId, type WorkerPubkey } from '../../ids/ids';
import { clusterAccount, systemContractId } from '../../ids/accounts';
import type { DispatchContext, DispatchError } from '../../runtime/types';
import { transfer } from './balances.pallet';
import { bytes32, type CallArgs, type PhatDeps, phatError, pushFromPallet } from './phat.common';
import { ClusterByWorkers, ClusterCounter, Clusters, PHAT, PinkSystemCodeHash } from './phat.state';

const ok = right(undefined);

/** `add_cluster` (governance): new id, workers bound, deposit moved, `DeployCluster` pushed to the gatekeepers. */
export function addCluster(ctx: DispatchContext, deps: PhatDeps, a: CallArgs<'addCluster'>): Either<DispatchError, void> {
  if (a.deployWorkers.length === 0) return left(phatError('NoWorkerSpecified'));
  const identities: { pubkey: Uint8Array; ecdhPubkey: Uint8Array }[] = [];
  for (const w of a.deployWorkers) {
    const info = deps.registeredWorker(ctx.storage, w);
    if (info === undefined) return left(phatError('WorkerNotFound'));
    identities.push({ pubkey: bytes32(w), ecdhPubkey: bytes32(info.ecdhPubkey) });
  }
  // Phala bumps the counter before the busy check; a failure rolls the bump back, so checking first is equivalent
  const counter = ClusterCounter.get(ctx.storage) + 1n;
  const cluster = ClusterId.fromCounter(counter);
  const taken = new Set<WorkerPubkey>();
  for (const w of a.deployWorkers) {
    // a worker listed twice is busy the second time (Phala inserts as it checks)
    if (ClusterByWorkers.has(ctx.storage, w) || taken.has(w)) return left(phatError('WorkerIsBusy'));
    taken.add(w);
  }
  const codeHash = PinkSystemCodeHash.get(ctx.storage);
  if (codeHash === undefined) return left(phatError('NoPinkSystemCode'));
  const systemContract = systemContractId(a.owner, codeHash, cluster);
  const info = { owner: a.owner, permission: a.permission, systemContract, gasPrice: a.gasPrice, depositPerItem: a.depositPerItem, depositPerByte: a.depositPerByte };
  ctx.emit(PHAT, { tag: 'ClusterAdded', value: { cluster, counter, info, workers: a.deployWorkers } });
  ctx.emit(PHAT, { tag: 'ClusterCreated', value: { cluster, systemContract } });
  const moved = transfer(ctx, a.owner, clusterAccount(cluster), a.deposit);
  if (isLeft(moved)) return moved;
  const event = {
    tag: 'DeployCluster' as const,
    value: {
      owner: bytes32(a.owner),
      cluster: bytes32(cluster),
      workers: identities,
      deposit: a.deposit,
      gasPrice: a.gasPrice,
      depositPerItem: a.depositPerItem,
      depositPerByte: a.depositPerByte,
      treasuryAccount: bytes32(a.treasuryAccount),
    },
  };
  pushFromPallet(ctx, topics.clusterEvent, ClusterEventScale.encode(event));
  return ok;
}

/** `transfer_to_cluster`: PHA to the cluster account, credited inside the cluster by `Deposit`. The cluster is not checked (Phala). */
export function transferToCluster(ctx: DispatchContext, user: AccountId, a: CallArgs<'transferToCluster'>): Either<DispatchError, void> {
  const moved = transfer(ctx, user, clusterAccount(a.clusterId), a.amount);
  if (isLeft(moved)) return moved;
  const op = { tag: 'Deposit' as const, value: { clusterId: bytes32(a.clusterId), account: bytes32(a.destAccount), amount: a.amount } };
  pushFromPallet(ctx, topics.clusterKey, ClusterOperationScale.encode(op));
  ctx.emit(PHAT, { tag: 'Transfered', value: { cluster: a.clusterId, account: a.destAccount, amount: a.amount } });
  return ok;
}

/** `cluster_destroy` (root): forgets the cluster's info and tells its workers to exit. */
export function clusterDestroy(ctx: DispatchContext, a: CallArgs<'clusterDestroy'>): Either<DispatchError, void> {
  if (!Clusters.has(ctx.storage, a.cluster)) return left(phatError('ClusterNotFound'));
  pushFromPallet(ctx, topics.clusterKey, ClusterOperationScale.encode({ tag: 'DestroyCluster', value: bytes32(a.cluster) }));
  ctx.emit(PHAT, { tag: 'ClusterDestroyed', value: { cluster: a.cluster } });
  return ok;
}

/** `add_worker_to_cluster` (cluster owner only; no message to the worker, as in Phala). */
export function addWorkerToCluster(ctx: DispatchContext, deps: PhatDeps, who: AccountId, a: CallArgs<'addWorkerToCluster'>): Either<DispatchError, void> {
  const info = Clusters.get(ctx.storage, a.clusterId);
  if (info === undefined) return left(phatError('ClusterNotFound'));
  if (info.owner !== who) return left(phatError('ClusterPermissionDenied'));
  if (deps.registeredWorker(ctx.storage, a.workerPubkey) === undefined) return left(phatError('WorkerNotFound'));
  if (ClusterByWorkers.has(ctx.storage, a.workerPubkey)) return left(phatError('WorkerIsBusy'));
  ctx.emit(PHAT, { tag: 'WorkerAddedToCluster', value: { worker: a.workerPubkey, cluster: a.clusterId } });
  return ok;
}

/** `remove_worker_from_cluster` (owner only): the worker is parked in cluster 0 for good and told to leave. */
export function removeWorkerFromCluster(ctx: DispatchContext, who: AccountId, a: CallArgs<'removeWorkerFromCluster'>): Either<DispatchError, void> {
  const info = Clusters.get(ctx.storage, a.clusterId);
  if (info === undefined) return left(phatError('ClusterNotFound'));
  if (info.owner !== who) return left(phatError('ClusterPermissionDenied'));
  if (ClusterByWorkers.get(ctx.storage, a.workerPubkey) !== a.clusterId) return left(phatError('WorkerNotFound'));
  ctx.emit(PHAT, { tag: 'WorkerRemovedFromCluster', value: { worker: a.workerPubkey, cluster: a.clusterId } });
  const op = { tag: 'RemoveWorker' as const, value: { clusterId: bytes32(a.clusterId), worker: bytes32(a.workerPubkey) } };
  pushFromPallet(ctx, topics.clusterKey, ClusterOperationScale.encode(op));
  return ok;
}
