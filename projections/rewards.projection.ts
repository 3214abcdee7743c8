/**
 * Rewards per block, from the gatekeepers' settlements as the chain recorded them: sessions
 * settled, the payout they carry (U64F64 bits converted to units the way Phala does), the
 * treasury share (the `Balances.Transfer` the settlement emits just before `SessionSettled`),
 * what pools passed on to owners and stakers, and what was dismissed.
 */
import * as t from 'io-ts';
import { BALANCES } from '../domain/chain/pallets/balances.pallet';
import { COMPUTATION } from '../domain/chain/pallets/computationState';
import { STAKE_POOL } from '../domain/chain/pallets/poolStorage';
import { fixedToBalance } from '../domain/fixed/balance';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import type { Projection } from './projection';
import { decodeRow } from './rows';
import { type ProjectionReader, padBlock } from './store';

const REWARDS = 'rewards';

/** Rewards of one block; amounts in units as decimal strings. */
export const RewardRow = t.type({
  block: t.number,
  settledSessions: t.number,
  payout: t.string,
  treasury: t.string,
  toOwners: t.string,
  toStakers: t.string,
  dismissed: t.string,
});
/** Rewards of one block. */
export type RewardRow = t.TypeOf<typeof RewardRow>;

const amount = (e: DecodedEvent, key: string): bigint => {
  const v = e.fields[key];
  if (typeof v !== 'string') throw new Error(`${e.pallet}.${e.name}.${key} is ${JSON.stringify(v)}, expected a number string`);
  return BigInt(v);
};

const DISMISSED = new Set(['RewardDismissedNotInPool', 'RewardDismissedNoShare', 'RewardDismissedDust', 'RewardToOwnerDismissedDust', 'RewardToDistributionDismissedDust']);

/** Sums one block's reward events; undefined when the block has none. */
export function rewardsOf(block: DecodedBlock): RewardRow | undefined {
  let settled = 0;
  let payout = 0n;
  let treasury = 0n;
  let toOwners = 0n;
  let toStakers = 0n;
  let dismissed = 0n;
  let seen = false;
  block.events.forEach((e, i) => {
    if (e.pallet === COMPUTATION && e.name === 'SessionSettled') {
      seen = true;
      settled += 1;
      payout += fixedToBalance(amount(e, 'payoutBits'));
      const prev = block.events[i - 1];
      if (prev !== undefined && prev.pallet === BALANCES && prev.name === 'Transfer') treasury += amount(prev, 'amount');
    } else if (e.pallet === STAKE_POOL && e.name === 'RewardReceived') {
      seen = true;
      toOwners += amount(e, 'toOwner');
      toStakers += amount(e, 'toStakers');
    } else if (e.pallet === STAKE_POOL && DISMISSED.has(e.name)) {
      seen = true;
      dismissed += amount(e, 'amount');
    }
  });
  if (!seen) return undefined;
  const s = (x: bigint) => x.toString();
  return { block: block.number, settledSessions: settled, payout: s(payout), treasury: s(treasury), toOwners: s(toOwners), toStakers: s(toStakers), dismissed: s(dismissed) };
}

/** The `rewards` projection: a row for each block with reward events. */
export const rewardsProjection: Projection = {
  name: 'rewards',
  version: 1,
  tables: [REWARDS],
  async apply(block, tx) {
    const row = rewardsOf(block);
    if (row !== undefined) await tx.put(REWARDS, padBlock(block.number), row);
  },
};

/** Reward rows in a block range, oldest first; `limit` defaults to 100. */
export async function queryRewards(reader: ProjectionReader, q: { fromBlock?: number; toBlock?: number; limit?: number } = {}): Promise<RewardRow[]> {
  const rows = await reader.scan(REWARDS, {
    after: q.fromBlock === undefined || q.fromBlock <= 0 ? undefined : padBlock(q.fromBlock - 1),
    before: q.toBlock === undefined ? undefined : padBlock(q.toBlock + 1),
    limit: q.limit ?? 100,
  });
  return rows.map((r) => decodeRow(RewardRow, r.value, `rewards/${r.key}`));
}
