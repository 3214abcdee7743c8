/**
 * Accounts and balances: PHA free balance and nonce (folded from `Balances` events, the way the
 * pallet's `evolve` folds them) and the W-PHA balance (from `PhalaWrappedBalances` asset events).
 * Snapshotted every 256 blocks, so `--at-block N` folds at most 255 blocks.
 */
import * as t from 'io-ts';
import { BALANCES } from '../domain/chain/pallets/balances.pallet';
import { WRAPPED_BALANCES } from '../domain/chain/pallets/wrappedBalances.pallet';
import type { DecodedEvent } from './decodedBlock';
import type { Projection } from './projection';
import { decodeRow } from './rows';
import type { ProjectionReader, ProjectionWriter } from './store';

const ACCOUNTS = 'accounts';

/** An account row; balances in units as decimal strings (exact in JSON). */
export const AccountRow = t.type({ account: t.string, free: t.string, nonce: t.number, wpha: t.string });
/** An account row. */
export type AccountRow = t.TypeOf<typeof AccountRow>;

const str = (fields: DecodedEvent['fields'], key: string): string => {
  const v = fields[key];
  if (typeof v !== 'string') throw new Error(`event field ${key} is ${JSON.stringify(v)}, expected a string`);
  return v;
};
const amountOf = (fields: DecodedEvent['fields'], key: string): bigint => BigInt(str(fields, key));

type Change = (row: { free: bigint; nonce: number; wpha: bigint }) => void;

async function update(tx: ProjectionWriter, account: string, change: Change): Promise<void> {
  const raw = await tx.get(ACCOUNTS, account);
  const row = raw === undefined ? { account, free: '0', nonce: 0, wpha: '0' } : decodeRow(AccountRow, raw, `accounts/${account}`);
  const mutable = { free: BigInt(row.free), nonce: row.nonce, wpha: BigInt(row.wpha) };
  change(mutable);
  await tx.put(ACCOUNTS, account, { account, free: mutable.free.toString(), nonce: mutable.nonce, wpha: mutable.wpha.toString() });
}

// never below zero, as in the pallets' evolve: a corrupt ledger must not make a fold throw
const minus = (a: bigint, b: bigint) => (a >= b ? a - b : 0n);

async function applyBalances(e: DecodedEvent, tx: ProjectionWriter): Promise<void> {
  const f = e.fields;
  switch (e.name) {
    case 'Endowed':
      return update(tx, str(f, 'account'), (r) => void (r.free += amountOf(f, 'freeBalance')));
    case 'Transfer':
      await update(tx, str(f, 'from'), (r) => void (r.free = minus(r.free, amountOf(f, 'amount'))));
      return update(tx, str(f, 'to'), (r) => void (r.free += amountOf(f, 'amount')));
    case 'ExtrinsicSuccess':
    case 'ExtrinsicFailed':
      return update(tx, str(f, 'who'), (r) => void (r.nonce = Number(f.nonce) + 1));
    default:
      return;
  }
}

async function applyWpha(e: DecodedEvent, tx: ProjectionWriter): Promise<void> {
  const f = e.fields;
  switch (e.name) {
    case 'Issued':
      return update(tx, str(f, 'owner'), (r) => void (r.wpha += amountOf(f, 'amount')));
    case 'Burned':
      return update(tx, str(f, 'owner'), (r) => void (r.wpha = minus(r.wpha, amountOf(f, 'amount'))));
    case 'Transferred':
      await update(tx, str(f, 'from'), (r) => void (r.wpha = minus(r.wpha, amountOf(f, 'amount'))));
      return update(tx, str(f, 'to'), (r) => void (r.wpha += amountOf(f, 'amount')));
    default:
      return;
  }
}

/** The `accounts` projection. */
export const accountsProjection: Projection = {
  name: 'accounts',
  version: 1,
  tables: [ACCOUNTS],
  snapshotEveryBlocks: 256,
  async apply(block, tx) {
    for (const e of block.events) {
      if (e.pallet === BALANCES) await applyBalances(e, tx);
      else if (e.pallet === WRAPPED_BALANCES) await applyWpha(e, tx);
    }
  },
};

/** One account (zero balances for an account never seen). */
export async function queryAccount(reader: ProjectionReader, account: string): Promise<AccountRow> {
  const id = account.toLowerCase();
  const raw = await reader.get(ACCOUNTS, id);
  return raw === undefined ? { account: id, free: '0', nonce: 0, wpha: '0' } : decodeRow(AccountRow, raw, `accounts/${id}`);
}

/** Accounts in id order, a page at a time (`after` = the last id of the previous page). */
export async function queryAccounts(reader: ProjectionReader, q: { after?: string; limit?: number } = {}): Promise<AccountRow[]> {
  const rows = await reader.scan(ACCOUNTS, { after: q.after, limit: q.limit ?? 100 });
  return rows.map((r) => decodeRow(AccountRow, r.value, `accounts/${r.key}`));
}
