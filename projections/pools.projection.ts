/**
 * Stake pools (and vaults): owner, commission, cap, workers (computing and cooling down) with
 * their stakes, stake total / free / locked / releasing, the withdraw queue, rewards to the
 * owner and to stakers, and an APR series — one point per block in which the pool was rewarded:
 * what its stakers got, over the pool's value before it, scaled to a year by the time since the
 * pool's previous reward (or its creation). Snapshotted every 256 blocks for time travel.
 */
import * as t from 'io-ts';
import { BASE_POOL, STAKE_POOL, VAULT } from '../domain/chain/pallets/poolStorage';
import { WRAPPED_BALANCES } from '../domain/chain/pallets/wrappedBalances.pallet';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import { big, num, str } from './eventFields';
import type { Projection } from './projection';
import { addValue, mergeRequest, mintShares, newPool, PoolRow, queueRequest, redeem, slashValue, takeFromFront, withStakeTotals } from './poolRow';
import { readRow, scanMatching } from './rows';
import { type ProjectionReader, type ProjectionWriter, padBlock } from './store';

export { PoolRow } from './poolRow';

const POOLS = 'pools';
const ACCOUNTS = 'pool_accounts';
const APR = 'pool_apr';

/** One point of a pool's APR series; `aprPercent` has two decimals (`"12.34"`). */
export const AprPoint = t.type({ pid: t.string, block: t.number, timestampMs: t.number, elapsedMs: t.number, toStakers: t.string, valueBefore: t.string, aprPercent: t.string });
/** One point of a pool's APR series. */
export type AprPoint = t.TypeOf<typeof AprPoint>;

const YEAR_MS = 365n * 24n * 3600n * 1000n;
const pidKey = (pid: string) => padBlock(Number(pid));

