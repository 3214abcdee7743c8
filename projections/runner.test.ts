import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Accounts } from '../domain/chain/pallets/balances.pallet';
import { WphaBalances } from '../domain/chain/pallets/wrappedBalances.pallet';
import { sqliteProjectionStore } from '../infra/projections/sqliteProjectionStore';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { accountsProjection, queryAccounts } from './accounts.projection';
import { queryHead } from './blocks.projection';
import { CorruptBlock } from './decodedBlock';
import { allProjections } from './index';
import { inMemoryProjectionStore } from './memoryStore';
import { projectAll, projectionStatus } from './runner';
import type { ProjectionStore } from './store';
import { buildTestLedger, type TestLedger } from './testing/ledgerForTests';
import { dumpAll } from './testing/storeDump';

const BLOCKS = 300;
let t: TestLedger;
beforeAll(async () => {
  t = await buildTestLedger(BLOCKS);
}, 120_000);

const options = (extra: { toBlock?: number; holder?: string } = {}) => ({ eventCodec: t.runtime.eventCodec, holder: 'test', now: () => 1_000, ...extra });
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'phalanet-proj-')), 'ledger.db.projections.db');

describe.each<[string, () => ProjectionStore]>([
  ['memory', () => inMemoryProjectionStore()],
  ['sqlite', () => sqliteProjectionStore(tempFile())],
])('projectAll on the %s store', (_, makeStore) => {
  it('catching up block by block equals a rebuild from zero', async () => {
    const incremental = makeStore();
    for (let n = 0; n <= BLOCKS; n += 7) await projectAll(t.ledger, allProjections, incremental, options({ toBlock: n }));
    const status = await projectAll(t.ledger, allProjections, incremental, options());
    const rebuilt = makeStore();
    await projectAll(t.ledger, allProjections, rebuilt, options());
    expect(await dumpAll(incremental, allProjections)).toEqual(await dumpAll(rebuilt, allProjections));
    expect(status.map((s) => [s.name, s.state, s.checkpoint])).toEqual(allProjections.map((p) => [p.name, 'caught-up', BLOCKS]));
    expect((await queryHead(rebuilt))?.number).toBe(BLOCKS);
  }, 60_000);

  it('folds accounts to exactly the runtime state at the head', async () => {
    const store = makeStore();
    await projectAll(t.ledger, allProjections, store, options());
    const rows = await queryAccounts(store, { limit: 1000 });
    for (const u of t.users) {
      const row = rows.find((r) => r.account === u.id)!;
      const state = Accounts.get(t.chain.storage, u.id)!;
      expect(row.free).toBe(state.free.toString());
      expect(row.nonce).toBe(state.nonce);
      expect(row.wpha).toBe((WphaBalances.get(t.chain.storage, u.id) ?? 0n).toString());
    }
    expect(rows.some((r) => r.wpha !== '0')).toBe(true);
  }, 60_000);

  it('rebuilds a projection whose version changed, dropping its old rows', async () => {
    const store = makeStore();
    await projectAll(t.ledger, allProjections, store, options());
    await store.transaction((tx) => tx.put('accounts', 'junk-left-by-v1', { junk: true }));
    const v2 = { ...accountsProjection, version: 2 };
    const status = await projectAll(t.ledger, [v2], store, options());
    expect(status[0]).toMatchObject({ name: 'accounts', state: 'caught-up', version: 2 });
    expect(await store.checkpoint('accounts')).toMatchObject({ version: 2, blockNumber: BLOCKS });
    expect(await store.get('accounts', 'junk-left-by-v1')).toBeUndefined();
    const fresh = makeStore();
    await projectAll(t.ledger, [v2], fresh, options());
    expect(await dumpAll(store, [v2])).toEqual(await dumpAll(fresh, [v2]));
  }, 60_000);
});

describe('status', () => {
  it('reports lagging with the lag, and rebuilding while the lock is held', async () => {
    const store = inMemoryProjectionStore();
    await projectAll(t.ledger, allProjections, store, options({ toBlock: 250 }));
    const lagging = await projectionStatus(t.ledger, allProjections, store, 1_000);
    expect(lagging[0]).toMatchObject({ state: 'lagging', lagBlocks: BLOCKS - 250, checkpoint: 250, head: BLOCKS });
    await store.acquireRebuildLock('pid 7 on host', 1_000, 60_000);
    const rebuilding = await projectionStatus(t.ledger, allProjections, store, 2_000);
    expect(rebuilding[0]).toMatchObject({ state: 'rebuilding', lagBlocks: 50, holder: 'pid 7 on host', sinceMs: 1_000 });
    // an expired lock is no rebuild
    expect((await projectionStatus(t.ledger, allProjections, store, 61_001))[0]).toMatchObject({ state: 'lagging' });
  });
});

describe('a corrupt block record', () => {
  it('stops the catch-up with an error naming the block, keeping what came before', async () => {
    const ledger = memoryEventStore();
    for await (const r of t.ledger.readStream('chain', { toVersion: 4 })) await ledger.append('chain', [r], r.version === 0 ? 'no-stream' : r.version - 1);
    const bad = new Uint8Array(40).fill(3);
    await ledger.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data: bad }], 4);
    const store = inMemoryProjectionStore();
    const run = projectAll(ledger, allProjections, store, options());
    await expect(run).rejects.toThrow(CorruptBlock);
    await expect(projectAll(ledger, allProjections, store, options())).rejects.toThrow(/^CorruptBlock: block 5 of stream chain cannot be decoded/);
    expect((await store.checkpoint('blocks'))?.blockNumber).toBe(4);
    expect(await store.rebuildLock()).toBeUndefined();
  });
});

describe('two concurrent rebuilds', () => {
  it('one runs, the other fails fast with the clear line and changes nothing', async () => {
    const path = tempFile();
    const a = sqliteProjectionStore(path);
    const b = sqliteProjectionStore(path);
    const results = await Promise.allSettled([
      projectAll(t.ledger, allProjections, a, options({ holder: 'rebuild A' })),
      projectAll(t.ledger, allProjections, b, options({ holder: 'rebuild B' })),
    ]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1].status).toBe('rejected');
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toMatch(/^ProjectionLocked: rebuild already running \(holder rebuild A, since 1970-01-01T00:00:01\.000Z\)$/);
    expect((await b.checkpoint('blocks'))?.blockNumber).toBe(BLOCKS);
    expect(await b.rebuildLock()).toBeUndefined();
    await a.close();
    await b.close();
  }, 60_000);
});
