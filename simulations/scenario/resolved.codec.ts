/**
 * The fully derived options of a run: every default filled in, tokenomic parameters as U64F64
 * bits, times in blocks and ms. The CLI prints this first and the simulation consumes it; its
 * JSON form (bigints as decimal strings) is this codec's output.
 */
import * as t from 'io-ts';

/** a bigint carried in JSON as a decimal string */
export const BigIntFromString = new t.Type<bigint, string, unknown>(
  'a bigint as a decimal string',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) => (typeof u === 'string' && /^-?\d+$/.test(u) ? t.success(BigInt(u)) : t.failure(u, c, 'must be a decimal integer string')),
  (a) => a.toString(),
);

const ro = t.readonly;
const list = <C extends t.Mixed>(c: C) => t.readonlyArray(c);

/** a distribution with defaults applied (the decoded form, one key) */
export const ResolvedDistribution = t.union([
  ro(t.type({ fixed: t.number })),
  ro(t.type({ uniform: ro(t.type({ min: t.number, max: t.number })) })),
  ro(t.type({ normal: ro(t.intersection([t.type({ mean: t.number, sd: t.number }), t.partial({ min: t.number, max: t.number })])) })),
  ro(t.type({ choice: list(ro(t.type({ value: t.number, weight: t.number }))) })),
]);

const tokenomic = ro(
  t.type({
    phaRate: BigIntFromString,
    rho: BigIntFromString,
    budgetPerBlock: BigIntFromString,
    vMax: BigIntFromString,
    costK: BigIntFromString,
    costB: BigIntFromString,
    slashRate: BigIntFromString,
    treasuryRatio: BigIntFromString,
    heartbeatWindow: t.number,
    rigK: BigIntFromString,
    rigB: BigIntFromString,
    re: BigIntFromString,
    k: BigIntFromString,
    kappa: BigIntFromString,
  }),
);

const chain = ro(
  t.type({
    blockTimeMs: t.number,
    tokenomic,
    tokenomicOverridden: list(t.string),
    coolDownPeriodSec: t.number,
    gracePeriodSec: t.number,
    benchmarkDurationBlocks: t.number,
    heartbeatsPaused: t.boolean,
    expectedHeartbeatCount: t.number,
    expectedBlockTimeSec: t.number,
    maxPoolWorkers: t.number,
    minContributionPha: t.number,
  }),
);

const workerGroup = ro(
  t.type({
    name: t.string,
    count: t.number,
    firstWorker: t.number,
    atGenesis: t.boolean,
    registerAtBlock: t.number,
    computing: t.boolean,
    initialScore: t.union([ResolvedDistribution, t.literal('fromCpuSpeed')]),
    confidenceLevel: ResolvedDistribution,
    cpuSpeedIterationsPerSec: ResolvedDistribution,
    stakePha: ResolvedDistribution,
  }),
);

const poolSet = ro(
  t.type({
    name: t.string,
    count: t.number,
    workerGroup: t.string,
    workersPerPool: t.number,
    commissionPermill: t.number,
    capPha: t.union([t.number, t.null]),
    stakersPerPool: t.number,
    contributionPha: t.union([ResolvedDistribution, t.null]),
  }),
);

const cluster = ro(t.type({ name: t.string, workerGroup: t.string, workers: t.number, contracts: t.number, createAtBlock: t.number }));

const topology = ro(
  t.type({
    gatekeepers: ro(t.type({ count: t.number, joinAtBlocks: list(t.number), rotateMasterKeyAtBlocks: list(t.number) })),
    workerGroups: list(workerGroup),
    pools: list(poolSet),
    clusters: list(cluster),
    clients: t.number,
    totals: ro(t.type({ workers: t.number, gatekeepers: t.number, pools: t.number, stakers: t.number, contracts: t.number })),
  }),
);

const workload = ro(t.type({ contributionsPerBlock: t.number, withdrawalsPerBlock: t.number, contractCommandsPerBlock: t.number, contractQueriesPerBlock: t.number }));

const cut = t.union([
  ro(t.type({ kind: t.literal('isolate'), nodes: list(t.string), fromMs: t.number, untilMs: t.number })),
  ro(t.type({ kind: t.literal('split'), sides: ro(t.tuple([list(t.string), list(t.string)])), fromMs: t.number, untilMs: t.number })),
]);

const network = ro(
  t.partial({
    drop: ro(t.type({ probability: t.number })),
    duplicate: ro(t.type({ probability: t.number, delayMsMax: t.number })),
    reorder: ro(t.type({ windowMs: t.number })),
    delay: ro(t.type({ probability: t.number, delayMsMin: t.number, delayMsMax: t.number })),
    cuts: list(cut),
  }),
);

const workerFault = ro(t.type({ workerGroup: t.string, count: t.number, atBlock: t.number, untilBlock: t.union([t.number, t.null]) }));

const faults = ro(
  t.type({
    network,
    workerCrashes: list(workerFault),
    unresponsiveWorkers: list(workerFault),
    gatekeeperCrashes: list(ro(t.type({ gatekeeper: t.number, atBlock: t.number, rejoinAtBlock: t.union([t.number, t.null]) }))),
    forgedMessagesPerBlock: t.number,
    replayedMessagesPerBlock: t.number,
    malformedMessagesPerBlock: t.number,
  }),
);

/** The resolved options of a run (seed, scenario with every default, duration) */
export const ResolvedScenario = ro(
  t.type({
    name: t.string,
    description: t.string,
    seed: BigIntFromString,
    durationBlocks: t.number,
    durationFrom: t.keyof({ scenario: null, blocksFlag: null }),
    chain,
    topology,
    workload,
    faults,
  }),
);
/** The resolved options of a run */
export type ResolvedScenario = t.TypeOf<typeof ResolvedScenario>;
/** Their JSON form (bigints as decimal strings) */
export type ResolvedScenarioJson = t.OutputOf<typeof ResolvedScenario>;
