/**
 * State shared by the base pool, stake pool v2 and vault pallets (DOMAIN.md §8.3–8.6): the pool
 * records (`PoolProxy`), the shared pid counter, and the share ledger that replaces Phala's RMRK
 * share NFTs. A user holds one position per pool (Phala merges a user's NFTs on every
 * interaction, so one position is what a user can observe); a position can hold 0 shares and
 * still exist, like Phala's emptied NFT. Queued shares live in the withdraw queue entries.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { Bytes, bool, Enum, Option, Struct, Tuple, u32, u64, u128, Vector, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import { type Storage, type StorageReader, storageMap, storageValue } from '../../runtime/storage';
import { type AccountIdHex, type DispatchError, dispatchError } from '../../runtime/types';
import { fixedCheckedDiv, toFixed } from './poolMath';
import { wphaBalance } from './wrappedBalances.pallet';

/** Runtime name of the BasePool pallet. */
export const BASE_POOL = 'PhalaBasePool';
/** Runtime name of the StakePool v2 pallet. */
export const STAKE_POOL = 'PhalaStakePoolv2';
/** Runtime name of the Vault pallet. */
export const VAULT = 'PhalaVault';
/** Worker public keys are 32 bytes, like account ids. */
export const WorkerPubkey = AccountId;

/** One withdraw request; Phala's `nft_id` is replaced by the shares it held. */
export const WithdrawInfo = Struct({ user: AccountId, startTime: u64, shares: u128 });
/** One withdraw request. */
export type WithdrawInfo = CodecType<typeof WithdrawInfo>;

/** `BasePool`: what stake pools and vaults share (shares, value, queue, subscribers). */
export const BasePool = Struct({
  pid: u64,
  owner: AccountId,
  totalShares: u128,
  totalValue: u128,
  withdrawQueue: Vector(WithdrawInfo),
  valueSubscribers: Vector(u64),
  cid: u32,
  poolAccountId: AccountId,
});
/** A base pool record. */
export type BasePool = CodecType<typeof BasePool>;

/** A StakePool v2 record (`pool_proxy.rs`). */
export const StakePool = Struct({
  basepool: BasePool,
  /** parts per million; `undefined` = no commission */
  payoutCommission: Option(u32),
  cap: Option(u128),
  workers: Vector(WorkerPubkey),
  cdWorkers: Vector(WorkerPubkey),
  lockAccount: AccountId,
  ownerRewardAccount: AccountId,
});
/** A stake pool record. */
export type StakePool = CodecType<typeof StakePool>;

/** A vault record (`pool_proxy.rs`). */
export const Vault = Struct({
  basepool: BasePool,
  lastSharePriceCheckpoint: u128,
  commission: Option(u32),
  ownerShares: u128,
  investPools: Vector(u64),
});
/** A vault record. */
export type Vault = CodecType<typeof Vault>;

/** `PoolProxy`: a pool is a stake pool or a vault. */
export const PoolProxy = Enum({ StakePool, Vault });
/** Either kind of pool. */
export type PoolProxy = CodecType<typeof PoolProxy>;

/** Every pool by pid. */
export const Pools = storageMap(BASE_POOL, 'Pools', u64, PoolProxy);
/** The next pid, shared by stake pools and vaults. */
export const PoolCount = storageValue(BASE_POOL, 'PoolCount', u64, 0n);
/** RMRK collection ids start at 10000 (`RESERVE_CID_START`); kept for Phala's `cid` fields. */
export const CollectionIndex = storageValue(BASE_POOL, 'CollectionIndex', u32, 10000);
/** The share ledger: free shares of (pid, user); a present entry is Phala's "user owns an NFT". */
export const Positions = storageMap(BASE_POOL, 'Positions', Tuple(u64, AccountId), u128);
/** Contribution whitelists by pid (absent = anyone may contribute). */
export const Whitelists = storageMap(BASE_POOL, 'PoolContributionWhitelists', u64, Vector(AccountId));
/** Pool descriptions by pid. */
export const Descriptions = storageMap(BASE_POOL, 'PoolDescriptions', u64, Bytes());
/** The pool of each worker added to a stake pool. */
export const WorkerAssignments = storageMap(STAKE_POOL, 'WorkerAssignments', WorkerPubkey, u64);
/** Vaults locked by a force shutdown. */
export const VaultLocks = storageMap(VAULT, 'VaultLocks', u64, bool);

/** The base pool inside either kind of pool. */
export const basePoolOf = (p: PoolProxy): BasePool => p.value.basepool;

/** `ensure_stake_pool`. */
export function ensureStakePool(s: StorageReader, pid: bigint): Either<DispatchError, StakePool> {
  const p = Pools.get(s, pid);
  if (p === undefined) return left(dispatchError(BASE_POOL, 'PoolDoesNotExist'));
  return p.tag === 'StakePool' ? right(p.value) : left(dispatchError(BASE_POOL, 'PoolTypeNotMatch'));
}

/** `ensure_vault`. */
export function ensureVault(s: StorageReader, pid: bigint): Either<DispatchError, Vault> {
  const p = Pools.get(s, pid);
  if (p === undefined) return left(dispatchError(BASE_POOL, 'PoolDoesNotExist'));
  return p.tag === 'Vault' ? right(p.value) : left(dispatchError(BASE_POOL, 'PoolTypeNotMatch'));
}

/** The base pool of `pid`; throws if missing (callers checked existence: an absent pool is a bug). */
export function basePool(s: StorageReader, pid: bigint): BasePool {
  const p = Pools.get(s, pid);
  if (p === undefined) throw new Error(`pool ${pid} does not exist`);
  return basePoolOf(p);
}

/** For evolve: rewrites the base pool of `pid` (ignored when the pool is unknown). */
export function updateBasePool(s: Storage, pid: bigint, f: (bp: BasePool) => BasePool): void {
  const p = Pools.get(s, pid);
  if (p === undefined) return;
  const basepool = f(p.value.basepool);
  Pools.set(s, pid, p.tag === 'StakePool' ? { tag: 'StakePool', value: { ...p.value, basepool } } : { tag: 'Vault', value: { ...p.value, basepool } });
}

/** For evolve: rewrites a stake pool record. */
export function updateStakePool(s: Storage, pid: bigint, f: (p: StakePool) => StakePool): void {
  const p = Pools.get(s, pid);
  if (p?.tag === 'StakePool') Pools.set(s, pid, { tag: 'StakePool', value: f(p.value) });
}

/** For evolve: rewrites a vault record. */
export function updateVault(s: Storage, pid: bigint, f: (v: Vault) => Vault): void {
  const p = Pools.get(s, pid);
  if (p?.tag === 'Vault') Pools.set(s, pid, { tag: 'Vault', value: f(p.value) });
}

/** `share_price`: total_value / total_shares in U64F64, `undefined` when there are no shares. */
export const sharePrice = (bp: BasePool): bigint | undefined => fixedCheckedDiv(toFixed(bp.totalValue), toFixed(bp.totalShares));

/** `get_free_stakes`: W-PHA in the pool account. */
export const freeStake = (s: StorageReader, bp: BasePool): bigint => wphaBalance(s, bp.poolAccountId);

/** Free shares of a user's position, `undefined` when the user has none (Phala: owns no NFT). */
export const positionOf = (s: StorageReader, pid: bigint, user: AccountIdHex): bigint | undefined => Positions.get(s, [pid, user]);

/** Shares of the user's queued withdraw request (0 if none). */
export const queuedSharesOf = (bp: BasePool, user: AccountIdHex): bigint => bp.withdrawQueue.find((w) => w.user === user)?.shares ?? 0n;
