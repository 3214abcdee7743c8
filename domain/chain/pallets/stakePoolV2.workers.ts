/**
 * The StakePool v2 calls that drive workers through the computation pallet (`stake_pool_v2.rs`
 * `do_start_computing`, `do_stop_computing`, `do_reclaim`, `add_worker`, `remove_worker`,
 * `restart_computing`, `check_and_maybe_force_withdraw`), with Phala's check orders (§14 F15,
 * F16) and the force-withdraw rules of §8.4 and §14.G 11.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { type AccountIdHex, type DispatchContext, type DispatchError, dispatchError } from '../../runtime/types';
import { hasExpiredWithdrawal, nowSec, processWithdrawQueue } from './basePool';
import { type ComputationApi, isComputing } from './computationApi';
import { sessionAccount } from './poolAccounts';
import { basePool, ensureStakePool, STAKE_POOL, WorkerAssignments } from './poolStorage';
import { emitStakePool } from './stakePoolV2.events';
import { removeWorkerFromPool, type StakePoolConfig } from './stakePoolV2';
import { transferWpha, wphaBalance } from './wrappedBalances.pallet';

/** What the worker calls need: the computation pallet and the pool constants. */
export interface WorkerDeps {
  readonly computation: ComputationApi;
  readonly config: StakePoolConfig;
}

const spError = (error: string) => left(dispatchError(STAKE_POOL, error));
const ok = right(undefined);

/** `do_start_computing`. */
export function startComputing(d: WorkerDeps, ctx: DispatchContext, owner: AccountIdHex, pid: bigint, worker: AccountIdHex, stake: bigint): Either<DispatchError, void> {
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  const p = pool.right;
  if (p.basepool.owner !== owner) return spError('UnauthorizedPoolOwner');
  if (wphaBalance(ctx.storage, p.basepool.poolAccountId) < stake) return spError('InsufficientFreeStake');
  if (!p.workers.includes(worker)) return spError('WorkerDoesNotExist');
  const started = d.computation.startComputing(ctx, sessionAccount(pid, worker), stake);
  if (isLeft(started)) return started;
  const moved = transferWpha(ctx, p.basepool.poolAccountId, p.lockAccount, stake);
  if (isLeft(moved)) return moved;
  emitStakePool(ctx, { tag: 'WorkingStarted', value: { pid, worker, amount: stake } });
  return ok;
}

/** `do_stop_computing`: the worker joins `cd_workers`. */
export function stopComputing(d: WorkerDeps, ctx: DispatchContext, owner: AccountIdHex, pid: bigint, worker: AccountIdHex): Either<DispatchError, void> {
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  if (pool.right.basepool.owner !== owner) return spError('UnauthorizedPoolOwner');
  if (!pool.right.workers.includes(worker)) return spError('WorkerDoesNotExist');
  if (pool.right.cdWorkers.includes(worker)) return spError('WorkerAlreadyStopped');
  const stopped = d.computation.stopComputing(ctx, sessionAccount(pid, worker));
  if (isLeft(stopped)) return stopped;
  emitStakePool(ctx, { tag: 'PoolWorkerCoolingDown', value: { pid, worker } });
  return ok;
}

/** `do_reclaim` + `handle_reclaim`: the stake returns to the pool and the queue is served. */
export function reclaimWorker(d: WorkerDeps, ctx: DispatchContext, pid: bigint, worker: AccountIdHex, checkCooldown: boolean): Either<DispatchError, { originalStake: bigint; slashed: bigint }> {
  const r = d.computation.reclaim(ctx, sessionAccount(pid, worker), checkCooldown);
  if (isLeft(r)) return r;
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) throw new Error(`reclaimed a worker of pool ${pid}, which is not a stake pool`);
  const { originalStake, slashed } = r.right;
  if (slashed !== 0n) emitStakePool(ctx, { tag: 'PoolSlashed', value: { pid, amount: slashed } });
  const moved = transferWpha(ctx, pool.right.lockAccount, pool.right.basepool.poolAccountId, originalStake - slashed);
  if (isLeft(moved)) throw new Error(`lock account of pool ${pid} cannot return ${originalStake - slashed}`);
  processWithdrawQueue(ctx, pid);
  emitStakePool(ctx, { tag: 'WorkerReclaimed', value: { pid, worker } });
  return r;
}

