import fc from 'fast-check';
import type { Economics, EconomicsBlock, WorkingInfoUpdate } from '../messages';
import { createReferenceEconomics } from '../referenceEconomics';
import { buildScenario, type ScenarioAction, type ScenarioBlock } from '../scenario';
import { workerPubkeyHash } from '../challenge';
import { block, challengeOnly, heartbeat, started, testPubkey } from '../testKit';

const registered = (pubkey: string) => ({ type: 'WorkerRegistered' as const, pubkey, confidenceLevel: 1 });
import { gkTestTokenomicParameters } from '../tokenomicParameters';
import { createFastEconomics } from './fastEngine';
import { decodeFastState } from './fastState';
import { createScenario, randomParams, rng, type ScenarioOptions } from './fastScenario';
import { createNaiveEconomics } from './naiveEconomics';

const show = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

type Outcome = { readonly report: WorkingInfoUpdate | undefined } | { readonly panic: true };
const step = (engine: Economics, block: EconomicsBlock): Outcome => {
  try {
    return { report: engine.processBlock(block) };
  } catch {
    return { panic: true };
  }
};

/**
 * Feeds the same blocks to the fast engine and to an oracle; returns the first difference in a
 * report, a panic, or any worker's state (or undefined), and how many blocks had reports.
 */
const crossCheck = (
  fast: Economics,
  oracle: Economics,
  next: (previous: WorkingInfoUpdate | undefined) => EconomicsBlock | undefined,
  pubkeys: () => readonly string[],
): { difference: string | undefined; reports: number; panicked: boolean } => {
  let previous: WorkingInfoUpdate | undefined;
  let reports = 0;
  for (let block = next(previous); block !== undefined; block = next(previous)) {
    const a = step(fast, block);
    const b = step(oracle, block);
    if (show(a) !== show(b)) return { difference: `block ${block.number}: fast ${show(a)} oracle ${show(b)}`, reports, panicked: false };
    if ('panic' in a) return { difference: undefined, reports, panicked: true };
    for (const pk of pubkeys()) {
      const wa = show(fast.worker(pk));
      const wb = show(oracle.worker(pk));
      if (wa !== wb) return { difference: `block ${block.number} worker ${pk}: fast ${wa} oracle ${wb}`, reports, panicked: false };
    }
    if (a.report !== undefined) reports++;
    previous = a.report;
  }
  return { difference: undefined, reports, panicked: false };
};

/** The generator of `fastScenario.ts` for `blocks` blocks, reacting to the reports like the chain. */
const generated = (seed: number, opts: ScenarioOptions, blocks: number) => {
  const scenario = createScenario(seed, opts);
  let n = 0;
  return { next: (prev: WorkingInfoUpdate | undefined) => (n++ < blocks ? scenario.next(prev) : undefined), pubkeys: scenario.pubkeys };
};

const options = fc.record({
  workers: fc.integer({ min: 1, max: 14 }),
  hitChance: fc.double({ min: 0.02, max: 0.6, noNaN: true }),
  churn: fc.double({ min: 0, max: 0.8, noNaN: true }),
  realisticTarget: fc.boolean(),
});

