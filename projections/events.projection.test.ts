import type { DecodedBlock } from './decodedBlock';
import { type EventQuery, type EventRow, eventsProjection, queryEvents } from './events.projection';
import type { ProjectionStore } from './store';
import { buildTestLedger, type TestLedger } from './testing/ledgerForTests';
import { decodedBlocks, expectIdempotent, foldInto } from './testing/projectionSpec';

let t: TestLedger;
let blocks: DecodedBlock[];
let store: ProjectionStore;
beforeAll(async () => {
  t = await buildTestLedger(60);
  blocks = await decodedBlocks(t.ledger, t.runtime.eventCodec);
  store = await foldInto(eventsProjection, blocks);
}, 60_000);

/** Every page of a query, following the cursor. */
async function allPages(q: EventQuery): Promise<EventRow[]> {
  const out: EventRow[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await queryEvents(store, { ...q, cursor });
    out.push(...page.events);
    if (page.next === undefined) return out;
    cursor = page.next;
  }
  throw new Error('pagination never ended');
}

const everyEvent = () => blocks.flatMap((b) => b.events.map((e) => ({ block: b.number, ...e })));
const ids = (rows: readonly { block: number; index: number }[]) => rows.map((r) => `${r.block}:${r.index}`);

describe('events projection', () => {
  it('stores every event with phase, pallet, name and JSON fields (bigints as strings)', async () => {
    const rows = await allPages({ limit: 1000 });
    expect(ids(rows)).toEqual(ids(everyEvent()));
    const transfer = rows.find((r) => r.pallet === 'Balances' && r.name === 'Transfer')!;
    expect(transfer.phase).toMatch(/^extrinsic:\d+$/);
    expect(typeof transfer.fields.amount).toBe('string');
    expect(transfer.accounts).toEqual([transfer.fields.from, transfer.fields.to].sort());
    expect(rows[0]!.phase).toBe('initialization');
  });

  it.each<[string, EventQuery, (e: ReturnType<typeof everyEvent>[number]) => boolean]>([
    ['pallet', { pallet: 'PhalaWrappedBalances' }, (e) => e.pallet === 'PhalaWrappedBalances'],
    ['name alone', { name: 'ExtrinsicFailed' }, (e) => e.name === 'ExtrinsicFailed'],
    ['Pallet.Name', { name: 'PhalaWrappedBalances.Issued' }, (e) => e.pallet === 'PhalaWrappedBalances' && e.name === 'Issued'],
    ['pallet and name', { pallet: 'Balances', name: 'Transfer' }, (e) => e.pallet === 'Balances' && e.name === 'Transfer'],
    ['block range', { fromBlock: 10, toBlock: 20 }, (e) => e.block >= 10 && e.block <= 20],
    ['name in a range', { name: 'ExtrinsicSuccess', fromBlock: 30, toBlock: 31 }, (e) => e.name === 'ExtrinsicSuccess' && e.block >= 30 && e.block <= 31],
  ])('filters by %s, with every page in ledger order', async (_, q, keep) => {
    const expected = everyEvent().filter(keep);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(await allPages({ ...q, limit: 7 }))).toEqual(ids(expected));
  });

  it('filters by account, matching any account field', async () => {
    const bob = t.users[1]!.id;
    const expected = everyEvent().filter((e) => JSON.stringify(e.fields).includes(bob));
    const rows = await allPages({ account: bob.toUpperCase().replace('0X', '0x'), fromBlock: 5, limit: 3 });
    expect(ids(rows)).toEqual(ids(expected.filter((e) => e.block >= 5)));
    expect(rows.every((r) => r.accounts.includes(bob))).toBe(true);
  });

  it('pages with a cursor: no event twice, none skipped, and `next` only when more exist', async () => {
    const first = await queryEvents(store, { pallet: 'Balances', limit: 5 });
    expect(first.events).toHaveLength(5);
    expect(first.next).toBe(first.events[4]!.id);
    const second = await queryEvents(store, { pallet: 'Balances', limit: 5, cursor: first.next });
    expect(second.events[0]!.id > first.events[4]!.id).toBe(true);
    const last = await queryEvents(store, { pallet: 'Balances', fromBlock: 60, limit: 1000 });
    expect(last.next).toBeUndefined();
    expect(await queryEvents(store, { pool: 3 })).toEqual({ events: [], next: undefined });
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(eventsProjection, blocks);
  });
});
