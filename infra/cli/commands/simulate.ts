/**
 * `phalanet simulate <scenario> [--seed N] [--blocks N] [--store URL] [--out DIR] [--force]
 * [--json] [--quiet]` (issue 6 §4): runs a built-in or YAML scenario with the injected simulation
 * driver and writes `summary.json`, `series.csv`, `report.html` and `scenario.resolved.json` in
 * `--out`. Every input is checked before anything is written (exit 2); exit 1 when an invariant
 * check failed (naming it and its block) or the run crashed; exit 0 when every check passed.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { isLeft } from 'fp-ts/Either';
import { type ReportInput, renderReport } from '../../../simulations/report/reportHtml';
import { createSeriesWriter } from '../../../simulations/report/series';
import { formatSummary, RunSummary, summaryPassed } from '../../../simulations/report/summary';
import type { RunSimulation, SimulationResult } from '../../../simulations/run/api';
import { loadScenario, type ResolvedScenario, resolveScenario, resolveScenarioRef } from '../../../simulations/scenario';
import { type InspectableEventStore, openEventStore } from '../../store';
import { oneLine, ProblemError, UsageError } from '../errors';
import { type Output, processOutput } from '../output';
import { decodeSimulateFlags, osRandomSeed, type RawSimulateFlags, type SimulateFlags } from './simulateFlags';
import { checkOutDir, errnoCode, fileSink, OUT_FILES, prepareOutDir } from './simulateOut';
import { createProgress, type ProgressStream } from './simulateProgress';
import { derivedOptionLines, derivedOptions, runSummary, writeResolvedScenario, writeRunReport } from './simulateReport';
import { startVerifyPool } from '../../crypto/verifyPool';

/** What `simulate` is given by the composition root (main.ts) or a test. */
export interface SimulateDeps {
  /** the simulation driver (`simulations/run/runSimulation.ts` in the CLI, a fake in tests) */
  readonly runSimulation: RunSimulation;
  readonly out?: Output;
  /** where the progress bar is drawn (default stderr) */
  readonly stderr?: ProgressStream;
  /** a seed when `--seed` is absent (default: 53 bits from the OS) */
  readonly randomSeed?: () => number;
  /** monotonic milliseconds (default `performance.now`) */
  readonly now?: () => number;
  /** the directory relative paths resolve against (default `process.cwd()`) */
  readonly cwd?: () => string;
  /** `report.html` from the summary and series (default `renderReport`, vega-lite charts) */
  readonly renderReport?: (input: ReportInput) => Promise<string>;
}

/** A scenario read and decoded, before any run option is applied. */
export interface ScenarioInput {
  readonly file: string;
  readonly text: string;
  readonly scenario: Parameters<typeof resolveScenario>[0];
}

/** Reads and decodes a scenario argument (a built-in name or a path); `command` prefixes the errors. */
export function readScenario(arg: string, cwd: string, command = 'simulate'): ScenarioInput {
  const ref = resolveScenarioRef(arg);
  if (isLeft(ref)) throw new UsageError(`${command}: ${ref.left}`);
  const file = ref.right.kind === 'builtIn' ? ref.right.path : resolve(cwd, ref.right.path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : oneLine(error);
    throw new UsageError(`${command}: cannot read scenario file ${arg}: ${why}; give a built-in name or the path of a .yaml file`);
  }
  const source = ref.right.kind === 'builtIn' ? `${ref.right.name}.yaml` : arg;
  const decoded = loadScenario(text, source);
  if (isLeft(decoded)) {
    const shown = decoded.left.slice(0, 5).map((e) => e.text);
    const more = decoded.left.length > 5 ? `; and ${decoded.left.length - 5} more problems` : '';
    throw new UsageError(`${shown.join('; ')}${more}`);
  }
  return { file, text, scenario: decoded.right };
}