/** `toStakers / valueBefore` scaled to a year, in percent with two decimals; "0.00" without a base. */
export function aprPercent(toStakers: bigint, valueBefore: bigint, elapsedMs: number): string {
  if (valueBefore <= 0n || elapsedMs <= 0) return '0.00';
  const hundredths = (toStakers * YEAR_MS * 10_000n) / (valueBefore * BigInt(elapsedMs));
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

async function update(tx: ProjectionWriter, pid: string, change: (p: PoolRow) => PoolRow): Promise<PoolRow | undefined> {
  const p = await readRow(tx, PoolRow, POOLS, pidKey(pid));
  if (p === undefined) return undefined;
  const next = withStakeTotals(change(p));
  await tx.put(POOLS, pidKey(pid), next);
  return next;
}

async function create(tx: ProjectionWriter, kind: PoolRow['kind'], e: DecodedEvent, block: DecodedBlock): Promise<void> {
  const pid = str(e, 'pid');
  await tx.put(POOLS, pidKey(pid), newPool(kind, pid, str(e, 'owner'), str(e, 'poolAccountId'), block.number, block.timestampMs));
  await tx.put(ACCOUNTS, str(e, 'poolAccountId'), pid);
}

async function rewarded(tx: ProjectionWriter, e: DecodedEvent, block: DecodedBlock): Promise<void> {
  const pid = str(e, 'pid');
  const toOwner = big(e, 'toOwner');
  const toStakers = big(e, 'toStakers');
  const before = await readRow(tx, PoolRow, POOLS, pidKey(pid));
  if (before === undefined) return;
  const key = `${pidKey(pid)}/${padBlock(block.number)}`;
  const old = await readRow(tx, AprPoint, APR, key);
  // the distribution event came first: the value before it is the total less what stakers got
  const valueBefore = old === undefined ? BigInt(before.totalValue) - toStakers : BigInt(old.valueBefore);
  const elapsedMs = old?.elapsedMs ?? block.timestampMs - (before.lastRewardAtMs ?? before.createdAtMs);
  const stakers = (old === undefined ? 0n : BigInt(old.toStakers)) + toStakers;
  const point: AprPoint = { pid, block: block.number, timestampMs: block.timestampMs, elapsedMs, toStakers: stakers.toString(), valueBefore: (valueBefore > 0n ? valueBefore : 0n).toString(), aprPercent: aprPercent(stakers, valueBefore, elapsedMs) };
  await tx.put(APR, key, point);
  await update(tx, pid, (p) => ({
    ...p,
    rewardsToOwner: (BigInt(p.rewardsToOwner) + toOwner).toString(),
    rewardsToStakers: (BigInt(p.rewardsToStakers) + toStakers).toString(),
    lastRewardBlock: block.number,
    lastRewardAtMs: block.timestampMs,
  }));
}

async function applyStakePool(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  const pid = () => str(e, 'pid');
  const worker = () => str(e, 'worker');
  switch (e.name) {
    case 'PoolCreated':
      return create(tx, 'StakePool', e, block);
    case 'PoolCommissionSet':
      return void (await update(tx, pid(), (p) => ({ ...p, commissionPpm: num(e, 'commission') })));
    case 'PoolCapacitySet':
      return void (await update(tx, pid(), (p) => ({ ...p, cap: str(e, 'cap') })));
    case 'PoolWorkerAdded':
      return void (await update(tx, pid(), (p) => ({ ...p, workers: [...p.workers, worker()] })));
    case 'PoolWorkerRemoved':
      return void (await update(tx, pid(), (p) => ({ ...p, workers: p.workers.filter((w) => w !== worker()) })));
    case 'WorkingStarted':
      return void (await update(tx, pid(), (p) => ({ ...p, stakes: { ...p.stakes, [worker()]: str(e, 'amount') } })));
    case 'PoolWorkerCoolingDown':
      return void (await update(tx, pid(), (p) => ({ ...p, coolingDown: [...p.coolingDown, worker()] })));
    case 'WorkerReclaimed':
      return void (await update(tx, pid(), (p) => {
        const { [worker()]: _gone, ...stakes } = p.stakes;
        return { ...p, coolingDown: p.coolingDown.filter((w) => w !== worker()), stakes };
      }));
    case 'PoolSlashed':
      return void (await update(tx, pid(), (p) => slashValue(p, big(e, 'amount'))));
    case 'OwnerRewardsWithdrawn':
      return void (await update(tx, pid(), (p) => ({ ...p, ownerRewardsWithdrawn: (BigInt(p.ownerRewardsWithdrawn) + big(e, 'amount')).toString() })));
    case 'RewardReceived':
      return rewarded(tx, e, block);
    default:
      return;
  }
}

async function applyBasePool(e: DecodedEvent, tx: ProjectionWriter): Promise<void> {
  const pid = str(e, 'pid');
  const user = () => str(e, 'user');
  const shares = () => big(e, 'shares');
  switch (e.name) {
    case 'SharesMinted':
      return void (await update(tx, pid, (p) => mintShares(p, shares(), big(e, 'value'))));
    case 'SharesMerged':
      return void (await update(tx, pid, (p) => mergeRequest(p, user())));
    case 'SharesQueued':
      return void (await update(tx, pid, (p) => queueRequest(p, user(), shares(), big(e, 'startTime'))));
    case 'SharesRedeemed':
      return void (await update(tx, pid, (p) => redeem(p, user(), shares(), big(e, 'amount'))));
    case 'QueuedSharesBurnt':
      return void (await update(tx, pid, (p) => takeFromFront(p, user(), shares(), true)));
    case 'RewardDistributed':
      return void (await update(tx, pid, (p) => addValue(p, big(e, 'amount'))));
    default:
      return;
  }
}

/** W-PHA moving in or out of a pool account changes the pool's free stake. */
async function applyWpha(e: DecodedEvent, tx: ProjectionWriter): Promise<void> {
  const amount = big(e, 'amount');
  const move = async (account: string, delta: bigint) => {
    const pid = await tx.get(ACCOUNTS, account);
    if (typeof pid !== 'string') return;
    await update(tx, pid, (p) => {
      const free = BigInt(p.free) + delta;
      return { ...p, free: (free > 0n ? free : 0n).toString() };
    });
  };
  if (e.name === 'Transferred') {
    await move(str(e, 'from'), -amount);
    await move(str(e, 'to'), amount);
  } else if (e.name === 'Issued') await move(str(e, 'owner'), amount);
  else if (e.name === 'Burned') await move(str(e, 'owner'), -amount);
}

/** The `pools` projection. */
export const poolsProjection: Projection = {
  name: 'pools',
  version: 1,
  tables: [POOLS, ACCOUNTS, APR],
  snapshotEveryBlocks: 256,
  async apply(block, tx) {
    for (const e of block.events) {
      if (e.pallet === STAKE_POOL) await applyStakePool(e, block, tx);
      else if (e.pallet === BASE_POOL && typeof e.fields.pid === 'string') await applyBasePool(e, tx);
      else if (e.pallet === WRAPPED_BALANCES) await applyWpha(e, tx);
      else if (e.pallet === VAULT && e.name === 'PoolCreated') await create(tx, 'Vault', e, block);
      else if (e.pallet === VAULT && e.name === 'VaultCommissionSet') await update(tx, str(e, 'pid'), (p) => ({ ...p, commissionPpm: num(e, 'commission') }));
    }
  },
};

/** Filters of `queryPools`. */
export interface PoolQuery {
  readonly owner?: string;
  readonly kind?: PoolRow['kind'];
  /** the last pid of the previous page */
  readonly after?: number;
  /** default 100 */
  readonly limit?: number;
}

/** Pools in pid order, a page at a time. */
export async function queryPools(reader: ProjectionReader, q: PoolQuery = {}): Promise<PoolRow[]> {
  const owner = q.owner?.toLowerCase();
  const keep = (p: PoolRow) => (owner === undefined || p.owner === owner) && (q.kind === undefined || p.kind === q.kind);
  const after = q.after === undefined ? undefined : padBlock(q.after);
  return (await scanMatching(reader, { table: POOLS, codec: PoolRow, after, limit: q.limit, keep })).map((x) => x.row);
}

/** One pool, or undefined. */
export async function queryPool(reader: ProjectionReader, pid: number | string): Promise<PoolRow | undefined> {
  return readRow(reader, PoolRow, POOLS, pidKey(String(pid)));
}

/** A pool's APR series in block order; `limit` defaults to 100, `last` takes the newest points. */
export async function queryPoolApr(reader: ProjectionReader, pid: number | string, q: { fromBlock?: number; toBlock?: number; limit?: number; last?: boolean } = {}): Promise<AprPoint[]> {
  const prefix = `${pidKey(String(pid))}/`;
  const after = q.fromBlock === undefined || q.fromBlock <= 0 ? undefined : prefix + padBlock(q.fromBlock - 1);
  const before = q.toBlock === undefined ? undefined : prefix + padBlock(q.toBlock + 1);
  const rows = await scanMatching(reader, { table: APR, codec: AprPoint, prefix, after, before, limit: q.limit, reverse: q.last === true });
  const points = rows.map((x) => x.row);
  return q.last === true ? points.reverse() : points;
}
