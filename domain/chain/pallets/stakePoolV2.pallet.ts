/**
 * StakePool v2 (`PB:pallets/phala/src/compute/stake_pool_v2.rs`, DOMAIN.md §8.5): pools of W-PHA
 * whose owner binds workers and stakes them in the computation pallet. Calls keep Phala's indices
 * and check orders (§14 F6, F15). The pallet is built by `createStakePoolPallet` around a
 * `ComputationApi`; contribution, withdrawal and the reward hooks are in `stakePoolV2.ts`.
 *
 * Events are Phala's, plus `PoolWorkerCoolingDown` (Phala adds the worker to `cd_workers`
 * without an event of its own).
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { Enum, Option, Struct, u32, u64, u128, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import type { Storage } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, unreachable } from '../../runtime/types';
import { hasExpiredWithdrawal, nowSec, processWithdrawQueue } from './basePool';
import { type ComputationApi, isComputing } from './computationApi';
import { lockAccount, ownerRewardAccount, poolAccount, sessionAccount } from './poolAccounts';
import { extractDust, PERMILL } from './poolMath';
import { basePool, CollectionIndex, ensureStakePool, PoolCount, Pools, STAKE_POOL, updateBasePool, updateStakePool, updateVault, WorkerAssignments, WorkerPubkey } from './poolStorage';
import { emitStakePool, type StakePoolEvent, StakePoolEvent as StakePoolEventCodec } from './stakePoolV2.events';
import { defaultStakePoolConfig, removeWorkerFromPool, type StakePoolConfig, stakePoolContribute, stakePoolWithdraw } from './stakePoolV2';
import { transferWpha, wphaBalance } from './wrappedBalances.pallet';

// evolve
function evolve(s: Storage, e: StakePoolEvent): void {
  switch (e.tag) {
    case 'PoolCreated': {
      const { owner, pid, cid, poolAccountId } = e.value;
      const basepool = { pid, owner, totalShares: 0n, totalValue: 0n, withdrawQueue: [], valueSubscribers: [], cid, poolAccountId };
      const record = { basepool, payoutCommission: undefined, cap: undefined, workers: [], cdWorkers: [], lockAccount: lockAccount(pid, owner), ownerRewardAccount: ownerRewardAccount(pid, owner) };
      Pools.set(s, pid, { tag: 'StakePool', value: record });
      PoolCount.set(s, pid + 1n);
      CollectionIndex.set(s, cid + 1);
      return;
    }
    case 'PoolCommissionSet':
      // None and Some(0 %) behave the same in a stake pool; the event cannot tell them apart
      updateStakePool(s, e.value.pid, (p) => ({ ...p, payoutCommission: e.value.commission === 0 ? undefined : e.value.commission }));
      return;
    case 'PoolCapacitySet':
      updateStakePool(s, e.value.pid, (p) => ({ ...p, cap: e.value.cap }));
      return;
    case 'PoolWorkerAdded':
      updateStakePool(s, e.value.pid, (p) => ({ ...p, workers: [...p.workers, e.value.worker] }));
      WorkerAssignments.set(s, e.value.worker, e.value.pid);
      return;
    case 'PoolWorkerRemoved':
      updateStakePool(s, e.value.pid, (p) => ({ ...p, workers: p.workers.filter((w) => w !== e.value.worker) }));
      WorkerAssignments.remove(s, e.value.worker);
      return;
    case 'PoolWorkerCoolingDown':
      updateStakePool(s, e.value.pid, (p) => ({ ...p, cdWorkers: [...p.cdWorkers, e.value.worker] }));
      return;
    case 'WorkerReclaimed':
      updateStakePool(s, e.value.pid, (p) => ({ ...p, cdWorkers: p.cdWorkers.filter((w) => w !== e.value.worker) }));
      return;
    case 'Contribution': {
      const { pid, asVault } = e.value;
      if (asVault === undefined) return;
      updateVault(s, asVault, (v) => (v.investPools.includes(pid) ? v : { ...v, investPools: [...v.investPools, pid] }));
      updateBasePool(s, pid, (bp) => (bp.valueSubscribers.includes(asVault) ? bp : { ...bp, valueSubscribers: [...bp.valueSubscribers, asVault] }));
      return;
    }
    case 'PoolSlashed':
      // `BasePool::slash` (disabled in Phala: the amount is always 0, the path is kept)
      updateBasePool(s, e.value.pid, (bp) => {
        const left = bp.totalValue - e.value.amount;
        return { ...bp, totalValue: left > 0n ? extractDust(left)[0] : 0n };
      });
      return;
    case 'OwnerRewardsWithdrawn':
    case 'SlashSettled':
    case 'RewardDismissedNotInPool':
    case 'RewardDismissedNoShare':
    case 'RewardDismissedDust':
    case 'RewardReceived':
    case 'WorkingStarted':
    case 'RewardToOwnerDismissedDust':
    case 'RewardToDistributionDismissedDust':
      return;
    default:
      unreachable(e);
  }
}

// commands
const PidWorkerArg = Struct({ pid: u64, worker: WorkerPubkey });
const PidWorkerStake = Struct({ pid: u64, worker: WorkerPubkey, stake: u128 });
export const StakePoolCall = Enum(
  {
    create: Struct({}),
    add_worker: Struct({ pid: u64, pubkey: WorkerPubkey }),
    remove_worker: PidWorkerArg,
    set_cap: Struct({ pid: u64, cap: u128 }),
    set_payout_pref: Struct({ pid: u64, payoutCommission: Option(u32) }),
    claim_owner_rewards: Struct({ pid: u64, target: AccountId }),
    check_and_maybe_force_withdraw: Struct({ pid: u64 }),
    contribute: Struct({ pid: u64, amount: u128, asVault: Option(u64) }),
    withdraw: Struct({ pid: u64, shares: u128, asVault: Option(u64) }),
    start_computing: PidWorkerStake,
    stop_computing: PidWorkerArg,
    reclaim_pool_worker: PidWorkerArg,
    restart_computing: PidWorkerStake,
  },
  [0, 1, 2, 3, 4, 7, 8, 9, 10, 13, 14, 15, 17],
);
export type StakePoolCall = CodecType<typeof StakePoolCall>;

const spError = (error: string) => left(dispatchError(STAKE_POOL, error));
const ok = right(undefined);

/** Dependencies of the stake pool pallet. */
export interface StakePoolDeps {
  readonly computation: ComputationApi;
  readonly config?: StakePoolConfig;
}

