import { fixedToBalance } from '../domain/fixed/balance';
import { financeProjection, queryFinance } from './finance.projection';
import { actors, computingChain, ONE, PHA } from './testing/computingChain';
import { expectIdempotent, foldInto } from './testing/projectionSpec';
import { syntheticTimeMs } from './testing/syntheticChain';

const blocks = computingChain();
const { w1, w2, s2 } = actors;
const brief = (rows: { block: number; kind: string; payout: string | null }[]) => rows.map((r) => `${r.block}:${r.kind}${r.payout === null ? '' : `=${r.payout}`}`);

describe('finance projection', () => {
  it('logs started, each heartbeat with the payout settled for it, unresponsive spells, stop and reclaim', async () => {
    const store = await foldInto(financeProjection, blocks);
    const half = fixedToBalance(ONE / 2n).toString();
    expect(brief(await queryFinance(store, w2))).toEqual(['5:started', '7:enterUnresponsive', '8:exitUnresponsive', `8:heartbeat=${half}`, '9:stopped', '11:reclaimed']);
    const log = await queryFinance(store, w1);
    expect(brief(log)).toEqual(['5:started', `6:heartbeat=${fixedToBalance(2n * ONE)}`]);
    expect(log[0]).toMatchObject({ worker: w1, block: 5, timestampMs: syntheticTimeMs(5), vBits: (3000n * ONE).toString(), pInstant: 500, settledAtBlock: null });
    // the heartbeat of block 6 got its payout and the settled V at block 7
    expect(log[1]).toMatchObject({ block: 6, pInstant: 520, vBits: (2999n * ONE).toString(), settledAtBlock: 7 });
    const reclaimed = (await queryFinance(store, w2, { kind: 'reclaimed' }))[0];
    expect(reclaimed).toMatchObject({ session: s2, slashed: (100n * PHA).toString() });
  });

  it('pages and bounds a log by block', async () => {
    const store = await foldInto(financeProjection, blocks);
    const first = await queryFinance(store, w2, { limit: 2 });
    const rest = await queryFinance(store, w2, { after: first[1]!.id, limit: 10 });
    expect(brief([...first, ...rest])).toEqual(brief(await queryFinance(store, w2)));
    expect((await queryFinance(store, w2, { fromBlock: 8, toBlock: 9 })).map((r) => r.kind)).toEqual(['exitUnresponsive', 'heartbeat', 'stopped']);
    expect(await queryFinance(store, `0x${'77'.repeat(32)}`)).toEqual([]);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(financeProjection, blocks);
  });
});
