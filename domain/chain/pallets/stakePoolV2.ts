/**
 * StakePool v2 logic that needs no computation pallet (`stake_pool_v2.rs`): contribution and
 * withdrawal (also on behalf of a vault, `as_vault`), and the two hooks the computation pallet
 * calls: `onReward` (§14 F4 in full) and `onUnbound` (F7, F19).
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { type CodecType, Option, Struct, u32, u64, u128 } from 'scale-ts';
import { type StorageReader, storageValue } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, dispatchError } from '../../runtime/types';
import { transfer as transferPha } from './balances.pallet';
import { contribute, distributeReward, processWithdrawQueue, tryWithdraw } from './basePool';
import type { SettleEntry, StakePoolHooks } from './computationApi';
import { SUBSIDY_POOL_ACCOUNT, WPHA_ACCOUNT } from './poolAccounts';
import { fromFixed, isDust, permillMul } from './poolMath';
import { basePool, ensureStakePool, ensureVault, Pools, positionOf, queuedSharesOf, STAKE_POOL, type StakePool, VaultLocks, WorkerAssignments } from './poolStorage';
import { emitStakePool } from './stakePoolV2.events';
import { mintInto, wphaBalance } from './wrappedBalances.pallet';

const PHA = 10n ** 12n;

/** Runtime constants of the stake pool (Khala/Phala values as defaults). */
export interface StakePoolConfig {
  /** `MinContribution` */
  readonly minContribution: bigint;
  /** `GracePeriod` of a withdraw request before the force shutdown, seconds */
  readonly gracePeriodSec: bigint;
  /** `MaxPoolWorkers` */
  readonly maxPoolWorkers: number;
  /** the computation pallet's subsidy pool (`phala/pp`), which pays the rewards */
  readonly subsidyPoolAccount: AccountIdHex;
}

/** Phala's values: 0.01 PHA, 7 days, 200 workers. */
export const defaultStakePoolConfig: StakePoolConfig = {
  minContribution: PHA / 100n,
  gracePeriodSec: 7n * 24n * 3600n,
  maxPoolWorkers: 200,
  subsidyPoolAccount: SUBSIDY_POOL_ACCOUNT,
};

const spError = (error: string) => left(dispatchError(STAKE_POOL, error));

/** The runtime constants a chain spec may set in block 0 (`force_set_constants`). */
export const StakePoolConstants = Struct({ minContribution: u128, gracePeriodSec: u64, maxPoolWorkers: u32 });
/** The constants block 0 set, if it set any. */
export type StakePoolConstants = CodecType<typeof StakePoolConstants>;
/** `PhalaStakePoolv2.RuntimeConstants`: phalanet keeps the constants in state so replay reads them from the ledger. */
export const RuntimeConstants = storageValue<StakePoolConstants | undefined>(STAKE_POOL, 'RuntimeConstants', Option(StakePoolConstants), undefined);

/**
 * The config in force: the constants block 0 recorded, or the runtime's own (Phala's defaults
 * when built without options) for a ledger whose block 0 set none.
 */
export function effectiveStakePoolConfig(s: StorageReader, base: StakePoolConfig): StakePoolConfig {
  const set = RuntimeConstants.get(s);
  return set === undefined ? base : { ...base, ...set };
}

/** `as_vault`: the vault must exist, be unlocked, and the caller be its owner; acts as the vault's pool account. */
function actingAccount(ctx: DispatchContext, who: AccountIdHex, asVault: bigint | undefined): Either<DispatchError, AccountIdHex> {
  if (asVault === undefined) return right(who);
  const vault = ensureVault(ctx.storage, asVault);
  if (isLeft(vault)) return vault;
  if (VaultLocks.has(ctx.storage, asVault)) return spError('VaultIsLocked');
  if (who !== vault.right.basepool.owner) return spError('UnauthorizedPoolOwner');
  return right(vault.right.basepool.poolAccountId);
}

/** `contribute` (call 9), checks in the order of §14 F6; the cap is checked after the queue ran. */
export function stakePoolContribute(ctx: DispatchContext, config: StakePoolConfig, origin: AccountIdHex, pid: bigint, amount: bigint, asVault: bigint | undefined): Either<DispatchError, void> {
  const acting = actingAccount(ctx, origin, asVault);
  if (isLeft(acting)) return acting;
  const who = acting.right;
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  if (amount < config.minContribution) return spError('InsufficientContribution');
  if (wphaBalance(ctx.storage, who) < amount) return spError('InsufficientBalance');
  const shares = contribute(ctx, pid, who, amount);
  if (isLeft(shares)) return shares;
  processWithdrawQueue(ctx, pid);
  const cap = pool.right.cap;
  if (cap !== undefined && basePool(ctx.storage, pid).totalValue > cap) return spError('StakeExceedsCapacity');
  emitStakePool(ctx, { tag: 'Contribution', value: { pid, user: who, amount, shares: shares.right, asVault } });
  return right(undefined);
}

