/**
 * Vault (`PB:pallets/phala/src/compute/vault.rs`, DOMAIN.md §8.6, §14 F22, F23): a pool of W-PHA
 * whose owner invests it into stake pools (`contribute`/`withdraw` with `as_vault`) and takes a
 * commission as new vault shares when the share price rises. Owner shares count in
 * `total_shares` but belong to no position until `claim_owner_shares`.
 *
 * Events are Phala's plus `PriceCheckpointSet` (a zero checkpoint set to the price),
 * `VaultUnlocked` and `InvestPoolsRemoved`, which Phala changes without an event.
 * phalanet stores no commission and a commission of 0 % the same way, so switching between them
 * gives `CommissionNotChanged` (Phala would accept it).
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { _void, Enum, Option, Struct, u32, u64, u128, Vector, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import type { Storage } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, type Tagged, unreachable } from '../../runtime/types';
import { contribute, emitBase, hasExpiredWithdrawal, nowSec, processWithdrawQueue, tryWithdraw } from './basePool';
import { poolAccount } from './poolAccounts';
import { bdiv, bmul, fromFixed, isDust, PERMILL, permillMul, toFixed } from './poolMath';
import { basePool, CollectionIndex, ensureStakePool, ensureVault, PoolCount, Pools, positionOf, queuedSharesOf, sharePrice, updateVault, VAULT, VaultLocks } from './poolStorage';
import { defaultStakePoolConfig, effectiveStakePoolConfig, type StakePoolConfig, stakePoolWithdraw } from './stakePoolV2';
import { wphaBalance } from './wrappedBalances.pallet';

// events
/** Why a vault was shut down. */
export const ForceShutdownReason = Enum({ NoEnoughReleasingStake: _void, Waiting3xGracePeriod: _void });
/** Vault events (see the file comment). */
export const VaultEvent = Enum({
  PoolCreated: Struct({ owner: AccountId, pid: u64, cid: u32, poolAccountId: AccountId }),
  VaultCommissionSet: Struct({ pid: u64, commission: u32 }),
  OwnerSharesClaimed: Struct({ pid: u64, user: AccountId, shares: u128 }),
  OwnerSharesGained: Struct({ pid: u64, shares: u128, checkoutPrice: u128 }),
  Contribution: Struct({ pid: u64, user: AccountId, amount: u128, shares: u128 }),
  ForceShutdown: Struct({ pid: u64, reason: ForceShutdownReason }),
  /** phalanet: a zero price checkpoint is set to the current price */
  PriceCheckpointSet: Struct({ pid: u64, price: u128 }),
  /** phalanet: the lock of a force shutdown is lifted (the queue is empty) */
  VaultUnlocked: Struct({ pid: u64 }),
  /** phalanet: pools without a real investment are dropped from `invest_pools` */
  InvestPoolsRemoved: Struct({ pid: u64, pools: Vector(u64) }),
});
/** One vault event. */
export type VaultEvent = CodecType<typeof VaultEvent>;

/** Vault constants (Phala's values as defaults). */
export interface VaultConfig {
  /** `InitialPriceCheckPoint`: 1 PHA */
  readonly initialPriceCheckPoint: bigint;
  /** `VaultQueuePeriod`, seconds: 21 days */
  readonly vaultQueuePeriodSec: bigint;
}
/** Phala's vault constants: checkpoint 1 PHA, queue period 21 days. */
export const defaultVaultConfig: VaultConfig = { initialPriceCheckPoint: 10n ** 12n, vaultQueuePeriodSec: 21n * 24n * 3600n };

// evolve
/** never negative: the decider checked; a corrupt ledger must not make evolve throw */
const sub = (a: bigint, b: bigint) => (a >= b ? a - b : 0n);

