import { aprPercent, poolsProjection, queryPool, queryPoolApr, queryPools } from './pools.projection';
import { actors, computingChain, PHA } from './testing/computingChain';
import { expectIdempotent, foldInto } from './testing/projectionSpec';
import { ev, syntheticChain, syntheticTimeMs } from './testing/syntheticChain';

const blocks = computingChain();
const { w1, w2, owner, staker, poolAccount } = actors;
const s = (x: bigint) => x.toString();

describe('pools projection', () => {
  it('folds owner, commission, cap, workers, stake total / free / locked / releasing, queue and rewards', async () => {
    const store = await foldInto(poolsProjection, blocks);
    expect(await queryPool(store, 0)).toEqual({
      pid: '0',
      kind: 'StakePool',
      owner,
      poolAccount,
      createdAtBlock: 2,
      createdAtMs: syntheticTimeMs(2),
      commissionPpm: 100_000,
      cap: s(100_000n * PHA),
      workers: [w1],
      coolingDown: [],
      stakes: { [w1]: s(10_000n * PHA) },
      totalShares: s(29_600n * PHA),
      totalValue: s(29_600n * PHA + 1_800_000_000_000n),
      free: s(19_500n * PHA),
      locked: s(10_000n * PHA),
      releasing: '0',
      withdrawQueue: [{ user: staker, shares: s(600n * PHA), startTime: '1700000120' }],
      rewardsToOwner: '200000000000',
      rewardsToStakers: '1800000000000',
      ownerRewardsWithdrawn: '0',
      lastRewardBlock: 7,
      lastRewardAtMs: syntheticTimeMs(7),
    });
  });

  it('shows stake releasing while a worker cools down', async () => {
    const store = await foldInto(poolsProjection, blocks.slice(0, 10));
    expect(await queryPool(store, 0)).toMatchObject({ coolingDown: [w2], locked: s(10_000n * PHA), releasing: s(5_000n * PHA), free: s(15_000n * PHA) });
  });

  it('records an APR point per rewarded block', async () => {
    const store = await foldInto(poolsProjection, blocks);
    // 1.8 PHA on 30,000 PHA over 60 s, scaled to a year: 6e-5 · 525,600 = 31.536
    expect(await queryPoolApr(store, 0)).toEqual([{ pid: '0', block: 7, timestampMs: syntheticTimeMs(7), elapsedMs: 60_000, toStakers: '1800000000000', valueBefore: s(30_000n * PHA), aprPercent: '3153.60' }]);
    expect(aprPercent(5n, 100n, 365 * 24 * 3600 * 1000)).toBe('5.00');
    expect(aprPercent(5n, 0n, 1000)).toBe('0.00');
  });

  it('lists pools and vaults by pid, filtered by owner and kind', async () => {
    const more = syntheticChain([
      [ev('PhalaStakePoolv2', 'PoolCreated', { owner, pid: 0n, cid: 1, poolAccountId: poolAccount })],
      [ev('PhalaVault', 'PoolCreated', { owner: staker, pid: 1n, cid: 2, poolAccountId: `0x${'0c'.repeat(32)}` }), ev('PhalaVault', 'VaultCommissionSet', { pid: 1n, commission: 5 })],
    ]);
    const store = await foldInto(poolsProjection, more);
    expect((await queryPools(store)).map((p) => [p.pid, p.kind, p.commissionPpm])).toEqual([
      ['0', 'StakePool', null],
      ['1', 'Vault', 5],
    ]);
    expect((await queryPools(store, { owner: staker })).map((p) => p.pid)).toEqual(['1']);
    expect((await queryPools(store, { kind: 'StakePool' })).map((p) => p.pid)).toEqual(['0']);
    expect((await queryPools(store, { after: 0 })).map((p) => p.pid)).toEqual(['1']);
    expect(await queryPool(store, 9)).toBeUndefined();
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(poolsProjection, blocks);
  });
});
