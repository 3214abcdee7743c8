import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { isLeft } from 'fp-ts/Either';
import { defaultTokenomicParameters, fixedFromDecimal } from '../../domain';
import { builtInScenarioPath, listBuiltInScenarios } from './builtIns';
import { loadScenario } from './loadScenario';
import { ResolvedScenario } from './resolved.codec';
import { resolveScenario } from './resolveScenario';
import { Scenario } from './scenario.codec';

function load(text: string): Scenario {
  const r = loadScenario(text, 'test.yaml');
  if (isLeft(r)) throw new Error(r.left.map((e) => e.text).join('\n'));
  return r.right;
}

const minimal = load(`name: t
durationBlocks: 10
topology:
  gatekeepers: { count: 1 }
  workerGroups:
    - { name: miners, count: 4 }
`);

function builtIn(name: (typeof listBuiltInScenarios extends () => readonly (infer N)[] ? N : never)): Scenario {
  const r = loadScenario(readFileSync(builtInScenarioPath(name), 'utf8'), name);
  if (isLeft(r)) throw new Error('built-in does not decode');
  return r.right;
}

describe('resolveScenario', () => {
  it('fills in Phala’s code defaults', () => {
    const r = resolveScenario(minimal, { seed: 7n });
    expect(r.chain).toEqual({
      blockTimeMs: 12_000,
      tokenomic: defaultTokenomicParameters,
      tokenomicOverridden: [],
      coolDownPeriodSec: 604_800,
      gracePeriodSec: 604_800,
      benchmarkDurationBlocks: 0,
      heartbeatsPaused: false,
      expectedHeartbeatCount: 20,
      expectedBlockTimeSec: 12,
      maxPoolWorkers: 200,
      minContributionPha: 0.01,
    });
    expect(r.topology.workerGroups[0]).toEqual({
      name: 'miners',
      count: 4,
      firstWorker: 0,
      atGenesis: false,
      registerAtBlock: 1,
      computing: true,
      initialScore: 'fromCpuSpeed',
      confidenceLevel: { fixed: 1 },
      cpuSpeedIterationsPerSec: { fixed: 350 },
      stakePha: { fixed: 10_000 },
    });
    expect(r.workload).toEqual({ contributionsPerBlock: 0, withdrawalsPerBlock: 0, contractCommandsPerBlock: 0, contractQueriesPerBlock: 0 });
    expect(r.faults.network).toEqual({});
    expect([r.seed, r.durationBlocks, r.durationFrom, r.description]).toEqual([7n, 10, 'scenario', '']);
  });

  it('parses tokenomic overrides to U64F64 bits and keeps the other defaults', () => {
    const r = resolveScenario(builtIn('quickstart'), { seed: 1n });
    expect(r.chain.tokenomic.budgetPerBlock).toBe(100n << 64n);
    expect(r.chain.tokenomic.rho).toBe(defaultTokenomicParameters.rho);
    expect(r.chain.tokenomicOverridden).toEqual(['budgetPerBlock', 'heartbeatWindow']);
    const s = load(`${'name: t\ndurationBlocks: 1\ntopology: { gatekeepers: { count: 1 }, workerGroups: [] }\n'}chain: { tokenomic: { treasuryRatio: "0.25", heartbeatWindow: 3 } }\n`);
    const t = resolveScenario(s, { seed: 1n }).chain.tokenomic;
    expect([t.treasuryRatio, t.heartbeatWindow]).toEqual([fixedFromDecimal('0.25'), 3]);
  });

  it('lets --blocks override the duration and says so', () => {
    const r = resolveScenario(builtIn('khala-day'), { seed: 1n, blocks: 50 });
    expect([r.durationBlocks, r.durationFrom]).toEqual([50, 'blocksFlag']);
    expect(resolveScenario(builtIn('khala-day'), { seed: 1n }).durationBlocks).toBe(7200);
  });

  it('is deterministic and does not alias its input', () => {
    const s = builtIn('worker-churn');
    const a = resolveScenario(s, { seed: 42n });
    expect(resolveScenario(s, { seed: 42n })).toEqual(a);
    expect(a.topology.workerGroups[0]!.confidenceLevel).not.toBe(s.topology.workerGroups[0]!.confidenceLevel);
  });

  it('derives totals, worker numbering, permill commissions and fault windows', () => {
    const r = resolveScenario(builtIn('worker-churn'), { seed: 1n });
    expect(r.topology.totals).toEqual({ workers: 500, gatekeepers: 2, pools: 5, stakers: 140, contracts: 0 });
    expect(r.topology.workerGroups.map((g) => g.firstWorker)).toEqual([0, 200, 400]);
    expect(r.topology.pools[0]!.commissionPermill).toBe(50_000);
    expect(r.faults.workerCrashes[0]).toEqual({ workerGroup: 'early', count: 20, atBlock: 200, untilBlock: 215 });
    expect(r.faults.unresponsiveWorkers[1]!.untilBlock).toBeNull();
  });

  it('turns network cuts given in blocks into virtual ms', () => {
    const r = resolveScenario(builtIn('byzantine'), { seed: 1n });
    expect(r.faults.network.cuts).toEqual([
      { kind: 'isolate', nodes: ['gatekeeper-2'], fromMs: 600_000, untilMs: 840_000 },
      { kind: 'split', sides: [['node-0'], ['node-1']], fromMs: 1_500_000, untilMs: 1_620_000 },
    ]);
    expect(r.faults.gatekeeperCrashes).toEqual([]);
  });

  it('throws on a seed or block count the CLI should have refused', () => {
    expect(() => resolveScenario(minimal, { seed: -1n })).toThrow(RangeError);
    expect(() => resolveScenario(minimal, { seed: 1n << 128n })).toThrow(RangeError);
    expect(() => resolveScenario(minimal, { seed: 1n, blocks: 0 })).toThrow(RangeError);
  });

  it('round-trips the built-ins’ resolved options through JSON, bigints as strings', () => {
    for (const name of listBuiltInScenarios()) {
      const r = resolveScenario(builtIn(name), { seed: 123n });
      const json = JSON.stringify(ResolvedScenario.encode(r));
      expect(json).toContain(`"seed":"123"`);
      const back = ResolvedScenario.decode(JSON.parse(json));
      expect(isLeft(back) ? back.left : back.right).toEqual(r);
    }
  });
});

