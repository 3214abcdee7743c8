import { Accounts } from '../domain/chain/pallets/balances.pallet';
import { accountsProjection, queryAccounts } from './accounts.projection';
import { blocksProjection, queryHead } from './blocks.projection';
import { allProjections } from './index';
import { inMemoryProjectionStore } from './memoryStore';
import { projectAll } from './runner';
import type { ProjectionStore } from './store';
import { buildTestLedger, type TestLedger } from './testing/ledgerForTests';
import { dumpTables } from './testing/storeDump';
import { BlockNotProjected, projectionAt } from './timeTravel';

const BLOCKS = 530;
let t: TestLedger;
let store: ProjectionStore;
const options = (toBlock?: number) => ({ eventCodec: t.runtime.eventCodec, holder: 'test', now: () => 0, toBlock });
beforeAll(async () => {
  t = await buildTestLedger(BLOCKS);
  store = inMemoryProjectionStore();
  await projectAll(t.ledger, allProjections, store, options());
}, 180_000);

describe('time travel (--at-block)', () => {
  it.each([0, 1, 100, 255, 256, 257, 511, 512, 529])('accounts at block %i equal a fold up to it, starting from the nearest snapshot', async (n) => {
    const past = await projectionAt(t.ledger, t.runtime.eventCodec, accountsProjection, store, n);
    const foldedToN = inMemoryProjectionStore();
    await projectAll(t.ledger, [accountsProjection], foldedToN, options(n));
    expect(await dumpTables(past.reader, [accountsProjection])).toEqual(await dumpTables(foldedToN, [accountsProjection]));
    // the cost: only the blocks since the snapshot (every 256 blocks) are folded
    expect(past.snapshotBlock).toBe(Math.floor(n / 256) * 256);
    expect(past.foldedBlocks).toBe(n % 256);
  }, 60_000);

  it('answers at the checkpoint from the live tables, with nothing folded', async () => {
    const past = await projectionAt(t.ledger, t.runtime.eventCodec, accountsProjection, store, BLOCKS);
    expect(past.foldedBlocks).toBe(0);
    const alice = (await queryAccounts(past.reader)).find((r) => r.account === t.users[0]!.id)!;
    expect(alice.free).toBe(Accounts.get(t.chain.storage, t.users[0]!.id)!.free.toString());
  });

  it('gives the head at a past block', async () => {
    expect((await queryHead(store, 300))?.number).toBe(300);
    const past = await projectionAt(t.ledger, t.runtime.eventCodec, blocksProjection, store, 300);
    expect(await queryHead(past.reader)).toEqual(await queryHead(store, 300));
  });

  it('refuses a block past the checkpoint, or a projection never built, with one clear line', async () => {
    await expect(projectionAt(t.ledger, t.runtime.eventCodec, accountsProjection, store, BLOCKS + 1)).rejects.toThrow(
      new BlockNotProjected(`--at-block ${BLOCKS + 1} is past the last block projected (${BLOCKS}): catch the projections up first`),
    );
    await expect(projectionAt(t.ledger, t.runtime.eventCodec, accountsProjection, inMemoryProjectionStore(), 3)).rejects.toThrow(/not built yet/);
  });
});