/** Builds the StakePoolv2 pallet around a computation pallet. */
export function createStakePoolPallet(deps: StakePoolDeps): Pallet {
  const config = deps.config ?? defaultStakePoolConfig;
  const ops = workerOps(deps.computation, config);
  const dispatch = (ctx: DispatchContext, origin: Origin, call: StakePoolCall): Either<DispatchError, void> => {
    if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
    const who = origin.who;
    switch (call.tag) {
      case 'create':
        return create(ctx, who);
      case 'set_cap':
      case 'set_payout_pref':
      case 'claim_owner_rewards':
        return ownerSettings(ctx, who, call);
      case 'contribute':
        return stakePoolContribute(ctx, config, who, call.value.pid, call.value.amount, call.value.asVault);
      case 'withdraw':
        return stakePoolWithdraw(ctx, who, call.value.pid, call.value.shares, call.value.asVault);
      case 'add_worker':
        return ops.addWorker(ctx, who, call.value.pid, call.value.pubkey);
      case 'remove_worker':
        return ops.removeWorker(ctx, who, call.value.pid, call.value.worker);
      case 'start_computing':
        return ops.start(ctx, who, call.value.pid, call.value.worker, call.value.stake);
      case 'stop_computing':
        return ops.stop(ctx, who, call.value.pid, call.value.worker);
      case 'reclaim_pool_worker': {
        const pool = ensureStakePool(ctx.storage, call.value.pid);
        if (isLeft(pool)) return pool;
        const r = ops.reclaim(ctx, call.value.pid, call.value.worker, true);
        return isLeft(r) ? r : ok;
      }
      case 'restart_computing':
        return ops.restart(ctx, who, call.value.pid, call.value.worker, call.value.stake);
      case 'check_and_maybe_force_withdraw':
        return ops.forceWithdraw(ctx, call.value.pid);
      default:
        return unreachable(call);
    }
  };
  return definePallet<StakePoolCall, StakePoolEvent>({ name: STAKE_POOL, calls: StakePoolCall, events: StakePoolEventCodec, dispatch, evolve });
}

