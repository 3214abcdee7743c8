/**
 * A decoded scenario plus the run's seed → every option the simulation uses, with all defaults
 * filled in. Pure and deterministic: the same inputs give an equal result.
 */
import { defaultTokenomicParameters, fixedFromDecimal, type TokenomicParameters } from '../../domain';
import { fixedTokenomicKeys } from './chain.codec';
import type { NumberDistribution } from './distribution.codec';
import type { ResolvedScenario } from './resolved.codec';
import type { Scenario } from './scenario.codec';
import { MAX_POOL_WORKERS, MIN_CONTRIBUTION_PHA } from './values.codec';

/** What the command line adds to a scenario */
export interface RunOptions {
  /** the run's seed, in [0, 2^128) */
  readonly seed: bigint;
  /** `--blocks N`: overrides `durationBlocks` */
  readonly blocks?: number;
}

/** Phala's code defaults for the chain section (DOMAIN.md §6.1, §8, §14 F2) */
export const chainDefaults = {
  blockTimeMs: 12_000,
  coolDownPeriodSec: 604_800,
  gracePeriodSec: 604_800,
  benchmarkDurationBlocks: 0,
  heartbeatsPaused: false,
  expectedHeartbeatCount: 20,
  expectedBlockTimeSec: 12,
} as const;

/** Defaults of a worker group's optional keys */
export const workerGroupDefaults = {
  atGenesis: false,
  registerAtBlock: 1,
  computing: true,
  confidenceLevel: { fixed: 1 },
  cpuSpeedIterationsPerSec: { fixed: 350 },
  stakePha: { fixed: 10_000 },
} as const;

function tokenomic(overrides: NonNullable<Scenario['chain']>['tokenomic']): { params: TokenomicParameters; overridden: string[] } {
  const params: { -readonly [K in keyof TokenomicParameters]: TokenomicParameters[K] } = { ...defaultTokenomicParameters };
  const overridden: string[] = [];
  for (const key of fixedTokenomicKeys) {
    const text = overrides?.[key];
    if (text === undefined) continue;
    params[key] = fixedFromDecimal(text);
    overridden.push(key);
  }
  if (overrides?.heartbeatWindow !== undefined) {
    params.heartbeatWindow = overrides.heartbeatWindow;
    overridden.push('heartbeatWindow');
  }
  return { params, overridden };
}

function chain(s: Scenario): ResolvedScenario['chain'] {
  const c = s.chain ?? {};
  const { params, overridden } = tokenomic(c.tokenomic);
  return {
    blockTimeMs: c.blockTimeMs ?? chainDefaults.blockTimeMs,
    tokenomic: params,
    tokenomicOverridden: overridden,
    coolDownPeriodSec: c.coolDownPeriodSec ?? chainDefaults.coolDownPeriodSec,
    gracePeriodSec: c.gracePeriodSec ?? chainDefaults.gracePeriodSec,
    benchmarkDurationBlocks: c.benchmarkDurationBlocks ?? chainDefaults.benchmarkDurationBlocks,
    heartbeatsPaused: c.heartbeatsPaused ?? chainDefaults.heartbeatsPaused,
    expectedHeartbeatCount: c.expectedHeartbeatCount ?? chainDefaults.expectedHeartbeatCount,
    expectedBlockTimeSec: c.expectedBlockTimeSec ?? chainDefaults.expectedBlockTimeSec,
    maxPoolWorkers: MAX_POOL_WORKERS,
    minContributionPha: MIN_CONTRIBUTION_PHA,
  };
}

/** a decoded distribution as plain data (brands dropped, object copied) */
function plain(d: NumberDistribution): NumberDistribution {
  if ('fixed' in d) return { fixed: d.fixed };
  if ('uniform' in d) return { uniform: { min: d.uniform.min, max: d.uniform.max } };
  if ('normal' in d) return { normal: { ...d.normal } };
  return { choice: d.choice.map((c) => ({ value: c.value, weight: c.weight })) };
}