function evolveWith(config: VaultConfig) {
  return (s: Storage, e: VaultEvent): void => {
    switch (e.tag) {
      case 'PoolCreated': {
        const { owner, pid, cid, poolAccountId } = e.value;
        const basepool = { pid, owner, totalShares: 0n, totalValue: 0n, withdrawQueue: [], valueSubscribers: [], cid, poolAccountId };
        Pools.set(s, pid, { tag: 'Vault', value: { basepool, lastSharePriceCheckpoint: config.initialPriceCheckPoint, commission: undefined, ownerShares: 0n, investPools: [] } });
        PoolCount.set(s, pid + 1n);
        CollectionIndex.set(s, cid + 1);
        return;
      }
      case 'VaultCommissionSet':
        updateVault(s, e.value.pid, (v) => ({ ...v, commission: e.value.commission === 0 ? undefined : e.value.commission }));
        return;
      case 'OwnerSharesClaimed': {
        const { shares } = e.value;
        // the claimed shares re-enter `total_shares` through the target's `SharesMinted`
        updateVault(s, e.value.pid, (v) => ({ ...v, ownerShares: sub(v.ownerShares, shares), basepool: { ...v.basepool, totalShares: sub(v.basepool.totalShares, shares) } }));
        return;
      }
      case 'OwnerSharesGained': {
        const { shares, checkoutPrice } = e.value;
        updateVault(s, e.value.pid, (v) => ({ ...v, ownerShares: v.ownerShares + shares, lastSharePriceCheckpoint: checkoutPrice, basepool: { ...v.basepool, totalShares: v.basepool.totalShares + shares } }));
        return;
      }
      case 'PriceCheckpointSet':
        updateVault(s, e.value.pid, (v) => ({ ...v, lastSharePriceCheckpoint: e.value.price }));
        return;
      case 'ForceShutdown':
        VaultLocks.set(s, e.value.pid, true);
        return;
      case 'VaultUnlocked':
        VaultLocks.remove(s, e.value.pid);
        return;
      case 'InvestPoolsRemoved':
        updateVault(s, e.value.pid, (v) => ({ ...v, investPools: v.investPools.filter((p) => !e.value.pools.includes(p)) }));
        return;
      case 'Contribution':
        return;
      default:
        unreachable(e);
    }
  };
}

// commands
/** Vault calls with Phala's indices. */
export const VaultCall = Enum(
  {
    create: Struct({}),
    set_payout_pref: Struct({ pid: u64, payoutCommission: Option(u32) }),
    claim_owner_shares: Struct({ vaultPid: u64, target: AccountId, shares: u128 }),
    maybe_gain_owner_shares: Struct({ vaultPid: u64 }),
    check_and_maybe_force_withdraw: Struct({ vaultPid: u64 }),
    contribute: Struct({ pid: u64, amount: u128 }),
    withdraw: Struct({ pid: u64, shares: u128 }),
  },
  [0, 1, 2, 3, 4, 5, 6],
);
/** One vault call. */
export type VaultCall = CodecType<typeof VaultCall>;

const emitVault = (ctx: DispatchContext, e: VaultEvent) => ctx.emit(VAULT, e as Tagged);
const vaultError = (error: string) => left(dispatchError(VAULT, error));
const ok = right(undefined);

/**
 * `do_gain_owner_share` (F22): when the price (as a balance) rose above the checkpoint, the owner
 * gets `bdiv(total_value, new_price) − total_shares` new shares, where `new_price` keeps the
 * commission's part of the rise; `OwnerSharesGained` on every rise, even with no commission.
 */
export function gainOwnerShares(ctx: DispatchContext, vaultPid: bigint): Either<DispatchError, void> {
  const vault = ensureVault(ctx.storage, vaultPid);
  if (isLeft(vault)) return vault;
  const v = vault.right;
  const price = sharePrice(v.basepool);
  if (price === undefined) return ok;
  const current = fromFixed(price);
  if (v.lastSharePriceCheckpoint === 0n) {
    emitVault(ctx, { tag: 'PriceCheckpointSet', value: { pid: vaultPid, price: current } });
    return ok;
  }
  if (current <= v.lastSharePriceCheckpoint) return ok;
  const newPrice = current - permillMul(v.commission ?? 0, current - v.lastSharePriceCheckpoint);
  const target = bdiv(v.basepool.totalValue, toFixed(newPrice));
  const shares = target > v.basepool.totalShares ? target - v.basepool.totalShares : 0n;
  emitVault(ctx, { tag: 'OwnerSharesGained', value: { pid: vaultPid, shares, checkoutPrice: newPrice } });
  return ok;
}