function create(ctx: DispatchContext, owner: AccountIdHex): Either<DispatchError, void> {
  const pid = PoolCount.get(ctx.storage);
  const index = CollectionIndex.get(ctx.storage);
  const cid = Math.max(index, 10000);
  emitStakePool(ctx, { tag: 'PoolCreated', value: { owner, pid, cid, poolAccountId: poolAccount(pid, owner) } });
  return ok;
}

type OwnerCall = Extract<StakePoolCall, { tag: 'set_cap' | 'set_payout_pref' | 'claim_owner_rewards' }>;

function ownerSettings(ctx: DispatchContext, who: AccountIdHex, call: OwnerCall): Either<DispatchError, void> {
  const pid = call.value.pid;
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  if (pool.right.basepool.owner !== who) return spError('UnauthorizedPoolOwner');
  switch (call.tag) {
    case 'set_cap':
      if (pool.right.basepool.totalValue > call.value.cap) return spError('InadequateCapacity');
      emitStakePool(ctx, { tag: 'PoolCapacitySet', value: { pid, cap: call.value.cap } });
      return ok;
    case 'set_payout_pref': {
      const commission = call.value.payoutCommission ?? 0;
      // a Permill above 100 % does not decode in Phala
      if (BigInt(commission) > PERMILL) return left(dispatchError('System', 'CallDecodeFailed'));
      emitStakePool(ctx, { tag: 'PoolCommissionSet', value: { pid, commission } });
      return ok;
    }
    case 'claim_owner_rewards': {
      const rewards = wphaBalance(ctx.storage, pool.right.ownerRewardAccount);
      if (rewards === 0n) return spError('NoRewardToClaim');
      const moved = transferWpha(ctx, pool.right.ownerRewardAccount, call.value.target, rewards);
      if (isLeft(moved)) return moved;
      emitStakePool(ctx, { tag: 'OwnerRewardsWithdrawn', value: { pid, user: who, amount: rewards } });
      return ok;
    }
    default:
      return unreachable(call);
  }
}