function topology(s: Scenario): ResolvedScenario['topology'] {
  const d = workerGroupDefaults;
  let firstWorker = 0;
  const workerGroups = s.topology.workerGroups.map((g) => {
    const group = {
      name: g.name,
      count: g.count,
      firstWorker,
      atGenesis: g.atGenesis ?? d.atGenesis,
      registerAtBlock: g.atGenesis === true ? 0 : (g.registerAtBlock ?? d.registerAtBlock),
      computing: g.computing ?? d.computing,
      initialScore: g.initialScore === undefined ? ('fromCpuSpeed' as const) : plain(g.initialScore),
      confidenceLevel: plain(g.confidenceLevel ?? d.confidenceLevel),
      cpuSpeedIterationsPerSec: plain(g.cpuSpeedIterationsPerSec ?? d.cpuSpeedIterationsPerSec),
      stakePha: plain(g.stakePha ?? d.stakePha),
    };
    firstWorker += g.count;
    return group;
  });
  const pools = (s.topology.pools ?? []).map((p) => ({
    name: p.name,
    count: p.count ?? 1,
    workerGroup: p.workerGroup,
    workersPerPool: p.workersPerPool,
    // Phala stores the commission as a Permill; rounding here is the one place it happens
    commissionPermill: Math.round((p.commissionPercent ?? 0) * 10_000),
    capPha: p.capPha ?? null,
    stakersPerPool: p.stakers?.perPool ?? 0,
    contributionPha: p.stakers === undefined ? null : plain(p.stakers.contributionPha),
  }));
  const clusters = (s.topology.clusters ?? []).map((c) => ({ name: c.name, workerGroup: c.workerGroup, workers: c.workers, contracts: c.contracts ?? 1, createAtBlock: c.createAtBlock ?? 1 }));
  const g = s.topology.gatekeepers;
  const gatekeepers = { count: g.count, joinAtBlocks: [...(g.joinAtBlocks ?? [])], rotateMasterKeyAtBlocks: [...(g.rotateMasterKeyAtBlocks ?? [])] };
  const totals = {
    workers: firstWorker,
    gatekeepers: g.count + gatekeepers.joinAtBlocks.length,
    pools: pools.reduce((n, p) => n + p.count, 0),
    stakers: pools.reduce((n, p) => n + p.count * p.stakersPerPool, 0),
    contracts: clusters.reduce((n, c) => n + c.contracts, 0),
  };
  return { gatekeepers, workerGroups, pools, clusters, clients: s.topology.clients ?? 0, totals };
}

function faults(s: Scenario, blockTimeMs: number): ResolvedScenario['faults'] {
  const f = s.faults ?? {};
  const n = f.network ?? {};
  const ms = (block: number): number => block * blockTimeMs;
  const cuts = (n.cuts ?? []).map((c) =>
    'isolate' in c
      ? { kind: 'isolate' as const, nodes: [...c.isolate.nodes], fromMs: ms(c.isolate.fromBlock), untilMs: ms(c.isolate.untilBlock) }
      : { kind: 'split' as const, sides: [[...c.split.sides[0]], [...c.split.sides[1]]] as const, fromMs: ms(c.split.fromBlock), untilMs: ms(c.split.untilBlock) },
  );
  const network = {
    ...(n.drop === undefined ? {} : { drop: { ...n.drop } }),
    ...(n.duplicate === undefined ? {} : { duplicate: { ...n.duplicate } }),
    ...(n.reorder === undefined ? {} : { reorder: { ...n.reorder } }),
    ...(n.delay === undefined ? {} : { delay: { ...n.delay } }),
    ...(cuts.length === 0 ? {} : { cuts }),
  };
  const until = (at: number, after: number | undefined): number | null => (after === undefined ? null : at + after);
  return {
    network,
    workerCrashes: (f.workerCrashes ?? []).map((c) => ({ workerGroup: c.workerGroup, count: c.count, atBlock: c.atBlock, untilBlock: until(c.atBlock, c.restartAfterBlocks) })),
    unresponsiveWorkers: (f.unresponsiveWorkers ?? []).map((c) => ({ workerGroup: c.workerGroup, count: c.count, atBlock: c.atBlock, untilBlock: until(c.atBlock, c.forBlocks) })),
    gatekeeperCrashes: (f.gatekeeperCrashes ?? []).map((c) => ({ gatekeeper: c.gatekeeper, atBlock: c.atBlock, rejoinAtBlock: until(c.atBlock, c.rejoinAfterBlocks) })),
    forgedMessagesPerBlock: f.forgedMessagesPerBlock ?? 0,
    replayedMessagesPerBlock: f.replayedMessagesPerBlock ?? 0,
    malformedMessagesPerBlock: f.malformedMessagesPerBlock ?? 0,
  };
}

/**
 * The derived options of a run. `blocks` (the CLI's `--blocks`) replaces `durationBlocks`.
 * Throws RangeError for a seed outside [0, 2^128) or a `blocks` that is not a positive integer:
 * the CLI decodes its flags before calling this, so either is a bug.
 */
export function resolveScenario(s: Scenario, options: RunOptions): ResolvedScenario {
  if (options.seed < 0n || options.seed >= 1n << 128n) throw new RangeError(`seed must be in [0, 2^128), got ${options.seed}`);
  if (options.blocks !== undefined && !(Number.isSafeInteger(options.blocks) && options.blocks >= 1)) {
    throw new RangeError(`blocks must be a positive integer, got ${options.blocks}`);
  }
  const resolvedChain = chain(s);
  const w = s.workload ?? {};
  return {
    name: s.name,
    description: s.description ?? '',
    seed: options.seed,
    durationBlocks: options.blocks ?? s.durationBlocks,
    durationFrom: options.blocks === undefined ? 'scenario' : 'blocksFlag',
    chain: resolvedChain,
    topology: topology(s),
    workload: {
      contributionsPerBlock: w.contributionsPerBlock ?? 0,
      withdrawalsPerBlock: w.withdrawalsPerBlock ?? 0,
      contractCommandsPerBlock: w.contractCommandsPerBlock ?? 0,
      contractQueriesPerBlock: w.contractQueriesPerBlock ?? 0,
    },
    faults: faults(s, resolvedChain.blockTimeMs),
  };
}
