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
import type { ComputationApi } from './computationApi';
import { lockAccount, ownerRewardAccount, poolAccount } from './poolAccounts';
import { extractDust, PERMILL } from './poolMath';
import { CollectionIndex, ensureStakePool, PoolCount, Pools, STAKE_POOL, updateBasePool, updateStakePool, updateVault, WorkerAssignments, WorkerPubkey } from './poolStorage';
import { emitStakePool, type StakePoolEvent, StakePoolEvent as StakePoolEventCodec } from './stakePoolV2.events';
import { defaultStakePoolConfig, effectiveStakePoolConfig, RuntimeConstants, StakePoolConstants, type StakePoolConfig, stakePoolContribute, stakePoolWithdraw } from './stakePoolV2';
import { addWorker, forceWithdraw, reclaimWorker, removeWorker, restartComputing, startComputing, stopComputing } from './stakePoolV2.workers';
import { transferWpha, wphaBalance } from './wrappedBalances.pallet';

// evolve
function evolve(s: Storage, e: StakePoolEvent): void {
  switch (e.tag) {
    case 'RuntimeConstantsSet':
      RuntimeConstants.set(s, e.value);
      return;
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
/** StakePool v2 calls with Phala's indices (`claim_legacy_rewards` 5 is left out). */
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
    /** phalanet, Root at genesis only: the runtime constants, so that replay reads them from block 0 */
    force_set_constants: StakePoolConstants,
  },
  [0, 1, 2, 3, 4, 7, 8, 9, 10, 13, 14, 15, 17, 100],
);
/** One StakePool v2 call. */
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
  const base = deps.config ?? defaultStakePoolConfig;
  const dispatch = (ctx: DispatchContext, origin: Origin, call: StakePoolCall): Either<DispatchError, void> => {
    if (call.tag === 'force_set_constants') return setConstants(ctx, origin, call.value);
    if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
    const who = origin.who;
    const config = effectiveStakePoolConfig(ctx.storage, base);
    const d = { computation: deps.computation, config };
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
        return addWorker(d, ctx, who, call.value.pid, call.value.pubkey);
      case 'remove_worker':
        return removeWorker(d, ctx, who, call.value.pid, call.value.worker);
      case 'start_computing':
        return startComputing(d, ctx, who, call.value.pid, call.value.worker, call.value.stake);
      case 'stop_computing':
        return stopComputing(d, ctx, who, call.value.pid, call.value.worker);
      case 'reclaim_pool_worker': {
        const pool = ensureStakePool(ctx.storage, call.value.pid);
        if (isLeft(pool)) return pool;
        const r = reclaimWorker(d, ctx, call.value.pid, call.value.worker, true);
        return isLeft(r) ? r : ok;
      }
      case 'restart_computing':
        return restartComputing(d, ctx, who, call.value.pid, call.value.worker, call.value.stake);
      case 'check_and_maybe_force_withdraw':
        return forceWithdraw(d, ctx, call.value.pid);
      default:
        return unreachable(call);
    }
  };
  return definePallet<StakePoolCall, StakePoolEvent>({ name: STAKE_POOL, calls: StakePoolCall, events: StakePoolEventCodec, dispatch, evolve });
}

/** `force_set_constants`: Root, block 0 only, once. */
function setConstants(ctx: DispatchContext, origin: Origin, constants: StakePoolConstants): Either<DispatchError, void> {
  if (origin.type !== 'Root') return left(dispatchError('System', 'BadOrigin'));
  if (ctx.block.number !== 0) return spError('GenesisOnly');
  if (RuntimeConstants.get(ctx.storage) !== undefined) return spError('ConstantsAlreadySet');
  if (constants.maxPoolWorkers < 1) return spError('InvalidConstants');
  emitStakePool(ctx, { tag: 'RuntimeConstantsSet', value: constants });
  return ok;
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