/** `restart_computing`: stop, reclaim at once (no cooldown), start with more stake than was released. */
export function restartComputing(d: WorkerDeps, ctx: DispatchContext, owner: AccountIdHex, pid: bigint, worker: AccountIdHex, stake: bigint): Either<DispatchError, void> {
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  if (pool.right.basepool.withdrawQueue.length > 0) return spError('WithdrawQueueNotEmpty');
  const stopped = stopComputing(d, ctx, owner, pid, worker);
  if (isLeft(stopped)) return stopped;
  const r = reclaimWorker(d, ctx, pid, worker, false);
  if (isLeft(r)) return r;
  if (stake <= r.right.originalStake - r.right.slashed) return spError('CannotRestartWithLessStake');
  return startComputing(d, ctx, owner, pid, worker, stake);
}

/** `add_worker` (F15 order; every bind error becomes `FailedToBindSessionAndWorker`). */
export function addWorker(d: WorkerDeps, ctx: DispatchContext, owner: AccountIdHex, pid: bigint, pubkey: AccountIdHex): Either<DispatchError, void> {
  const info = d.computation.workerInfo(ctx.storage, pubkey);
  if (info === undefined) return spError('WorkerNotRegistered');
  if (info.operator !== owner) return spError('UnauthorizedOperator');
  if (info.initialScore === undefined) return spError('BenchmarkMissing');
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  if (pool.right.basepool.owner !== owner) return spError('UnauthorizedPoolOwner');
  if (pool.right.workers.includes(pubkey)) return spError('WorkerExists');
  if (pool.right.workers.length >= d.config.maxPoolWorkers) return spError('WorkersExceedLimit');
  const session = sessionAccount(pid, pubkey);
  // every bind error becomes FailedToBindSessionAndWorker (F15)
  if (isLeft(d.computation.bind(ctx, session, pubkey))) return spError('FailedToBindSessionAndWorker');
  emitStakePool(ctx, { tag: 'PoolWorkerAdded', value: { pid, worker: pubkey, session } });
  return ok;
}

/** `remove_worker`: only a Ready (reclaimed) session; unbinds without notification. */
export function removeWorker(d: WorkerDeps, ctx: DispatchContext, who: AccountIdHex, pid: bigint, worker: AccountIdHex): Either<DispatchError, void> {
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  if (pool.right.basepool.owner !== who) return spError('UnauthorizedPoolOwner');
  const assigned = WorkerAssignments.get(ctx.storage, worker);
  if (assigned === undefined) return spError('WorkerDoesNotExist');
  if (assigned !== pid) return spError('WorkerInAnotherPool');
  const session = sessionAccount(pid, worker);
  const state = d.computation.sessionState(ctx.storage, session);
  if (state === undefined) return spError('SessionDoesNotExist');
  if (state !== 'Ready') return spError('WorkerIsNotReady');
  const unbound = d.computation.unbindSession(ctx, session, false);
  if (isLeft(unbound)) return unbound;
  removeWorkerFromPool(ctx, worker);
  return ok;
}

/** `check_and_maybe_force_withdraw` (§8.4, §14.G 11): stops every computing worker not cooling down. */
export function forceWithdraw(d: WorkerDeps, ctx: DispatchContext, pid: bigint): Either<DispatchError, void> {
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  const p = pool.right;
  processWithdrawQueue(ctx, pid);
  let releasing = 0n;
  for (const w of p.cdWorkers) {
    const stake = d.computation.stakeOf(ctx.storage, sessionAccount(pid, w));
    if (stake === undefined) throw new Error(`cooling-down worker ${w} of pool ${pid} has no stake`);
    releasing += stake;
  }
  if (!hasExpiredWithdrawal(ctx.storage, basePool(ctx.storage, pid), nowSec(ctx), d.config.gracePeriodSec, undefined, releasing)) return ok;
  for (const w of p.workers) {
    const state = d.computation.sessionState(ctx.storage, sessionAccount(pid, w));
    if (state === undefined || !isComputing(state) || p.cdWorkers.includes(w)) continue;
    const stopped = stopComputing(d, ctx, p.basepool.owner, pid, w);
    if (isLeft(stopped)) return stopped;
  }
  return ok;
}
