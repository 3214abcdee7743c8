/**
 * What `phalanet simulate` prints and writes around a run: the derived options (printed first on
 * stderr, shown again in the report), the `RunSummary` built from the driver's result, and the
 * files in `--out`. `summary.json` is written last, atomically: its presence means the run ended.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/Either';
import { formatPha } from '../../../simulations/report/pha';
import type { ReportInput } from '../../../simulations/report/reportHtml';
import { readSeries } from '../../../simulations/report/seriesReader';
import { RunSummary, summaryJson } from '../../../simulations/report/summary';
import type { SimulationResult } from '../../../simulations/run/api';
import { ResolvedScenario } from '../../../simulations/scenario';
import { toJson } from '../output';
import type { SimulateFlags } from './simulateFlags';
import { OUT_FILES, writeFileAtomic } from './simulateOut';

/** Every option the run derived, in the order it is printed: the command line's, then the scenario's. */
export function derivedOptions(flags: SimulateFlags, resolved: ResolvedScenario, scenarioArg: string, scenarioFile: string, storeShown: string): Record<string, unknown> {
  const encoded = ResolvedScenario.encode(resolved);
  return {
    seed: `${flags.seed} (${flags.seedFrom === 'flag' ? '--seed' : `random; repeat with --seed ${flags.seed}`})`,
    scenario: `${scenarioArg} (${scenarioFile})`,
    name: encoded.name,
    blocks: `${encoded.durationBlocks} (${encoded.durationFrom === 'blocksFlag' ? '--blocks' : 'durationBlocks of the scenario'})`,
    out: flags.out,
    store: storeShown,
    chain: encoded.chain,
    topology: encoded.topology,
    workload: encoded.workload,
    faults: encoded.faults,
  };
}

/** The derived options as stderr lines, one per key, values as compact JSON. */
export function derivedOptionLines(options: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(options).map(([key, value]) => `simulate: ${key} ${typeof value === 'string' ? value : toJson(value)}`);
}

/** What the command adds to the driver's result. */
export interface SummaryContext {
  readonly seed: number;
  /** the scenario argument as given */
  readonly scenario: string;
  /** the store's resolved URL (no password) */
  readonly store: string;
  readonly durationMs: number;
}

/**
 * The summary of a run, checked with the `RunSummary` codec: a result the contract does not allow
 * (a short hash, a negative count) is the driver's bug and throws.
 */
export function runSummary(result: SimulationResult, context: SummaryContext): RunSummary {
  const candidate: unknown = {
    seed: context.seed,
    scenario: context.scenario,
    blocks: result.head.number,
    events: result.events,
    store: context.store,
    head: { number: result.head.number, hash: result.head.hash, stateRoot: result.head.stateRoot },
    workers: { ...result.workers },
    rewards: { payout: formatPha(result.rewards.payout), treasury: formatPha(result.rewards.treasury) },
    checks: result.checks.map((c) => ({ ...c })),
    durationMs: Math.round(context.durationMs),
  };
  const decoded = RunSummary.decode(candidate);
  if (isLeft(decoded)) {
    const where = decoded.left.map((e) => e.context.map((c) => c.key).filter((k) => k !== '').join('.') || 'summary');
    throw new Error(`simulate: the simulation returned a result that breaks the summary contract at ${[...new Set(where)].join(', ')}`);
  }
  return decoded.right;
}

/** `scenario.resolved.json`: the resolved scenario's JSON form (bigints as decimal strings). */
export function writeResolvedScenario(outPath: string, resolved: ResolvedScenario): void {
  writeFileAtomic(join(outPath, OUT_FILES.resolvedScenario), `${JSON.stringify(ResolvedScenario.encode(resolved), null, 2)}\n`);
}

/** `report.html` (from the series as written, read back) and then `summary.json`. */
export async function writeRunReport(
  outPath: string,
  summary: RunSummary,
  inputs: { readonly scenarioText: string; readonly derivedOptions: Readonly<Record<string, unknown>> },
  render: (input: ReportInput) => Promise<string>,
): Promise<void> {
  const series = readSeries(readFileSync(join(outPath, OUT_FILES.series), 'utf8'));
  const html = await render({ summary, series, scenarioText: inputs.scenarioText, derivedOptions: inputs.derivedOptions });
  writeFileAtomic(join(outPath, OUT_FILES.report), html);
  writeFileAtomic(join(outPath, OUT_FILES.summary), summaryJson(summary));
}
