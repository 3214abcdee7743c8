/**
 * The pool logic the stake pool and the vault share (`base_pool.rs`): contribution, the withdraw
 * queue (§8.4 with every rule of §14 F5 and F14), the expiry test of the force shutdown, and
 * reward distribution with the vault quantisation of F24. Everything here decides and emits; the
 * state changes are the folds of `basePool.pallet.ts`.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import type { StorageReader } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, dispatchError, type Tagged } from '../../runtime/types';
import type { BasePoolEvent } from './basePool.pallet';
import { bdiv, bmul, extractDust, fixedCheckedDiv, fromFixed, isDust, toFixed } from './poolMath';
import { BASE_POOL, type BasePool, basePool, ensureVault, freeStake, positionOf, sharePrice, Whitelists } from './poolStorage';
import { transferWpha, wphaMinBalance } from './wrappedBalances.pallet';

/** Emits a BasePool event. */
export const emitBase = (ctx: DispatchContext, e: BasePoolEvent) => ctx.emit(BASE_POOL, e as Tagged);

/** Chain seconds (`UnixTime::now().as_secs()`). */
export const nowSec = (ctx: DispatchContext): bigint => BigInt(Math.floor(ctx.block.timestampMs / 1000));

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * `base_pool::contribute` + `add_stake_to_new_nft`: bankruptcy and whitelist checks, shares at
 * the current price (1:1 when there is no price or it is 0), and the W-PHA moved into the pool.
 * The caller has checked the user's balance.
 */
export function contribute(ctx: DispatchContext, pid: bigint, user: AccountIdHex, amount: bigint): Either<DispatchError, bigint> {
  const bp = basePool(ctx.storage, pid);
  if (!(bp.totalShares === 0n || bp.totalValue > 0n)) return left(dispatchError(BASE_POOL, 'PoolBankrupt'));
  const whitelist = Whitelists.get(ctx.storage, pid);
  if (whitelist !== undefined && !whitelist.includes(user) && bp.owner !== user) {
    return left(dispatchError(BASE_POOL, 'NotInContributeWhitelist'));
  }
  const price = sharePrice(bp);
  const shares = price !== undefined && price !== 0n ? bdiv(amount, price) : amount;
  emitBase(ctx, { tag: 'SharesMinted', value: { pid, user, shares, value: amount } });
  const moved = transferWpha(ctx, user, bp.poolAccountId, amount);
  if (isLeft(moved)) return moved;
  return right(shares);
}

/**
 * `try_withdraw` (`push_withdraw_in_queue`, then the queue): the user's earlier request is merged
 * back, a new request holding `shares` goes to the back of the queue with a fresh start time (F14),
 * `WithdrawalQueued` is emitted and the queue is processed. A pool without a share price only
 * takes the shares from the position (F14), with no request and no Phala event.
 */
export function tryWithdraw(ctx: DispatchContext, pid: bigint, user: AccountIdHex, shares: bigint, asVault: bigint | undefined): Either<DispatchError, void> {
  const bp = basePool(ctx.storage, pid);
  const invalid = left(dispatchError(BASE_POOL, 'InvalidShareToWithdraw'));
  if (sharePrice(bp) === undefined) {
    if ((positionOf(ctx.storage, pid, user) ?? 0n) < shares) return invalid;
    emitBase(ctx, { tag: 'SharesBurnt', value: { pid, user, shares } });
    return right(undefined);
  }
  const queued = bp.withdrawQueue.find((w) => w.user === user);
  if (queued !== undefined) emitBase(ctx, { tag: 'SharesMerged', value: { pid, user, shares: queued.shares } });
  if ((positionOf(ctx.storage, pid, user) ?? 0n) < shares) return invalid;
  emitBase(ctx, { tag: 'SharesQueued', value: { pid, user, shares, startTime: nowSec(ctx) } });
  emitBase(ctx, { tag: 'WithdrawalQueued', value: { pid, user, shares, asVault } });
  processWithdrawQueue(ctx, pid);
  return right(undefined);
}

/** `maybe_remove_dust`'s test: the request is worth (at the live price) at most the W-PHA minimum. */
function isQueueDust(bp: BasePool, shares: bigint, wphaMin: bigint): boolean {
  const live = sharePrice(bp);
  return live !== undefined && bmul(shares, live) <= wphaMin;
}

interface Stats {
  amount: bigint;
  shares: bigint;
  burntShares: bigint;
}

/**
 * `try_process_withdraw_queue` (§14 F5): serves requests from the front while the pool's free
 * W-PHA exceeds the W-PHA minimum balance. The pass price is fixed for `free / price`; amounts
 * and dust use the live price. One `Withdrawal` per user at the end, in account-byte order.
 */