function setPayoutPref(ctx: DispatchContext, who: AccountIdHex, pid: bigint, commission: number | undefined): Either<DispatchError, void> {
  const vault = ensureVault(ctx.storage, pid);
  if (isLeft(vault)) return vault;
  if (vault.right.basepool.owner !== who) return vaultError('UnauthorizedPoolOwner');
  if (BigInt(commission ?? 0) > PERMILL) return left(dispatchError('System', 'CallDecodeFailed'));
  if ((vault.right.commission ?? 0) === (commission ?? 0)) return vaultError('CommissionNotChanged');
  // settle the old commission before the new one applies
  const settled = gainOwnerShares(ctx, pid);
  if (isLeft(settled)) return settled;
  emitVault(ctx, { tag: 'VaultCommissionSet', value: { pid, commission: commission ?? 0 } });
  return ok;
}

function claimOwnerShares(ctx: DispatchContext, who: AccountIdHex, pid: bigint, target: AccountIdHex, shares: bigint): Either<DispatchError, void> {
  const vault = ensureVault(ctx.storage, pid);
  if (isLeft(vault)) return vault;
  if (vault.right.basepool.owner !== who) return vaultError('UnauthorizedPoolOwner');
  if (vault.right.ownerShares < shares) return vaultError('NoEnoughShareToClaim');
  if (shares === 0n) return vaultError('NoRewardToClaim');
  emitBase(ctx, { tag: 'SharesMinted', value: { pid, user: target, shares, value: 0n } });
  emitVault(ctx, { tag: 'OwnerSharesClaimed', value: { pid, user: who, shares } });
  return ok;
}

function vaultContribute(ctx: DispatchContext, config: StakePoolConfig, who: AccountIdHex, pid: bigint, amount: bigint): Either<DispatchError, void> {
  if (amount < config.minContribution) return vaultError('InsufficientContribution');
  const free = wphaBalance(ctx.storage, who);
  // pallet_assets `maybe_balance`: an account holding no W-PHA does not exist
  if (free === 0n) return vaultError('AssetAccountNotExist');
  if (free < amount) return vaultError('InsufficientBalance');
  const settled = gainOwnerShares(ctx, pid);
  if (isLeft(settled)) return settled;
  const shares = contribute(ctx, pid, who, amount);
  if (isLeft(shares)) return shares;
  processWithdrawQueue(ctx, pid);
  emitVault(ctx, { tag: 'Contribution', value: { pid, user: who, amount, shares: shares.right } });
  return ok;
}

function vaultWithdraw(ctx: DispatchContext, who: AccountIdHex, pid: bigint, shares: bigint): Either<DispatchError, void> {
  const settled = gainOwnerShares(ctx, pid);
  if (isLeft(settled)) return settled;
  const position = positionOf(ctx.storage, pid, who);
  if (position === undefined) return vaultError('NoNftToWithdraw');
  if (isDust(shares) || shares > position + queuedSharesOf(basePool(ctx.storage, pid), who)) return vaultError('NoEnoughShareToClaim');
  return tryWithdraw(ctx, pid, who, shares, undefined);
}

/** Releasing stake of a vault: the current value of its queued withdrawals in the invested pools. */
function releasingStake(ctx: DispatchContext, account: AccountIdHex, investPools: readonly bigint[]): Either<DispatchError, bigint> {
  let releasing = 0n;
  for (const pid of investPools) {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    for (const w of pool.right.basepool.withdrawQueue) {
      if (w.user !== account) continue;
      const price = sharePrice(pool.right.basepool);
      if (price === undefined) return vaultError('VaultBankrupt');
      releasing += bmul(w.shares, price);
    }
  }
  return right(releasing);
}

type Reason = CodecType<typeof ForceShutdownReason>;

function shutdownReason(ctx: DispatchContext, config: Required<VaultDeps>, vaultPid: bigint): Either<DispatchError, Reason | undefined> {
  const vault = ensureVault(ctx.storage, vaultPid);
  if (isLeft(vault)) return vault;
  const bp = vault.right.basepool;
  const now = nowSec(ctx);
  const grace = config.stakePool.gracePeriodSec;
  const front = bp.withdrawQueue[0];
  if (front !== undefined && front.startTime + 3n * grace < now) return right({ tag: 'Waiting3xGracePeriod', value: undefined });
  const releasing = releasingStake(ctx, bp.poolAccountId, vault.right.investPools);
  if (isLeft(releasing)) return releasing;
  const expired = hasExpiredWithdrawal(ctx.storage, bp, now, grace, config.vault.vaultQueuePeriodSec, releasing.right);
  return right(expired ? { tag: 'NoEnoughReleasingStake', value: undefined } : undefined);
}