/** True when the store is a SQLite file inside `--out` (so it is opened after `--out` is prepared). */
function storeInsideOut(flags: SimulateFlags): boolean {
  if (flags.storeUrl.kind !== 'sqlite') return false;
  const rel = relative(flags.outPath, flags.storeUrl.path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Opens the store and insists it is empty: a run writes a new ledger from block 0. */
async function openEmptyStore(flags: SimulateFlags): Promise<InspectableEventStore> {
  // a relative SQLite path was resolved against the command's directory already
  const url = flags.storeUrl.kind === 'sqlite' ? `sqlite:${flags.storeUrl.path}` : flags.store;
  const store = await openEventStore(url, { create: true });
  const { events } = await store.stats();
  if (events > 0) {
    await store.close();
    throw new UsageError(`simulate: store ${store.url} already holds ${events} events; a run writes a new ledger: choose an empty --store`);
  }
  return store;
}

/** Runs the driver; a crash becomes one line naming the block it happened after. */
async function drive(deps: Required<SimulateDeps>, flags: SimulateFlags, resolved: ResolvedScenario, store: InspectableEventStore): Promise<SimulationResult> {
  const writer = createSeriesWriter(fileSink(join(flags.outPath, OUT_FILES.series)));
  const progress = createProgress({ quiet: flags.quiet, stream: deps.stderr, out: deps.out, now: deps.now });
  let lastBlock = 0;
  try {
    return await deps.runSimulation({
      scenario: resolved,
      store,
      onSeriesRow: (row) => writer.append(row),
      onProgress: (p) => {
        lastBlock = p.block;
        progress.progress(p);
      },
      onNote: (block, line) => progress.note(block, line),
    });
  } catch (error) {
    const wrapped = new Error(`simulate: the run stopped after block ${lastBlock}: ${oneLine(error)}`, { cause: error });
    if (error instanceof Error && error.stack !== undefined) wrapped.stack = `${wrapped.message}\n${error.stack}`;
    throw wrapped;
  } finally {
    progress.stop();
    writer.close();
  }
}

/** The command's work; throws `UsageError` (exit 2) or `ProblemError` (exit 1). */
export async function simulate(scenarioArg: string, raw: RawSimulateFlags, deps: Required<SimulateDeps>): Promise<void> {
  const cwd = deps.cwd();
  const flags = decodeSimulateFlags(scenarioArg, raw, deps.randomSeed, cwd);
  const input = readScenario(scenarioArg, cwd);
  const resolved = resolveScenario(input.scenario, { seed: BigInt(flags.seed), ...(flags.blocks === undefined ? {} : { blocks: flags.blocks }) });
  const previousRun = checkOutDir(flags.outPath, flags.out, flags.force);
  const options = derivedOptions(flags, resolved, scenarioArg, input.file, flags.storeUrl.display);
  for (const line of derivedOptionLines(options)) deps.out.info(line);

  const inside = storeInsideOut(flags);
  let store = inside ? undefined : await openEmptyStore(flags);
  let result: SimulationResult;
  const started = deps.now();
  try {
    prepareOutDir(flags.outPath, previousRun);
    store ??= await openEmptyStore(flags);
    writeResolvedScenario(flags.outPath, resolved);
    const pool = await startVerifyPool(flags.verifyThreads);
    try {
      result = await drive(deps, flags, resolved, store);
    } finally {
      await pool.close();
    }
  } finally {
    await store?.close();
  }
  const summary = runSummary(result, { seed: flags.seed, scenario: scenarioArg, store: flags.storeUrl.display, durationMs: deps.now() - started });
  await writeRunReport(flags.outPath, summary, { scenarioText: input.text, derivedOptions: options }, deps.renderReport);
  if (flags.json) deps.out.json(RunSummary.encode(summary));
  else deps.out.text(formatSummary(summary).trimEnd());
  if (!flags.quiet) deps.out.info(`simulate: wrote ${Object.values(OUT_FILES).filter((f) => f !== OUT_FILES.ledger || inside).join(', ')} in ${flags.out}`);
  verdict(summary, flags.out);
}

/** Exit 1 unless every check passed, naming the first failed check and its block. */
function verdict(summary: RunSummary, out: string): void {
  if (summaryPassed(summary)) return;
  const failed = summary.checks.filter((c) => !c.passed);
  const first = failed[0];
  if (first === undefined) throw new ProblemError(`simulate: the run reported no invariant checks, so nothing was verified; see ${join(out, OUT_FILES.report)}`);
  const at = first.block === undefined ? '' : ` at block ${first.block}`;
  const detail = first.detail === undefined ? '' : `: ${first.detail}`;
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more failed check${failed.length > 2 ? 's' : ''})` : '';
  throw new ProblemError(`simulate: check ${first.name} failed${at}${detail}${more}; see ${join(out, OUT_FILES.report)}`);
}

/** Registers `simulate` with its driver. */
export function registerSimulate(program: Command, deps: SimulateDeps): void {
  const full: Required<SimulateDeps> = {
    runSimulation: deps.runSimulation,
    out: deps.out ?? processOutput(),
    stderr: deps.stderr ?? process.stderr,
    randomSeed: deps.randomSeed ?? osRandomSeed,
    now: deps.now ?? (() => performance.now()),
    cwd: deps.cwd ?? (() => process.cwd()),
    renderReport: deps.renderReport ?? renderReport,
  };
  program
    .command('simulate')
    .description('run a scenario (built-in name or YAML file) with a seed; write the ledger, summary.json, series.csv and report.html')
    .argument('<scenario>', 'a built-in scenario (quickstart, khala-day, gatekeeper-rotation, worker-churn, byzantine) or a .yaml file')
    .option('--seed <n>', 'the seed, a non-negative integer below 2^53 (default: random, printed first)')
    .option('--blocks <n>', "blocks to produce (replaces the scenario's durationBlocks)")
    .option('--store <url>', 'store URL for the ledger (default sqlite:<out>/ledger.db); must be empty')
    .option('--out <dir>', 'directory for the run files (default runs/<scenario>-<seed>); must be absent or empty')
    .option('--force', "replace a previous run's files in --out (nothing else there is touched)")
    .option('--json', 'print the run summary as one JSON object on stdout')
    .option('--quiet', 'no progress and no notes on stderr')
    .option('--verify-threads <n>', 'worker threads that verify signatures ahead of the chain, 0 to 64 (default: the other cores, at most 3; 0: all on this thread); the ledger is the same either way')
    .action(async (scenarioArg: string, raw: RawSimulateFlags) => simulate(scenarioArg, raw, full));
}