/** `withdraw` (call 10): `NoNftToWithdraw` without a position; shares must be non-dust and ≤ position + queued. */
export function stakePoolWithdraw(ctx: DispatchContext, origin: AccountIdHex, pid: bigint, shares: bigint, asVault: bigint | undefined): Either<DispatchError, void> {
  const acting = actingAccount(ctx, origin, asVault);
  if (isLeft(acting)) return acting;
  const who = acting.right;
  const pool = ensureStakePool(ctx.storage, pid);
  if (isLeft(pool)) return pool;
  const position = positionOf(ctx.storage, pid, who);
  if (position === undefined) return spError('NoNftToWithdraw');
  if (isDust(shares) || shares > position + queuedSharesOf(pool.right.basepool, who)) return spError('InvalidWithdrawalAmount');
  return tryWithdraw(ctx, pid, who, shares, asVault);
}

/** `handle_pool_new_reward` (§14 F4). */
function handlePoolNewReward(ctx: DispatchContext, config: StakePoolConfig, pool: StakePool, reward: bigint): void {
  const { pid } = pool.basepool;
  if (reward === 0n) return;
  if (isDust(reward)) {
    emitStakePool(ctx, { tag: 'RewardDismissedDust', value: { pid, amount: reward } });
    return;
  }
  if (isDust(pool.basepool.totalShares)) {
    emitStakePool(ctx, { tag: 'RewardDismissedNoShare', value: { pid, amount: reward } });
    return;
  }
  const paid = transferPha(ctx, config.subsidyPoolAccount, WPHA_ACCOUNT, reward);
  if (isLeft(paid)) throw new Error(`subsidy pool cannot pay a reward of ${reward} (${paid.left.error})`);
  const commission = permillMul(pool.payoutCommission ?? 0, reward);
  const ownerMinted = mintInto(ctx, pool.ownerRewardAccount, commission);
  if (!ownerMinted) emitStakePool(ctx, { tag: 'RewardToOwnerDismissedDust', value: { pid, amount: commission } });
  const toDistribute = reward - commission;
  const minted = mintInto(ctx, pool.basepool.poolAccountId, toDistribute);
  let distributed = false;
  if (minted && !isDust(toDistribute)) {
    distributeReward(ctx, pid, toDistribute);
    distributed = true;
  } else if (toDistribute > 0n) {
    emitStakePool(ctx, { tag: 'RewardToDistributionDismissedDust', value: { pid, amount: toDistribute } });
  }
  if (distributed || ownerMinted) emitStakePool(ctx, { tag: 'RewardReceived', value: { pid, toOwner: commission, toStakers: toDistribute } });
}

/** `remove_worker_from_pool`: the assignment must exist (it changes together with the binding, F19). */
export function removeWorkerFromPool(ctx: DispatchContext, worker: AccountIdHex): void {
  const pid = WorkerAssignments.get(ctx.storage, worker);
  if (pid === undefined) throw new Error(`worker ${worker} must be in a pool`);
  if (Pools.get(ctx.storage, pid)?.tag === 'StakePool') emitStakePool(ctx, { tag: 'PoolWorkerRemoved', value: { pid, worker } });
}

/** The computation pallet's callbacks into the stake pool. */
export function stakePoolHooks(config: StakePoolConfig = defaultStakePoolConfig): StakePoolHooks {
  return {
    onReward(ctx, settle: readonly SettleEntry[]) {
      for (const info of settle) {
        const reward = fromFixed(info.payoutBits);
        const pid = WorkerAssignments.get(ctx.storage, info.pubkey);
        if (pid === undefined) {
          emitStakePool(ctx, { tag: 'RewardDismissedNotInPool', value: { worker: info.pubkey, amount: reward } });
          continue;
        }
        const pool = ensureStakePool(ctx.storage, pid);
        if (isLeft(pool)) throw new Error(`worker ${info.pubkey} is assigned to pool ${pid}, which is not a stake pool`);
        handlePoolNewReward(ctx, config, pool.right, reward);
      }
    },
    onUnbound(ctx, worker) {
      removeWorkerFromPool(ctx, worker);
    },
  };
}
