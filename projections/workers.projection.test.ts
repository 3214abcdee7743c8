import { fixedToBalance } from '../domain/fixed/balance';
import { queryWorker, queryWorkers, queryWorkersNetwork, workerShareBits, workersProjection } from './workers.projection';
import { actors, computingChain, ONE, PHA } from './testing/computingChain';
import { expectIdempotent, foldInto } from './testing/projectionSpec';

const blocks = computingChain();
const { w1, w2, s1, operator } = actors;

describe('workers projection', () => {
  it('folds registration, session, pool, stake and the chain side of the gatekeeper view', async () => {
    const store = await foldInto(workersProjection, blocks);
    const one = await queryWorker(store, w1);
    expect(one).toMatchObject({
      pubkey: w1,
      registeredAtBlock: 1,
      operator,
      confidenceLevel: 1,
      initialScore: 2000,
      attestationProvider: 'Root',
      session: s1,
      state: 'WorkerIdle',
      pool: '0',
      stake: (10_000n * PHA).toString(),
      startedAtBlock: 5,
      vInitBits: (3000n * ONE).toString(),
      vBits: (2999n * ONE).toString(),
      vUpdatedAtBlock: 7,
      pBench: 500,
      pInstant: 520,
      payoutTotal: fixedToBalance(2n * ONE).toString(),
      payoutCount: 1,
      lastPayoutBlock: 7,
      slashTotal: '0',
      lastSlashBlock: null,
    });
    expect(one!.shareBits).toBe(workerShareBits({ vBits: (2999n * ONE).toString(), pInstant: 520, confidenceLevel: 1 }).toString());
    // share = sqrt(v² + (2·p·conf)²) = sqrt(2999² + 1040²)
    expect(Number(BigInt(one!.shareBits) / ONE)).toBe(Math.floor(Math.sqrt(2999 ** 2 + 1040 ** 2)));
  });

  it('follows a worker through unresponsive, stop, reclaim with a slash and leaving the pool', async () => {
    const store = await foldInto(workersProjection, blocks);
    expect(await queryWorker(store, w2)).toMatchObject({ state: 'Registered', session: null, pool: null, stake: '0', slashTotal: (100n * PHA).toString(), lastSlashBlock: 11, payoutCount: 1, pInstant: 410 });
    expect(await queryWorker(store, `0x${'77'.repeat(32)}`)).toBeUndefined();
  });

  it('keeps the total share of computing, responsive workers', async () => {
    const store = await foldInto(workersProjection, blocks.slice(0, 8));
    // block 7: w2 is unresponsive, so only w1 counts
    const w1Row = await queryWorker(store, w1);
    expect(await queryWorkersNetwork(store)).toMatchObject({ totalShareBits: w1Row!.shareBits, workers: 2, computingWorkers: 2 });
    const all = await foldInto(workersProjection, blocks);
    expect((await queryWorkersNetwork(all)).computingWorkers).toBe(1);
  });

  it('filters by pool and state, pages by pubkey', async () => {
    const store = await foldInto(workersProjection, blocks);
    expect((await queryWorkers(store)).map((r) => r.pubkey)).toEqual([w1, w2]);
    expect((await queryWorkers(store, { state: 'WorkerIdle' })).map((r) => r.pubkey)).toEqual([w1]);
    expect((await queryWorkers(store, { pool: 0 })).map((r) => r.pubkey)).toEqual([w1]);
    expect((await queryWorkers(store, { after: w1, limit: 5 })).map((r) => r.pubkey)).toEqual([w2]);
    expect(await queryWorkers(store, { pool: 3 })).toEqual([]);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(workersProjection, blocks);
  });
});