/** The calls that drive workers through the computation pallet. */
function workerOps(computation: ComputationApi, config: StakePoolConfig) {
  const start = (ctx: DispatchContext, owner: AccountIdHex, pid: bigint, worker: AccountIdHex, stake: bigint): Either<DispatchError, void> => {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    const p = pool.right;
    if (p.basepool.owner !== owner) return spError('UnauthorizedPoolOwner');
    if (wphaBalance(ctx.storage, p.basepool.poolAccountId) < stake) return spError('InsufficientFreeStake');
    if (!p.workers.includes(worker)) return spError('WorkerDoesNotExist');
    const started = computation.startComputing(ctx, sessionAccount(pid, worker), stake);
    if (isLeft(started)) return started;
    const moved = transferWpha(ctx, p.basepool.poolAccountId, p.lockAccount, stake);
    if (isLeft(moved)) return moved;
    emitStakePool(ctx, { tag: 'WorkingStarted', value: { pid, worker, amount: stake } });
    return ok;
  };

  const stop = (ctx: DispatchContext, owner: AccountIdHex, pid: bigint, worker: AccountIdHex): Either<DispatchError, void> => {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    if (pool.right.basepool.owner !== owner) return spError('UnauthorizedPoolOwner');
    if (!pool.right.workers.includes(worker)) return spError('WorkerDoesNotExist');
    if (pool.right.cdWorkers.includes(worker)) return spError('WorkerAlreadyStopped');
    const stopped = computation.stopComputing(ctx, sessionAccount(pid, worker));
    if (isLeft(stopped)) return stopped;
    emitStakePool(ctx, { tag: 'PoolWorkerCoolingDown', value: { pid, worker } });
    return ok;
  };

  /** `do_reclaim` + `handle_reclaim`: the stake returns to the pool and the queue is served. */
  const reclaim = (ctx: DispatchContext, pid: bigint, worker: AccountIdHex, checkCooldown: boolean) => {
    const r = computation.reclaim(ctx, sessionAccount(pid, worker), checkCooldown);
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
  };

  const restart = (ctx: DispatchContext, owner: AccountIdHex, pid: bigint, worker: AccountIdHex, stake: bigint): Either<DispatchError, void> => {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    if (pool.right.basepool.withdrawQueue.length > 0) return spError('WithdrawQueueNotEmpty');
    const stopped = stop(ctx, owner, pid, worker);
    if (isLeft(stopped)) return stopped;
    const r = reclaim(ctx, pid, worker, false);
    if (isLeft(r)) return r;
    if (stake <= r.right.originalStake - r.right.slashed) return spError('CannotRestartWithLessStake');
    return start(ctx, owner, pid, worker, stake);
  };

  const addWorker = (ctx: DispatchContext, owner: AccountIdHex, pid: bigint, pubkey: AccountIdHex): Either<DispatchError, void> => {
    const info = computation.workerInfo(ctx.storage, pubkey);
    if (info === undefined) return spError('WorkerNotRegistered');
    if (info.operator !== owner) return spError('UnauthorizedOperator');
    if (info.initialScore === undefined) return spError('BenchmarkMissing');
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    if (pool.right.basepool.owner !== owner) return spError('UnauthorizedPoolOwner');
    if (pool.right.workers.includes(pubkey)) return spError('WorkerExists');
    if (pool.right.workers.length >= config.maxPoolWorkers) return spError('WorkersExceedLimit');
    const session = sessionAccount(pid, pubkey);
    // every bind error becomes FailedToBindSessionAndWorker (F15)
    if (isLeft(computation.bind(ctx, session, pubkey))) return spError('FailedToBindSessionAndWorker');
    emitStakePool(ctx, { tag: 'PoolWorkerAdded', value: { pid, worker: pubkey, session } });
    return ok;
  };

  const removeWorker = (ctx: DispatchContext, who: AccountIdHex, pid: bigint, worker: AccountIdHex): Either<DispatchError, void> => {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    if (pool.right.basepool.owner !== who) return spError('UnauthorizedPoolOwner');
    const assigned = WorkerAssignments.get(ctx.storage, worker);
    if (assigned === undefined) return spError('WorkerDoesNotExist');
    if (assigned !== pid) return spError('WorkerInAnotherPool');
    const session = sessionAccount(pid, worker);
    const state = computation.sessionState(ctx.storage, session);
    if (state === undefined) return spError('SessionDoesNotExist');
    if (state !== 'Ready') return spError('WorkerIsNotReady');
    const unbound = computation.unbindSession(ctx, session, false);
    if (isLeft(unbound)) return unbound;
    removeWorkerFromPool(ctx, worker);
    return ok;
  };

  /** `check_and_maybe_force_withdraw` (§8.4, §14.G 11): stops every computing worker not cooling down. */
  const forceWithdraw = (ctx: DispatchContext, pid: bigint): Either<DispatchError, void> => {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    const p = pool.right;
    processWithdrawQueue(ctx, pid);
    let releasing = 0n;
    for (const w of p.cdWorkers) {
      const stake = computation.stakeOf(ctx.storage, sessionAccount(pid, w));
      if (stake === undefined) throw new Error(`cooling-down worker ${w} of pool ${pid} has no stake`);
      releasing += stake;
    }
    if (!hasExpiredWithdrawal(ctx.storage, basePool(ctx.storage, pid), nowSec(ctx), config.gracePeriodSec, undefined, releasing)) return ok;
    for (const w of p.workers) {
      const state = computation.sessionState(ctx.storage, sessionAccount(pid, w));
      if (state === undefined || !isComputing(state) || p.cdWorkers.includes(w)) continue;
      const stopped = stop(ctx, p.basepool.owner, pid, w);
      if (isLeft(stopped)) return stopped;
    }
    return ok;
  };

  return { start, stop, reclaim, restart, addWorker, removeWorker, forceWithdraw };
}
