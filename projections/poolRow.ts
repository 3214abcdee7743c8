/**
 * The row of a stake pool (or vault) in the pools read model and the pure changes the pool
 * events make to it. The share ledger and the withdraw queue fold exactly as the base pool's
 * `evolve` folds them (`basePool.pallet.ts`), so the row's totals are the chain's.
 */
import * as t from 'io-ts';
import { extractDust } from '../domain/chain/pallets/poolMath';
import { nullable } from './rows';


/** One withdraw request, front of the queue first; `startTime` in unix seconds. */
export const WithdrawRequest = t.type({ user: t.string, shares: t.string, startTime: t.string });

/**
 * A pool. Amounts are units (decimal strings): `totalValue` is the pool's stake total, `free` the
 * W-PHA in its account, `locked` the stake of its computing workers, `releasing` the stake of its
 * workers cooling down. `stakes` holds each worker's stake. Commission is parts per million.
 */
export const PoolRow = t.type({
  pid: t.string,
  kind: t.keyof({ StakePool: null, Vault: null }),
  owner: t.string,
  poolAccount: t.string,
  createdAtBlock: t.number,
  createdAtMs: t.number,
  commissionPpm: nullable(t.number),
  cap: nullable(t.string),
  workers: t.array(t.string),
  coolingDown: t.array(t.string),
  stakes: t.record(t.string, t.string),
  totalShares: t.string,
  totalValue: t.string,
  free: t.string,
  locked: t.string,
  releasing: t.string,
  withdrawQueue: t.array(WithdrawRequest),
  rewardsToOwner: t.string,
  rewardsToStakers: t.string,
  ownerRewardsWithdrawn: t.string,
  lastRewardBlock: nullable(t.number),
  lastRewardAtMs: nullable(t.number),
});
/** A pool row. */
export type PoolRow = t.TypeOf<typeof PoolRow>;

/** A new pool's row. */
export function newPool(kind: PoolRow['kind'], pid: string, owner: string, poolAccount: string, block: number, timestampMs: number): PoolRow {
  return {
    pid,
    kind,
    owner,
    poolAccount,
    createdAtBlock: block,
    createdAtMs: timestampMs,
    commissionPpm: null,
    cap: null,
    workers: [],
    coolingDown: [],
    stakes: {},
    totalShares: '0',
    totalValue: '0',
    free: '0',
    locked: '0',
    releasing: '0',
    withdrawQueue: [],
    rewardsToOwner: '0',
    rewardsToStakers: '0',
    ownerRewardsWithdrawn: '0',
    lastRewardBlock: null,
    lastRewardAtMs: null,
  };
}

const sub = (a: bigint, b: bigint) => (a >= b ? a - b : 0n);
const add = (a: string, b: bigint) => (BigInt(a) + b).toString();

/** Recomputes `locked` and `releasing` from the worker stakes. */
export function withStakeTotals(p: PoolRow): PoolRow {
  let locked = 0n;
  let releasing = 0n;
  for (const [worker, stake] of Object.entries(p.stakes)) {
    if (p.coolingDown.includes(worker)) releasing += BigInt(stake);
    else locked += BigInt(stake);
  }
  return { ...p, locked: locked.toString(), releasing: releasing.toString() };
}

/** Shares minted against new value (a contribution or an owner-share claim). */
export const mintShares = (p: PoolRow, shares: bigint, value: bigint): PoolRow => ({ ...p, totalShares: add(p.totalShares, shares), totalValue: add(p.totalValue, value) });

/** A user's queued request merged back into the position. */
export const mergeRequest = (p: PoolRow, user: string): PoolRow => ({ ...p, withdrawQueue: p.withdrawQueue.filter((w) => w.user !== user) });

/** A new request at the back of the queue. */
export const queueRequest = (p: PoolRow, user: string, shares: bigint, startTime: bigint): PoolRow => ({
  ...p,
  withdrawQueue: [...p.withdrawQueue, { user, shares: shares.toString(), startTime: startTime.toString() }],
});

/** Shares leave the front request (popped when empty or when `pop`) and the pool. */
export function takeFromFront(p: PoolRow, user: string, shares: bigint, pop: boolean): PoolRow {
  const [front, ...rest] = p.withdrawQueue;
  if (front === undefined || front.user !== user) return p;
  const left = sub(BigInt(front.shares), shares);
  const withdrawQueue = pop || left === 0n ? rest : [{ ...front, shares: left.toString() }, ...rest];
  return { ...p, withdrawQueue, totalShares: sub(BigInt(p.totalShares), shares).toString() };
}

/** The front request served: `amount` leaves the value; what is left drops to 0 when it is dust. */
export const redeem = (p: PoolRow, user: string, shares: bigint, amount: bigint): PoolRow => {
  const taken = takeFromFront(p, user, shares, false);
  return { ...taken, totalValue: extractDust(sub(BigInt(taken.totalValue), amount))[0].toString() };
};

/** Value added by a reward distribution (or removed by a slash, dust dropping to 0). */
export const addValue = (p: PoolRow, amount: bigint): PoolRow => ({ ...p, totalValue: add(p.totalValue, amount) });
/** Value removed by `PoolSlashed`. */
export const slashValue = (p: PoolRow, amount: bigint): PoolRow => ({ ...p, totalValue: extractDust(sub(BigInt(p.totalValue), amount))[0].toString() });