/** `check_and_maybe_force_withdraw` of a vault (F23). */
function forceWithdraw(ctx: DispatchContext, config: Required<VaultDeps>, vaultPid: bigint): Either<DispatchError, void> {
  const vault = ensureVault(ctx.storage, vaultPid);
  if (isLeft(vault)) return vault;
  processWithdrawQueue(ctx, vaultPid);
  const locked = VaultLocks.has(ctx.storage, vaultPid);
  if (locked && basePool(ctx.storage, vaultPid).withdrawQueue.length === 0) emitVault(ctx, { tag: 'VaultUnlocked', value: { pid: vaultPid } });
  if (VaultLocks.has(ctx.storage, vaultPid)) return ok;
  const reason = shutdownReason(ctx, config, vaultPid);
  if (isLeft(reason) || reason.right === undefined) return isLeft(reason) ? reason : ok;
  const { owner, poolAccountId: account } = vault.right.basepool;
  const dropped: bigint[] = [];
  for (const pid of vault.right.investPools) {
    const pool = ensureStakePool(ctx.storage, pid);
    if (isLeft(pool)) return pool;
    let total = queuedSharesOf(pool.right.basepool, account);
    const position = positionOf(ctx.storage, pid, account);
    let withdraw = false;
    if (position !== undefined && isDust(position)) {
      emitBase(ctx, { tag: 'PositionRemoved', value: { pid, user: account, shares: position } });
    } else if (position !== undefined) {
      total += position;
      withdraw = !isDust(total);
    }
    if (!withdraw) {
      dropped.push(pid);
      continue;
    }
    const done = stakePoolWithdraw(ctx, owner, pid, total, vaultPid);
    if (isLeft(done)) return done;
  }
  if (dropped.length > 0) emitVault(ctx, { tag: 'InvestPoolsRemoved', value: { pid: vaultPid, pools: dropped } });
  emitVault(ctx, { tag: 'ForceShutdown', value: { pid: vaultPid, reason: reason.right } });
  return ok;
}

/** Dependencies of the vault pallet. */
export interface VaultDeps {
  readonly stakePool?: StakePoolConfig;
  readonly vault?: VaultConfig;
}

/** Builds the Vault pallet. */
export function createVaultPallet(deps: VaultDeps = {}): Pallet {
  const base = { stakePool: deps.stakePool ?? defaultStakePoolConfig, vault: deps.vault ?? defaultVaultConfig };
  const dispatch = (ctx: DispatchContext, origin: Origin, call: VaultCall): Either<DispatchError, void> => {
    if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
    const who = origin.who;
    // the stake pool constants block 0 recorded (the grace period, `MinContribution`)
    const config = { ...base, stakePool: effectiveStakePoolConfig(ctx.storage, base.stakePool) };
    switch (call.tag) {
      case 'create': {
        const pid = PoolCount.get(ctx.storage);
        const index = CollectionIndex.get(ctx.storage);
        emitVault(ctx, { tag: 'PoolCreated', value: { owner: who, pid, cid: Math.max(index, 10000), poolAccountId: poolAccount(pid, who) } });
        return ok;
      }
      case 'set_payout_pref':
        return setPayoutPref(ctx, who, call.value.pid, call.value.payoutCommission);
      case 'claim_owner_shares':
        return claimOwnerShares(ctx, who, call.value.vaultPid, call.value.target, call.value.shares);
      case 'maybe_gain_owner_shares': {
        const vault = ensureVault(ctx.storage, call.value.vaultPid);
        if (isLeft(vault)) return vault;
        if (vault.right.basepool.owner !== who) return vaultError('UnauthorizedPoolOwner');
        return gainOwnerShares(ctx, call.value.vaultPid);
      }
      case 'check_and_maybe_force_withdraw':
        return forceWithdraw(ctx, config, call.value.vaultPid);
      case 'contribute':
        return vaultContribute(ctx, config.stakePool, who, call.value.pid, call.value.amount);
      case 'withdraw':
        return vaultWithdraw(ctx, who, call.value.pid, call.value.shares);
      default:
        return unreachable(call);
    }
  };
  return definePallet<VaultCall, VaultEvent>({ name: VAULT, calls: VaultCall, events: VaultEvent, dispatch, evolve: evolveWith(base.vault) });
}
