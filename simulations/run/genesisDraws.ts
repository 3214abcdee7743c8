/**
 * The values of a run's genesis that come from distributions: per genesis worker its CPU speed,
 * benchmark score, confidence level and stake; per staker its contribution. Each kind has its own
 * forked stream, drawn in a fixed order (workers by global index, then stakers by pool set, pool
 * and position), so adding a staker never shifts a worker's draws. The driver reuses the worker
 * draws for the simulated CPUs, so the enclaves compute at the speed their score was taken from.
 */
import type { NumberDistribution } from '../scenario/distribution.codec';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import type { Random } from '../../domain/ports/random';

/** Phala's score cap (`registry.rs`: a benchmark score is at most 6000). */
const MAX_SCORE = 6000;

/** What one genesis worker drew. */
export interface GenesisWorkerDraw {
  readonly globalIndex: number;
  readonly group: string;
  readonly cpuSpeedIterationsPerSec: number;
  readonly initialScore: number;
  readonly confidenceLevel: number;
  /** PHA, before the clamp to what the pallet accepts */
  readonly stakePha: number;
}

/** One draw from a distribution (normal: Box–Muller, clamped to [min, max] when given). */
export function drawFrom(d: NumberDistribution, random: Random): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform.min + random.nextFloat() * (d.uniform.max - d.uniform.min);
  if ('normal' in d) {
    const u1 = 1 - random.nextFloat(); // (0, 1]: log(0) would be -Infinity
    const u2 = random.nextFloat();
    const x = d.normal.mean + d.normal.sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    return Math.min(d.normal.max ?? Number.POSITIVE_INFINITY, Math.max(d.normal.min ?? Number.NEGATIVE_INFINITY, x));
  }
  const total = d.choice.reduce((sum, c) => sum + c.weight, 0);
  let pick = random.nextFloat() * total;
  for (const c of d.choice) {
    if (pick < c.weight) return c.value;
    pick -= c.weight;
  }
  // float rounding left `pick` at the very end: the last choice with weight
  return [...d.choice].reverse().find((c) => c.weight > 0)!.value;
}

/** The score a worker of this speed reports: `floor(iterations per second) × 6`, capped at 6000. */
export const scoreFromCpuSpeed = (iterationsPerSec: number): number => Math.min(MAX_SCORE, Math.floor(iterationsPerSec) * 6);

/** Draws every genesis worker (groups with `atGenesis`), by global index. */
export function drawGenesisWorkers(scenario: ResolvedScenario, random: Random): GenesisWorkerDraw[] {
  const r = random.fork('genesis-workers');
  const out: GenesisWorkerDraw[] = [];
  for (const g of scenario.topology.workerGroups) {
    if (!g.atGenesis) continue;
    for (let k = 0; k < g.count; k++) {
      const cpu = drawFrom(g.cpuSpeedIterationsPerSec, r);
      const score = g.initialScore === 'fromCpuSpeed' ? scoreFromCpuSpeed(cpu) : Math.max(0, Math.min(MAX_SCORE, Math.round(drawFrom(g.initialScore, r))));
      const confidenceLevel = drawFrom(g.confidenceLevel, r);
      const stakePha = drawFrom(g.stakePha, r);
      out.push({ globalIndex: g.firstWorker + k, group: g.name, cpuSpeedIterationsPerSec: cpu, initialScore: score, confidenceLevel, stakePha });
    }
  }
  return out;
}

/** Each pool set's stakers' contributions in PHA: `[pool][staker]`, for every pool set in order. */
export function drawContributions(scenario: ResolvedScenario, random: Random): number[][][] {
  const r = random.fork('genesis-stakers');
  return scenario.topology.pools.map((p) =>
    Array.from({ length: p.count }, () => Array.from({ length: p.stakersPerPool }, () => (p.contributionPha === null ? 0 : Math.max(0, drawFrom(p.contributionPha, r))))),
  );
}
