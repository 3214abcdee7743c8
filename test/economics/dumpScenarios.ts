/**
 * One-off: writes random worlds and the TS reference engine's outputs as JSON for
 * crossCheckEngine.py (bigints as decimal strings). Not part of the test suite.
 */
import fc from 'fast-check';
import { createReferenceEconomics } from '../../domain/economics/referenceEconomics';
import { buildScenario, type ScenarioAction } from '../../domain/economics/scenario';
import { testPubkey } from '../../domain/economics/testKit';
import { defaultTokenomicParameters as params } from '../../domain/economics/tokenomicParameters';

const pubkeys = [testPubkey(0x31), testPubkey(0x07), testPubkey(0xc2)];
const worker = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<ScenarioAction> = fc.oneof(
  fc.record({ kind: fc.constant('start' as const), worker, initV: fc.bigInt({ min: 0n, max: params.vMax }), initP: fc.integer({ min: 0, max: 6000 }) }),
  fc.record({ kind: fc.constantFrom('stop' as const, 'enter' as const, 'exit' as const), worker }),
  fc.record({ kind: fc.constant('challenge' as const), seed: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), onlineTarget: fc.integer({ min: 0, max: 3 }).map((k) => ((1n << 256n) - 1n) >> BigInt(k)) }),
  fc.record({ kind: fc.constant('answer' as const), worker, iterationsStep: fc.bigInt({ min: 0n, max: 10_000_000n }), nClusters: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('answer' as const), worker, iterationsStep: fc.bigInt({ min: 0n, max: 10_000_000n }), nClusters: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('budget' as const), budgetPerBlock: fc.bigInt({ min: 0n, max: 200n << 64n }) }),
);
const regs: ScenarioAction[] = pubkeys.map((_, i) => ({ kind: 'register', worker: i, confidenceLevel: [1, 5, 7][i]! }));
const body = fc.array(fc.record({ gap: fc.integer({ min: 1, max: 13 }), actions: fc.array(action, { maxLength: 5 }) }), { minLength: 40, maxLength: 150 });
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

const scenarios = fc.sample(body, { numRuns: Number(process.argv[2] ?? 300), seed: 7 }).map((b) => {
  const blocks = buildScenario(pubkeys, params, [{ gap: 1, actions: regs }, ...b]);
  const gk = createReferenceEconomics(params);
  const expected = blocks.map((block) => {
    const r = gk.processBlock(block);
    const report = r === undefined ? null : { offline: r.offline, recovered: r.recoveredToOnline, settle: r.settle.map((s) => [s.pubkey, `${s.v}`, `${s.payout}`, `${s.treasury}`]) };
    const views: Record<string, unknown> = {};
    for (const p of [...pubkeys].sort()) {
      const w = gk.worker(p);
      if (w !== undefined) views[p] = [`${w.v}`, `${w.vDeductible}`, `${w.pInstant}`, w.unresponsive];
    }
    return { report, views };
  });
  return { blocks, expected };
});
process.stdout.write(json({ params, scenarios }));