const dist = fc.oneof(
  fc.record({ fixed: fc.integer({ min: 0, max: 6000 }) }),
  fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 })).map(([a, b]) => ({ uniform: { min: Math.min(a, b), max: Math.max(a, b) } })),
  fc.record({ normal: fc.record({ mean: fc.integer({ min: 0, max: 6000 }), sd: fc.integer({ min: 0, max: 500 }) }) }),
  fc.record({ choice: fc.array(fc.record({ value: fc.integer({ min: 0, max: 6000 }), weight: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 3 }) }),
);
const group = (i: number) =>
  fc.record(
    { name: fc.constant(`g${i}`), count: fc.integer({ min: 0, max: 50 }), atGenesis: fc.boolean(), initialScore: dist, cpuSpeedIterationsPerSec: dist, stakePha: dist },
    { requiredKeys: ['name', 'count'] },
  );
const rawScenario = fc.record(
  {
    name: fc.string(),
    description: fc.string(),
    durationBlocks: fc.integer({ min: 1, max: 100_000 }),
    topology: fc.record({
      gatekeepers: fc.record({ count: fc.integer({ min: 1, max: 5 }), joinAtBlocks: fc.array(fc.nat(1000), { maxLength: 3 }) }),
      workerGroups: fc.tuple(group(0), group(1)),
      clients: fc.nat(10),
    }),
    chain: fc.record(
      {
        blockTimeMs: fc.integer({ min: 1, max: 60_000 }),
        tokenomic: fc.record({ budgetPerBlock: fc.bigInt({ min: 0n, max: 10n ** 12n }).map((b) => `${b / 1000n}.${(b % 1000n).toString().padStart(3, '0')}`), heartbeatWindow: fc.integer({ min: 1, max: 100 }) }, { requiredKeys: [] }),
        heartbeatsPaused: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
    faults: fc.record(
      {
        network: fc.record({ drop: fc.record({ probability: fc.double({ min: 0, max: 1, noNaN: true }) }) }, { requiredKeys: [] }),
        malformedMessagesPerBlock: fc.double({ min: 0, max: 10, noNaN: true }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['name', 'durationBlocks', 'topology'] },
);

describe('resolved options (property)', () => {
  it('decode, resolve, then JSON with bigints as strings and back changes nothing', () => {
    fc.assert(
      fc.property(rawScenario, fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }), (raw, seed, blocks) => {
        const decoded = Scenario.decode(raw);
        if (isLeft(decoded)) throw new Error(`generated scenario refused: ${JSON.stringify(decoded.left[0]?.message)}`);
        const r = resolveScenario(decoded.right, blocks === undefined ? { seed } : { seed, blocks });
        const back = ResolvedScenario.decode(JSON.parse(JSON.stringify(ResolvedScenario.encode(r))));
        expect(isLeft(back) ? back.left : back.right).toEqual(r);
        expect(resolveScenario(decoded.right, blocks === undefined ? { seed } : { seed, blocks })).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });
});
