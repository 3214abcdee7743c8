/**
 * BasePool (`PB:pallets/phala/src/compute/base_pool.rs`): the pallet that owns the pool records
 * and the share ledger. Its calls are the contribution whitelist and the pool description; the
 * pool logic the stake pool and the vault share is in `basePool.ts`.
 *
 * Events: Phala's (`WithdrawalQueued` and `Withdrawal` without NFT ids, the whitelist events) plus
 * phalanet's share-ledger events, one per share movement (§14 F34), so that the pools, positions
 * and queues are exactly the fold of the events: `SharesMinted` (Phala's `NftCreated` of a
 * contribution or an owner-share claim), `SharesMerged` (a queued request merged back into the
 * position), `SharesQueued` (the split into a withdraw request), `SharesRedeemed` (a request
 * served), `QueuedSharesBurnt` (a dust request dropped), `SharesBurnt` / `PositionRemoved`,
 * `RewardDistributed` and `PoolDescriptionSet` (Phala changes the description silently).
 */
import { type Either, left, right } from 'fp-ts/Either';
import { Bytes, Enum, Option, Struct, u64, u128, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import type { Storage } from '../../runtime/storage';
import { type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, unreachable } from '../../runtime/types';
import { extractDust } from './poolMath';
import { BASE_POOL, basePoolOf, Descriptions, Pools, Positions, updateBasePool, Whitelists } from './poolStorage';

const MAX_WHITELIST_LEN = 100;
const MAX_DESCRIPTION_LEN = 4400;

// events
const PidUserShares = Struct({ pid: u64, user: AccountId, shares: u128 });
const PidStaker = Struct({ pid: u64, staker: AccountId });
/** BasePool events (see the file comment). */
export const BasePoolEvent = Enum({
  WithdrawalQueued: Struct({ pid: u64, user: AccountId, shares: u128, asVault: Option(u64) }),
  Withdrawal: Struct({ pid: u64, user: AccountId, amount: u128, shares: u128, burntShares: u128 }),
  PoolWhitelistCreated: Struct({ pid: u64 }),
  PoolWhitelistDeleted: Struct({ pid: u64 }),
  PoolWhitelistStakerAdded: PidStaker,
  PoolWhitelistStakerRemoved: PidStaker,
  /** `shares` credited to the user's position against `value` W-PHA of new pool value */
  SharesMinted: Struct({ pid: u64, user: AccountId, shares: u128, value: u128 }),
  /** the user's queued request is taken out of the queue and its shares return to the position */
  SharesMerged: PidUserShares,
  /** shares move from the position into a new request at the back of the queue */
  SharesQueued: Struct({ pid: u64, user: AccountId, shares: u128, startTime: u64 }),
  /** the front request is served: `shares` leave it and the pool (dust residue included), `amount` W-PHA paid */
  SharesRedeemed: Struct({ pid: u64, user: AccountId, shares: u128, amount: u128 }),
  /** the front request is worth ≤ the W-PHA minimum: its shares leave the pool, value stays */
  QueuedSharesBurnt: PidUserShares,
  /** shares taken from a position with no payout (a withdrawal from a pool with no share price) */
  SharesBurnt: PidUserShares,
  /** the position itself is destroyed (Phala burns the NFT) */
  PositionRemoved: PidUserShares,
  RewardDistributed: Struct({ pid: u64, amount: u128 }),
  PoolDescriptionSet: Struct({ pid: u64, description: Bytes() }),
});
/** One BasePool event. */
export type BasePoolEvent = CodecType<typeof BasePoolEvent>;

const sub = (a: bigint, b: bigint) => (a >= b ? a - b : 0n);

function adjustPosition(s: Storage, pid: bigint, user: string, delta: (shares: bigint) => bigint) {
  Positions.set(s, [pid, user], delta(Positions.get(s, [pid, user]) ?? 0n));
}

/** Takes shares from the front request; pops it when nothing is left (or when `pop`). */
function takeFromFront(s: Storage, pid: bigint, user: string, shares: bigint, pop: boolean) {
  updateBasePool(s, pid, (bp) => {
    const [front, ...rest] = bp.withdrawQueue;
    if (front === undefined || front.user !== user) return bp;
    const left = sub(front.shares, shares);
    const withdrawQueue = pop || left === 0n ? rest : [{ ...front, shares: left }, ...rest];
    return { ...bp, withdrawQueue, totalShares: sub(bp.totalShares, shares) };
  });
}

function evolveLedger(s: Storage, e: BasePoolEvent): void {
  switch (e.tag) {
    case 'SharesMinted': {
      const { pid, user, shares, value } = e.value;
      adjustPosition(s, pid, user, (x) => x + shares);
      updateBasePool(s, pid, (bp) => ({ ...bp, totalShares: bp.totalShares + shares, totalValue: bp.totalValue + value }));
      return;
    }
    case 'SharesMerged': {
      const { pid, user, shares } = e.value;
      adjustPosition(s, pid, user, (x) => x + shares);
      updateBasePool(s, pid, (bp) => ({ ...bp, withdrawQueue: bp.withdrawQueue.filter((w) => w.user !== user) }));
      return;
    }
    case 'SharesQueued': {
      const { pid, user, shares, startTime } = e.value;
      adjustPosition(s, pid, user, (x) => sub(x, shares));
      updateBasePool(s, pid, (bp) => ({ ...bp, withdrawQueue: [...bp.withdrawQueue, { user, startTime, shares }] }));
      return;
    }
    case 'SharesRedeemed': {
      const { pid, user, shares, amount } = e.value;
      takeFromFront(s, pid, user, shares, false);
      // `total_value` drops to 0 when what is left is dust (`remove_stake_from_nft`)
      updateBasePool(s, pid, (bp) => ({ ...bp, totalValue: extractDust(sub(bp.totalValue, amount))[0] }));
      return;
    }
    case 'QueuedSharesBurnt':
      takeFromFront(s, e.value.pid, e.value.user, e.value.shares, true);
      return;
    case 'SharesBurnt':
      adjustPosition(s, e.value.pid, e.value.user, (x) => sub(x, e.value.shares));
      return;
    case 'PositionRemoved':
      Positions.remove(s, [e.value.pid, e.value.user]);
      return;
    case 'RewardDistributed':
      updateBasePool(s, e.value.pid, (bp) => ({ ...bp, totalValue: bp.totalValue + e.value.amount }));
      return;
    default:
      evolveRest(s, e);
  }
}

function evolveRest(s: Storage, e: BasePoolEvent): void {
  switch (e.tag) {
    case 'WithdrawalQueued':
    case 'Withdrawal':
      return;
    case 'PoolWhitelistCreated':
      Whitelists.set(s, e.value.pid, []);
      return;
    case 'PoolWhitelistDeleted':
      Whitelists.remove(s, e.value.pid);
      return;
    case 'PoolWhitelistStakerAdded':
      Whitelists.set(s, e.value.pid, [...(Whitelists.get(s, e.value.pid) ?? []), e.value.staker]);
      return;
    case 'PoolWhitelistStakerRemoved':
      Whitelists.set(
        s,
        e.value.pid,
        (Whitelists.get(s, e.value.pid) ?? []).filter((a) => a !== e.value.staker),
      );
      return;
    case 'PoolDescriptionSet':
      Descriptions.set(s, e.value.pid, e.value.description);
      return;
    case 'SharesMinted':
    case 'SharesMerged':
    case 'SharesQueued':
    case 'SharesRedeemed':
    case 'QueuedSharesBurnt':
    case 'SharesBurnt':
    case 'PositionRemoved':
    case 'RewardDistributed':
      evolveLedger(s, e);
      return;
    default:
      unreachable(e);
  }
}

// commands
/** BasePool calls with Phala's indices (the reimbursement calls 5 and 6 are left out). */
export const BasePoolCall = Enum(
  {
    add_staker_to_whitelist: Struct({ pid: u64, staker: AccountId }),
    set_pool_description: Struct({ pid: u64, description: Bytes() }),
    remove_staker_from_whitelist: Struct({ pid: u64, staker: AccountId }),
  },
  [0, 1, 4],
);
/** One BasePool call. */
export type BasePoolCall = CodecType<typeof BasePoolCall>;

function ownedPool(ctx: DispatchContext, who: string, pid: bigint): Either<DispatchError, void> {
  const p = Pools.get(ctx.storage, pid);
  if (p === undefined) return left(dispatchError(BASE_POOL, 'PoolDoesNotExist'));
  if (basePoolOf(p).owner !== who) return left(dispatchError(BASE_POOL, 'UnauthorizedPoolOwner'));
  return right(undefined);
}

function addToWhitelist(ctx: DispatchContext, pid: bigint, staker: string): Either<DispatchError, void> {
  const list = Whitelists.get(ctx.storage, pid);
  if (list !== undefined) {
    if (list.includes(staker)) return left(dispatchError(BASE_POOL, 'AlreadyInContributeWhitelist'));
    if (list.length >= MAX_WHITELIST_LEN) return left(dispatchError(BASE_POOL, 'ExceedWhitelistMaxLen'));
  } else {
    ctx.emit(BASE_POOL, { tag: 'PoolWhitelistCreated', value: { pid } });
  }
  ctx.emit(BASE_POOL, { tag: 'PoolWhitelistStakerAdded', value: { pid, staker } });
  return right(undefined);
}

function removeFromWhitelist(ctx: DispatchContext, pid: bigint, staker: string): Either<DispatchError, void> {
  const list = Whitelists.get(ctx.storage, pid);
  if (list === undefined) return left(dispatchError(BASE_POOL, 'NoWhitelistCreated'));
  if (!list.includes(staker)) return left(dispatchError(BASE_POOL, 'NotInContributeWhitelist'));
  ctx.emit(BASE_POOL, { tag: 'PoolWhitelistStakerRemoved', value: { pid, staker } });
  if (list.length === 1) ctx.emit(BASE_POOL, { tag: 'PoolWhitelistDeleted', value: { pid } });
  return right(undefined);
}

// decide
function dispatch(ctx: DispatchContext, origin: Origin, call: BasePoolCall): Either<DispatchError, void> {
  if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
  const owned = ownedPool(ctx, origin.who, call.value.pid);
  if (owned._tag === 'Left') return owned;
  switch (call.tag) {
    case 'add_staker_to_whitelist':
      return addToWhitelist(ctx, call.value.pid, call.value.staker);
    case 'remove_staker_from_whitelist':
      return removeFromWhitelist(ctx, call.value.pid, call.value.staker);
    case 'set_pool_description':
      // Phala's `BoundedVec<u8, 4400>` rejects a longer one when the call is decoded
      if (call.value.description.length > MAX_DESCRIPTION_LEN) return left(dispatchError(BASE_POOL, 'ExceedMaxDescriptionLen'));
      ctx.emit(BASE_POOL, { tag: 'PoolDescriptionSet', value: call.value });
      return right(undefined);
    default:
      return unreachable(call);
  }
}

/** The BasePool pallet. */
export const basePoolPallet = definePallet<BasePoolCall, BasePoolEvent>({
  name: BASE_POOL,
  calls: BasePoolCall,
  events: BasePoolEvent,
  dispatch,
  evolve: evolveRest,
});
