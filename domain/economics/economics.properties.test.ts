/** fast-check properties of the reference engine over random well-behaved worlds (scenario.ts). */
import fc from 'fast-check';
import { fixedFromDecimal as lit } from '../fixed';
import { createEconomics } from './index';
import type { EconomicsBlock, WorkerEconomicsView, WorkingInfoUpdate } from './messages';
import { createReferenceEconomics } from './referenceEconomics';
import { buildScenario, type ScenarioAction } from './scenario';
import { testPubkey } from './testKit';
import { defaultTokenomicParameters as params } from './tokenomicParameters';

const pubkeys = [testPubkey(0x31), testPubkey(0x07), testPubkey(0xc2)];
const worker = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<ScenarioAction> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('register' as const), worker, confidenceLevel: fc.constantFrom(1, 2, 3, 4, 5, 7, 128) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('start' as const), worker, initV: fc.bigInt({ min: 0n, max: params.vMax }), initP: fc.integer({ min: 0, max: 6000 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('stop' as const, 'enter' as const, 'exit' as const), worker }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('challenge' as const), seed: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), onlineTarget: fc.integer({ min: 0, max: 3 }).map((k) => ((1n << 256n) - 1n) >> BigInt(k)) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('answer' as const), worker, iterationsStep: fc.bigInt({ min: 0n, max: 10_000_000n }), nClusters: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('budget' as const), budgetPerBlock: fc.oneof(fc.constant(0n), fc.bigInt({ min: lit('0.001'), max: lit('200') })) }), weight: 1 },
);
const startAll = fc.tuple(...pubkeys.map((_, i) => fc.record({ kind: fc.constant('start' as const), worker: fc.constant(i), initV: fc.bigInt({ min: 0n, max: params.vMax }), initP: fc.integer({ min: 50, max: 6000 }) })));
const registerAll: ScenarioAction[] = pubkeys.map((_, i) => ({ kind: 'register', worker: i, confidenceLevel: 1 + i }));
const body = fc.array(fc.record({ gap: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 15 })), actions: fc.array(action, { maxLength: 4 }) }), { minLength: 1, maxLength: 60 });
// Most worlds begin with every worker registered and computing, so the interesting paths are reached.
const scenario = fc
  .tuple(fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }), startAll, body)
  .map(([prelude, starts, blocks]) => buildScenario(pubkeys, params, prelude ? [{ gap: 1, actions: [...registerAll, ...starts] }, ...blocks] : blocks));

interface Step {
  readonly block: EconomicsBlock;
  readonly report: WorkingInfoUpdate | undefined;
  readonly before: (WorkerEconomicsView | undefined)[];
  readonly after: (WorkerEconomicsView | undefined)[];
}

function run(blocks: readonly EconomicsBlock[]): Step[] {
  const gk = createReferenceEconomics(params);
  return blocks.map((block) => {
    const before = pubkeys.map((p) => gk.worker(p));
    const report = gk.processBlock(block);
    return { block, report, before, after: pubkeys.map((p) => gk.worker(p)) };
  });
}

const startedIn = (s: Step, pubkey: string) => s.block.messages.some((m) => m.type === 'WorkerStarted' && m.pubkey === pubkey);
const runs = { numRuns: 150 };

describe('reference engine properties', () => {
  it('the generated worlds exercise payouts, timeouts and recoveries', () => {
    const totals = { payouts: 0, offline: 0, recovered: 0, stopSettles: 0 };
    for (const blocks of fc.sample(scenario, { numRuns: 200, seed: 42 })) {
      for (const { report } of run(blocks)) {
        totals.payouts += report?.settle.filter((x) => x.payout > 0n).length ?? 0;
        totals.stopSettles += report?.settle.filter((x) => x.payout === 0n).length ?? 0;
        totals.offline += report?.offline.length ?? 0;
        totals.recovered += report?.recoveredToOnline.length ?? 0;
      }
    }
    expect(Math.min(totals.payouts, totals.offline, totals.recovered, totals.stopSettles)).toBeGreaterThan(20);
  });

  it('V never exceeds v_max', () => {
    fc.assert(fc.property(scenario, (blocks) => run(blocks).every((s) => s.after.every((w) => w === undefined || w.v <= params.vMax))), runs);
  });

  it("an unresponsive worker's V only falls", () => {
    fc.assert(
      fc.property(scenario, (blocks) =>
        run(blocks).every((s) => pubkeys.every((p, i) => {
          const [b, a] = [s.before[i], s.after[i]];
          return b === undefined || a === undefined || !a.unresponsive || startedIn(s, p) || a.v <= b.v;
        })),
      ),
      runs,
    );
  });

  it('V changes only by idle growth, slash or a payout deduction', () => {
    fc.assert(
      fc.property(scenario, (blocks) =>
        run(blocks).every((s) => pubkeys.every((p, i) => {
          const [b, a] = [s.before[i], s.after[i]];
          if (b === undefined || a === undefined || startedIn(s, p)) return true;
          const paid = (s.report?.settle ?? []).filter((x) => x.pubkey === p && x.payout > 0n);
          if (a.v > b.v) return !a.unresponsive && paid.length === 0; // idle growth only
          if (a.v < b.v) return a.unresponsive || (paid.length === 1 && b.v - a.v <= paid[0]!.payout);
          return true;
        })),
      ),
      runs,
    );
  });

  it('reports are never empty, carry the block, list offline/recovered in pubkey order, pay treasury iff payout', () => {
    fc.assert(
      fc.property(scenario, (blocks) =>
        run(blocks).every(({ block, report }) => {
          if (report === undefined) return true;
          const sorted = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1]! < x);
          return (
            report.offline.length + report.recoveredToOnline.length + report.settle.length > 0 &&
            report.blockNumber === block.number &&
            report.timestampMs === block.timestampMs &&
            sorted(report.offline) &&
            sorted(report.recoveredToOnline) &&
            report.settle.every((x) => (x.payout === 0n) === (x.treasury === 0n))
          );
        }),
      ),
      runs,
    );
  });

  it('two engines fed the same blocks produce identical reports and states (createEconomics too)', () => {
    fc.assert(
      fc.property(scenario, (blocks) => {
        const a = createReferenceEconomics(params);
        const b = createEconomics(params);
        return blocks.every((block) => {
          const same = JSON.stringify(a.processBlock(block), big) === JSON.stringify(b.processBlock(block), big);
          return same && pubkeys.every((p) => JSON.stringify(a.worker(p), big) === JSON.stringify(b.worker(p), big));
        });
      }),
      runs,
    );
  });
});

function big(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}