describe('fast economics engine against the reference engine (the decisive check)', () => {
  it('gives identical reports, panics and worker states every block, over random scenarios', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), options, fc.boolean(), (seed, opts, wild) => {
        const params = wild ? randomParams(rng(seed)) : gkTestTokenomicParameters;
        const g = generated(seed, opts, 150);
        const r = crossCheck(createFastEconomics(params), createReferenceEconomics(params), g.next, g.pubkeys);
        expect(r.difference).toBeUndefined();
      }),
      { numRuns: 80 },
    );
  });

  it('stays identical with a few hundred workers over a longer run, reports in most blocks', () => {
    const g = generated(7, { workers: 300, hitChance: 0.05, churn: 0.9, tame: true }, 200);
    const r = crossCheck(createFastEconomics(gkTestTokenomicParameters), createReferenceEconomics(gkTestTokenomicParameters), g.next, g.pubkeys);
    expect(r).toEqual({ difference: undefined, reports: expect.any(Number), panicked: false });
    expect(r.reports).toBeGreaterThan(150);
  });

  it('agrees on the scenarios of the reference engine’s own driver (scenario.ts)', () => {
    const pubkeys = [1, 2, 3, 4, 5, 6].map(testPubkey);
    const action: fc.Arbitrary<ScenarioAction> = fc.oneof(
      fc.record({ kind: fc.constant('register' as const), worker: fc.nat(5), confidenceLevel: fc.constantFrom(0, 1, 2, 3, 4, 5, 128) }),
      fc.record({ kind: fc.constant('start' as const), worker: fc.nat(5), initV: fc.bigInt({ min: 0n, max: 30000n << 64n }), initP: fc.integer({ min: 0, max: 30000 }) }),
      fc.record({ kind: fc.constantFrom('stop' as const, 'enter' as const, 'exit' as const), worker: fc.nat(5) }),
      fc.record({ kind: fc.constant('challenge' as const), seed: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), onlineTarget: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }) }),
      fc.record({ kind: fc.constant('answer' as const), worker: fc.nat(5), iterationsStep: fc.bigInt({ min: 0n, max: 10n ** 9n }), nClusters: fc.option(fc.nat(3), { nil: undefined }) }),
      fc.record({ kind: fc.constant('budget' as const), budgetPerBlock: fc.bigInt({ min: 0n, max: 1000n << 64n }) }),
    );
    const blocks = fc.array(fc.record({ gap: fc.integer({ min: 1, max: 15 }), actions: fc.array(action, { maxLength: 8 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(blocks, (bs: ScenarioBlock[]) => {
        const input = buildScenario(pubkeys, gkTestTokenomicParameters, bs);
        let k = 0;
        const r = crossCheck(createFastEconomics(gkTestTokenomicParameters), createReferenceEconomics(gkTestTokenomicParameters), () => input[k++], () => pubkeys);
        expect(r.difference).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });
});

describe('fast economics engine against the naive bigint engine', () => {
  it('gives identical results (the naive engine is the benchmark baseline)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), options, fc.boolean(), (seed, opts, wild) => {
        const params = wild ? randomParams(rng(seed)) : gkTestTokenomicParameters;
        const g = generated(seed, opts, 100);
        const r = crossCheck(createFastEconomics(params), createNaiveEconomics(params), g.next, g.pubkeys);
        expect(r.difference).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });

  it('grows its tables past the initial capacity without losing a worker', () => {
    const g = generated(3, { workers: 1500, hitChance: 0.01, churn: 0 }, 6);
    const r = crossCheck(createFastEconomics(gkTestTokenomicParameters), createNaiveEconomics(gkTestTokenomicParameters), g.next, g.pubkeys);
    expect(r).toEqual({ difference: undefined, reports: expect.any(Number), panicked: false });
  });
});

describe('fast economics engine challenges', () => {
  it('settles a tie on the top 32 bits with the full 256-bit comparison', () => {
    const engine = createFastEconomics(gkTestTokenomicParameters);
    const [a, b] = [testPubkey(1), testPubkey(2)];
    engine.processBlock(block(1, registered(a), registered(b), started(a, 1, 1000n << 64n, 100), started(b, 2, 1000n << 64n, 100)));
    // seed = hash(a), target 0: x = 0 for a (a tie at the top, a hit), and b misses.
    engine.processBlock(block(2, challengeOnly(a)));
    // Seed = hash(a) XOR 1: x = 1 > 0 ties at the top 32 bits but is no hit.
    engine.processBlock(block(3, { type: 'HeartbeatChallenge', seed: workerPubkeyHash(a) ^ 1n, onlineTarget: 0n }));
    expect(() => engine.processBlock(block(4, heartbeat(b, 2, 2, 10n)))).toThrow('poisoned');
    const again = createFastEconomics(gkTestTokenomicParameters);
    again.processBlock(block(1, registered(a), started(a, 1, 1000n << 64n, 100)));
    again.processBlock(block(2, challengeOnly(a)));
    again.processBlock(block(3, { type: 'HeartbeatChallenge', seed: workerPubkeyHash(a) ^ 1n, onlineTarget: 0n }));
    const report = again.processBlock(block(4, heartbeat(a, 1, 2, 10n)));
    expect(report?.settle.map((s) => s.pubkey)).toEqual([a]);
    expect(() => again.processBlock(block(5, heartbeat(a, 1, 3, 20n)))).toThrow('poisoned');
  });
});

describe('fast economics engine panics like Rust', () => {
  const pubkey = testPubkey(0x11);
  const hb = { type: 'Heartbeat' as const, pubkey, sessionId: 1, challengeBlock: 1, challengeTimeMs: 12_000, iterations: 5n };

  it('on a heartbeat for a challenge it does not owe, and refuses every later block', () => {
    const engine = createFastEconomics(gkTestTokenomicParameters);
    engine.processBlock({ number: 1, timestampMs: 12_000, messages: [{ type: 'WorkerRegistered', pubkey, confidenceLevel: 1 }] });
    expect(() => engine.processBlock({ number: 2, timestampMs: 24_000, messages: [hb] })).toThrow('GK or Worker state poisoned');
    expect(() => engine.processBlock({ number: 3, timestampMs: 36_000, messages: [] })).toThrow('halted');
  });

  it('ignores an unknown worker’s heartbeat before that check (DOMAIN.md §14 F13), rejects malformed input', () => {
    const engine = createFastEconomics(gkTestTokenomicParameters);
    expect(engine.processBlock({ number: 3, timestampMs: 36_000, messages: [hb] })).toBeUndefined();
    expect(() => engine.processBlock({ number: 3, timestampMs: 48_000, messages: [] })).toThrow('strictly increasing');
    expect(() => engine.worker('0xABC')).toThrow('pubkey');
  });
});

describe('fast economics engine state: stored and resumed (time travel, restarted readers)', () => {
  it('a resumed engine continues exactly as the one it was exported from, whatever block it is cut at', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), options, fc.boolean(), fc.integer({ min: 0, max: 60 }), (seed, opts, wild, cut) => {
        const params = wild ? randomParams(rng(seed)) : gkTestTokenomicParameters;
        const g = generated(seed, opts, 80);
        const first = createFastEconomics(params);
        let previous: WorkingInfoUpdate | undefined;
        let panicked = false;
        for (let k = 0; k < cut && !panicked; k++) {
          const b = g.next(previous)!;
          const o = step(first, b);
          panicked = 'panic' in o;
          if (!('panic' in o)) previous = o.report;
        }
        if (panicked) return; // a panicked engine is never stored: its follower drops it
        // through JSON, as a snapshot row stores it
        const stored = JSON.parse(JSON.stringify(first.exportState()));
        const resumed = createFastEconomics(gkTestTokenomicParameters, decodeFastState(stored));
        const r = crossCheck(resumed, first, g.next, g.pubkeys);
        expect(r.difference).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a damaged state, naming where, and keeps the block order of the one it resumes', () => {
    const g = generated(5, { workers: 6, hitChance: 0.3, churn: 0.2 }, 5);
    const engine = createFastEconomics(gkTestTokenomicParameters);
    let previous: WorkingInfoUpdate | undefined;
    for (let k = 0; k < 5; k++) previous = engine.processBlock(g.next(previous)!);
    const state = JSON.parse(JSON.stringify(engine.exportState()));
    expect(state.lastBlock).toBe(5);
    const resumed = createFastEconomics(gkTestTokenomicParameters, decodeFastState(state));
    expect(() => resumed.processBlock({ number: 5, timestampMs: 0, messages: [] })).toThrow();
    state.slots[0].v = 'x';
    expect(() => decodeFastState(state)).toThrow(/economics state: malformed at "slots.0.v"/);
  });
});