export function processWithdrawQueue(ctx: DispatchContext, pid: bigint): void {
  const price = sharePrice(basePool(ctx.storage, pid));
  if (price === undefined) return;
  const wphaMin = wphaMinBalance(ctx.storage);
  const stats = new Map<AccountIdHex, Stats>();
  const stat = (user: AccountIdHex) => {
    let s = stats.get(user);
    if (s === undefined) stats.set(user, (s = { amount: 0n, shares: 0n, burntShares: 0n }));
    return s;
  };
  for (;;) {
    const bp = basePool(ctx.storage, pid);
    const free = freeStake(ctx.storage, bp);
    const front = bp.withdrawQueue[0];
    if (free <= wphaMin || front === undefined) break;
    const { user } = front;
    if (isQueueDust(bp, front.shares, wphaMin)) {
      emitBase(ctx, { tag: 'QueuedSharesBurnt', value: { pid, user, shares: front.shares } });
      stat(user).burntShares += front.shares;
      continue;
    }
    const withdrawing = min(price === 0n ? front.shares : bdiv(free, price), front.shares);
    const live = sharePrice(bp);
    // Phala debug-asserts that `withdrawing` is not dust and, in a release build, keeps serving
    // it: with a W-PHA minimum at or below the dust limit the free stake can be dust itself
    // (say 2 units at a price above 1), each pass then redeems one share for 0 W-PHA and the
    // loop runs for as many passes as the request has shares. We stop instead: dust cannot be served.
    if (isDust(withdrawing) || live === undefined) break;
    const amount = min(bmul(withdrawing, live), free);
    const [rest, residue] = extractDust(front.shares - withdrawing);
    const moved = transferWpha(ctx, bp.poolAccountId, user, amount);
    if (isLeft(moved)) throw new Error(`withdraw queue of pool ${pid}: ${moved.left.error}`);
    emitBase(ctx, { tag: 'SharesRedeemed', value: { pid, user, shares: withdrawing + residue, amount } });
    const s = stat(user);
    s.amount += amount;
    s.shares += withdrawing + residue;
    if (rest > 0n && isQueueDust(basePool(ctx.storage, pid), rest, wphaMin)) {
      emitBase(ctx, { tag: 'QueuedSharesBurnt', value: { pid, user, shares: rest } });
      s.burntShares += rest;
    }
  }
  for (const user of [...stats.keys()].sort()) {
    const s = stats.get(user)!;
    emitBase(ctx, { tag: 'Withdrawal', value: { pid, user, amount: s.amount, shares: s.shares, burntShares: s.burntShares } });
  }
}

/**
 * `has_expired_withdrawal`: walks the queue with `free + releasing` as the budget; the first
 * request it cannot cover decides (older than the grace period ⇒ expired). With a vault queue
 * period, any request older than it is expired outright.
 */
export function hasExpiredWithdrawal(s: StorageReader, bp: BasePool, now: bigint, gracePeriod: bigint, vaultQueuePeriod: bigint | undefined, releasing: bigint): boolean {
  const price = sharePrice(bp);
  if (price === undefined || price === 0n) return false;
  let budget = freeStake(s, bp) + releasing;
  for (const request of bp.withdrawQueue) {
    if (vaultQueuePeriod !== undefined && now - request.startTime > vaultQueuePeriod) return true;
    const amount = bmul(request.shares, price);
    if (amount > budget) return now - request.startTime > gracePeriod;
    budget -= amount;
  }
  return false;
}

/**
 * `distribute_reward`: the pool's value grows by `rewards`; each subscribed vault's value grows
 * by `bmul(from_fixed(vault_shares / total_shares), rewards)` (F24: the ratio is cut to a 12-decimal
 * balance), where the vault's shares are its position plus its queued request (summed as fixed).
 */
export function distributeReward(ctx: DispatchContext, pid: bigint, rewards: bigint): void {
  emitBase(ctx, { tag: 'RewardDistributed', value: { pid, amount: rewards } });
  const bp = basePool(ctx.storage, pid);
  for (const vaultPid of bp.valueSubscribers) {
    const vault = ensureVault(ctx.storage, vaultPid);
    if (isLeft(vault)) throw new Error(`value subscriber ${vaultPid} of pool ${pid} is not a vault`);
    const account = vault.right.basepool.poolAccountId;
    const position = positionOf(ctx.storage, pid, account);
    if (position === undefined) continue;
    let vaultShares = toFixed(position);
    for (const w of bp.withdrawQueue) if (w.user === account) vaultShares += toFixed(w.shares);
    const ratio = fixedCheckedDiv(vaultShares, toFixed(bp.totalShares));
    if (ratio === undefined) continue;
    distributeReward(ctx, vaultPid, bmul(fromFixed(ratio), toFixed(rewards)));
  }
}
