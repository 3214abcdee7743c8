import fc from 'fast-check';
import type { Economics, EconomicsBlock, WorkingInfoUpdate } from './economicsApi';
import { createFastEconomics } from './fastEngine';
import { createScenario, randomParams, rng, type ScenarioOptions, testParams } from './fastScenario';
import { createNaiveEconomics } from './naiveEconomics';

/** Runs a scenario through two engines; returns the first difference (or undefined) and the block count. */
const crossCheck = (
  make: () => [Economics, Economics],
  seed: number,
  opts: ScenarioOptions,
  blocks: number,
): { difference: string | undefined; reports: number } => {
  const [fast, oracle] = make();
  const scenario = createScenario(seed, opts);
  const show = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  let previous: WorkingInfoUpdate | undefined;
  let reports = 0;
  for (let n = 0; n < blocks; n++) {
    const block: EconomicsBlock = scenario.next(previous);
    const a = fast.processBlock(block);
    const b = oracle.processBlock(block);
    if (show(a) !== show(b)) return { difference: `block ${block.number}: fast ${show(a)} oracle ${show(b)}`, reports };
    for (const pk of scenario.pubkeys()) {
      const wa = show(fast.worker(pk));
      const wb = show(oracle.worker(pk));
      if (wa !== wb) return { difference: `block ${block.number} worker ${pk}: fast ${wa} oracle ${wb}`, reports };
    }
    if (a !== undefined) reports++;
    previous = a;
  }
  return { difference: undefined, reports };
};

const options = fc.record({
  workers: fc.integer({ min: 1, max: 14 }),
  hitChance: fc.double({ min: 0.02, max: 0.6, noNaN: true }),
  churn: fc.double({ min: 0, max: 0.8, noNaN: true }),
  realisticTarget: fc.boolean(),
});

describe('fast economics engine against the naive bigint engine', () => {
  it('gives identical reports and worker states every block, over random scenarios', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), options, fc.boolean(), (seed, opts, wild) => {
        const params = wild ? randomParams(rng(seed)) : testParams();
        const r = crossCheck(() => [createFastEconomics(params), createNaiveEconomics(params)], seed, opts, 120);
        expect(r.difference).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('stays identical with a few hundred workers over a longer run', () => {
    const opts = { workers: 300, hitChance: 0.05, churn: 0.9 };
    const r = crossCheck(() => [createFastEconomics(testParams()), createNaiveEconomics(testParams())], 7, opts, 200);
    expect(r.difference).toBeUndefined();
    expect(r.reports).toBeGreaterThan(150);
  });

  it('panics on a heartbeat for a challenge it does not owe (GK or Worker state poisoned)', () => {
    const engine = createFastEconomics(testParams());
    const pubkey = `0x${'11'.repeat(32)}`;
    engine.processBlock({ number: 1, timestampMs: 12_000, messages: [{ type: 'WorkerRegistered', pubkey, confidenceLevel: 1 }] });
    const hb = { type: 'Heartbeat' as const, pubkey, sessionId: 1, challengeBlock: 1, challengeTimeMs: 12_000, iterations: 5n };
    expect(() => engine.processBlock({ number: 2, timestampMs: 24_000, messages: [hb] })).toThrow('GK or Worker state poisoned');
    // An unknown worker's heartbeat is ignored before that check (DOMAIN.md §14 F13).
    expect(engine.processBlock({ number: 3, timestampMs: 36_000, messages: [{ ...hb, pubkey: '0x22' }] })).toBeUndefined();
  });

  it('grows its tables past the initial capacity without losing a worker', () => {
    const opts = { workers: 1500, hitChance: 0.01, churn: 0 };
    const r = crossCheck(() => [createFastEconomics(testParams()), createNaiveEconomics(testParams())], 3, opts, 6);
    expect(r.difference).toBeUndefined();
  });
});
