/**
 * `phalanet simulate` with a fake driver (`testing/fakeRunSimulation.ts`), run in-process through
 * the CLI's own error mapping (`runProgram`): every flag, every exit code, the `--out` rules, the
 * files, and that bad input is refused before anything is written.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { isRight } from 'fp-ts/Either';
import type { ReportInput } from '../../../simulations/report/reportHtml';
import { RunSummary, summaryPassed } from '../../../simulations/report/summary';
import { ResolvedScenario } from '../../../simulations/scenario';
import { sqliteEventStore } from '../../store/sqliteEventStore';
import { runProgram } from '../main';
import { type Output, toJson } from '../output';
import { registerSimulate } from './simulate';
import { type FakeDriver, type FakeRunOptions, fakeRunSimulation } from './testing/fakeRunSimulation';

const root = mkdtempSync(join(tmpdir(), 'phalanet-simulate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** a fresh directory for one test */
const fresh = (): string => {
  const dir = join(root, `t${++n}`);
  mkdirSync(dir);
  return dir;
};

/** a report without charts: the summary's verdict, the series length and the inputs */
async function fastReport(input: ReportInput): Promise<string> {
  const verdict = summaryPassed(input.summary) ? 'PASSED' : 'FAILED';
  return `<html>${verdict} ${input.series.length} rows ${input.scenarioText ?? ''} ${Object.keys(input.derivedOptions ?? {}).join(',')}</html>`;
}

const TINY = `name: tiny
durationBlocks: 30
topology:
  gatekeepers: { count: 1 }
  workerGroups:
    - { name: miners, count: 4 }
`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly bar: string;
  readonly driver: FakeDriver;
}

/** Runs `phalanet simulate ...args` in `cwd` with a fake driver; the random seed is 4242. */
async function simulate(args: string[], o: { cwd?: string; fake?: FakeRunOptions; tty?: boolean; charts?: boolean } = {}): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const bar: string[] = [];
  const out: Output = { json: (v) => stdout.push(`${toJson(v, 2)}\n`), text: (l) => stdout.push(`${l}\n`), info: (l) => stderr.push(`${l}\n`) };
  const program = new Command('phalanet')
    .exitOverride()
    .configureOutput({ writeErr: (s) => stderr.push(s), writeOut: (s) => stdout.push(s), outputError: (s, write) => write(s.replace(/^error: /, 'phalanet: ')) });
  const driver = fakeRunSimulation(o.fake);
  let t = 0;
  const cwd = o.cwd ?? fresh();
  registerSimulate(program, {
    runSimulation: driver.run,
    out,
    stderr: { write: (s: string) => bar.push(s), isTTY: o.tty === true },
    randomSeed: () => 4242,
    now: () => (t += 10),
    cwd: () => cwd,
    // the real charts (a vega child process, ~2 s) only where a test looks at them
    ...(o.charts === true ? {} : { renderReport: fastReport }),
  });
  const code = await runProgram(program, ['node', 'phalanet', 'simulate', ...args], { writeErr: (s) => stderr.push(s) });
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), bar: bar.join(''), driver };
}

const tinyFile = (dir: string, text = TINY): string => {
  const path = join(dir, 'tiny.yaml');
  writeFileSync(path, text);
  return path;
};

/** exit 2, one line on stderr, nothing on stdout, the driver never called */
function expectRefused(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.driver.calls).toHaveLength(0);
}

describe('phalanet simulate (fake driver)', () => {
  it('a built-in scenario with --seed, --out and --json: exit 0, one RunSummary on stdout, every file written', async () => {
    const out = join(fresh(), 'run');
    const r = await simulate(['quickstart', '--seed', '7', '--out', out, '--json'], { charts: true });
    expect(r.code).toBe(0);
    const decoded = RunSummary.decode(JSON.parse(r.stdout));
    expect(isRight(decoded)).toBe(true);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ seed: 7, scenario: 'quickstart', blocks: 120, store: `sqlite:${join(out, 'ledger.db')}` });
    expect(summary.checks).toEqual([
      { name: 'no double payout', passed: true },
      { name: 'PHA issuance constant', passed: true },
      { name: 'emission audit', passed: true },
    ]);
    expect(summary.events).toBeGreaterThan(0);
    expect(readdirSync(out).sort()).toEqual(['ledger.db', 'report.html', 'scenario.resolved.json', 'series.csv', 'summary.json']);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(r.stdout);
    expect(readFileSync(join(out, 'series.csv'), 'utf8').trimEnd().split('\r\n')).toHaveLength(121);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Derived options');
    expect(html).toContain('every feature once'); // the scenario text
    const resolved = ResolvedScenario.decode(JSON.parse(readFileSync(join(out, 'scenario.resolved.json'), 'utf8')));
    expect(isRight(resolved) && resolved.right.seed === 7n && resolved.right.durationBlocks === 120).toBe(true);
    // the driver got the resolved scenario and the empty store the ledger goes to
    expect(r.driver.calls[0]?.scenario).toMatchObject({ name: 'quickstart', seed: 7n, durationBlocks: 120 });
    const ledger = sqliteEventStore(join(out, 'ledger.db'), { create: false });
    expect(await ledger.streamVersion('chain')).toBe(120);
    await ledger.close();
  }, 30_000);

  it('prints the seed and every derived option first, on stderr', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', '12', '--out', join(dir, 'out'), '--quiet']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('simulate: seed 12 (--seed)');
    expect(lines[1]).toBe(`simulate: scenario ${join(dir, 'tiny.yaml')} (${join(dir, 'tiny.yaml')})`);
    expect(lines.slice(2).map((l) => l.split(' ')[1])).toEqual(['name', 'blocks', 'out', 'store', 'chain', 'topology', 'workload', 'faults']);
    expect(r.stderr).toMatch(/^simulate: chain \{"blockTimeMs":12000,/m);
    expect(r.stderr).toMatch(/^simulate: blocks 30 \(durationBlocks of the scenario\)$/m);
    expect(r.stdout).toMatch(/^PASSED: scenario .*tiny\.yaml, seed 12, 30 blocks/);
  }, 30_000);

  it('without --seed and --out: a random seed, printed with how to repeat it; out is runs/<scenario>-<seed>', async () => {
    const cwd = fresh();
    const r = await simulate(['quickstart', '--blocks', '5', '--json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('simulate: seed 4242 (random; repeat with --seed 4242)');
    expect(JSON.parse(r.stdout)).toMatchObject({ seed: 4242, blocks: 5, store: `sqlite:${join(cwd, 'runs', 'quickstart-4242', 'ledger.db')}` });
    expect(existsSync(join(cwd, 'runs', 'quickstart-4242', 'summary.json'))).toBe(true);
    // a file's base name names the directory
    const file = tinyFile(cwd);
    const r2 = await simulate([file, '--seed', '3'], { cwd });
    expect(r2.code).toBe(0);
    expect(existsSync(join(cwd, 'runs', 'tiny-3', 'report.html'))).toBe(true);
  }, 30_000);

  it('--blocks replaces durationBlocks', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', '1', '--blocks', '9', '--out', join(dir, 'o'), '--json']);
    expect(r.code).toBe(0);
    expect(r.driver.calls[0]?.scenario.durationBlocks).toBe(9);
    expect(r.driver.calls[0]?.scenario.durationFrom).toBe('blocksFlag');
    expect(JSON.parse(r.stdout).blocks).toBe(9);
    expect(r.stderr).toMatch(/^simulate: blocks 9 \(--blocks\)$/m);
  }, 30_000);

  it('--store URL puts the ledger there and the summary names it', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', '1', '--store', 'memory:', '--out', join(dir, 'o'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).store).toBe('memory:');
    expect(existsSync(join(dir, 'o', 'ledger.db'))).toBe(false);
    const r2 = await simulate([tinyFile(dir), '--seed', '1', '--store', 'sqlite:elsewhere.db', '--out', join(dir, 'o2'), '--json'], { cwd: dir });
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).store).toBe(`sqlite:${join(dir, 'elsewhere.db')}`);
  }, 30_000);

  it('a store that already holds a ledger is refused before --out is created', async () => {
    const dir = fresh();
    const s = sqliteEventStore(join(dir, 'used.db'));
    await s.append('chain', [{ type: 'Genesis', schemaVersion: 1, data: new Uint8Array([1]) }], 'no-stream');
    await s.close();
    const r = await simulate([tinyFile(dir), '--seed', '1', '--store', `sqlite:${join(dir, 'used.db')}`, '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/phalanet: simulate: store sqlite:.*used\.db already holds 1 events; .*choose an empty --store/);
    expect(r.driver.calls).toHaveLength(0);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });

  it('a non-empty --out is refused; --force replaces a previous run and only that', async () => {
    const dir = fresh();
    const out = join(dir, 'o');
    const file = tinyFile(dir);
    expect((await simulate([file, '--seed', '1', '--out', out])).code).toBe(0);
    const before = readFileSync(join(out, 'summary.json'), 'utf8');
    const again = await simulate([file, '--seed', '2', '--out', out]);
    expectRefused(again, /phalanet: simulate: --out .* is not empty .*; choose another --out or pass --force/);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(before);
    writeFileSync(join(out, 'summary.json.tmp-99'), '{"half'); // a crashed write's leftover
    const forced = await simulate([file, '--seed', '2', '--out', out, '--force', '--json']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).seed).toBe(2);
    expect(readdirSync(out).sort()).toEqual(['ledger.db', 'report.html', 'scenario.resolved.json', 'series.csv', 'summary.json']);
    // anything a run does not write stops --force, and nothing is removed
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const foreign = await simulate([file, '--seed', '3', '--out', out, '--force']);
    expectRefused(foreign, /holds notes\.txt, which no run writes; --force replaces only a previous run's files/);
    expect(readdirSync(out)).toContain('summary.json');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
  }, 30_000);

  it('--out naming a file is refused', async () => {
    const dir = fresh();
    writeFileSync(join(dir, 'f'), 'x');
    expectRefused(await simulate([tinyFile(dir), '--seed', '1', '--out', join(dir, 'f')]), /--out .*f is a file, not a directory/);
  });

  it('a failed check: exit 1 naming the check and its block; every file is still written', async () => {
    const dir = fresh();
    const out = join(dir, 'o');
    const r = await simulate([tinyFile(dir), '--seed', '1', '--out', out, '--json'], { fake: { failCheck: { name: 'emission audit', block: 17, detail: 'paid 5 PHA over the budget' } } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^phalanet: simulate: check emission audit failed at block 17: paid 5 PHA over the budget; see .*report\.html$/m);
    const summary = JSON.parse(r.stdout);
    expect(summary.checks[2]).toEqual({ name: 'emission audit', passed: false, block: 17, detail: 'paid 5 PHA over the budget' });
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(r.stdout);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/^<html>FAILED 30 rows name: tiny/);
  }, 30_000);

  it('a run that reports no checks verified nothing: exit 1', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', '1', '--out', join(dir, 'o')], { fake: { noChecks: true } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the run reported no invariant checks/);
  }, 30_000);

  it('a crash mid-run: exit 1 naming the block; no summary.json and no temporary file', async () => {
    const dir = fresh();
    const out = join(dir, 'o');
    const r = await simulate([tinyFile(dir), '--seed', '1', '--out', out, '--json'], { fake: { crashAfterBlock: 5 } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^phalanet: simulate: the run stopped after block 5: fake driver crashed on purpose$/m);
    expect(readdirSync(out).sort()).toEqual(['ledger.db', 'scenario.resolved.json', 'series.csv']);
    // the rows produced before the crash are kept for the post-mortem
    expect(readFileSync(join(out, 'series.csv'), 'utf8').trimEnd().split('\r\n')).toHaveLength(6);
  });

  it('a typo in a scenario key: exit 2 naming the key path, and nothing is written', async () => {
    const dir = fresh();
    const file = tinyFile(dir, TINY.replace('count: 4', 'cuont: 4'));
    const r = await simulate([file, '--seed', '1', '--out', join(dir, 'o'), '--store', `sqlite:${join(dir, 'l.db')}`]);
    expectRefused(r, /tiny\.yaml: topology\.workerGroups\[0\]\.cuont: unknown key "cuont" \(did you mean "count"\?\)/);
    expect(readdirSync(dir)).toEqual(['tiny.yaml']);
  });

  it.each(['-1', String(2 ** 53), '1.5', 'abc', '', '1e3', '0x10'])('--seed %p is refused: exit 2, nothing written', async (seed) => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), `--seed=${seed}`, '--out', join(dir, 'o')]);
    expectRefused(r, /phalanet: simulate: --seed must be a non-negative integer below 2\^53/);
    expect(readdirSync(dir)).toEqual(['tiny.yaml']);
  });

  it('--seed -1 as a separate argument is refused too', async () => {
    const dir = fresh();
    expectRefused(await simulate([tinyFile(dir), '--seed', '-1', '--out', join(dir, 'o')]), /--seed must be a non-negative integer below 2\^53 \(9007199254740992\), got "-1"/);
    expect(readdirSync(dir)).toEqual(['tiny.yaml']);
  });

  it('the largest seed, 2^53 - 1, is accepted', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', String(2 ** 53 - 1), '--blocks', '2', '--out', join(dir, 'o'), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).seed).toBe(2 ** 53 - 1);
  }, 30_000);

  it.each([
    ['--blocks 0', ['--blocks', '0'], /--blocks must be a positive integer, got "0"/],
    ['--blocks ten', ['--blocks', 'ten'], /--blocks must be a positive integer/],
    ['a bad store URL', ['--store', 'ftp://x'], /--store: .*ftp:\/\/x/],
    ['an unknown flag', ['--sede', '1'], /unknown option '--sede'/],
  ])('%s: exit 2', async (_, args, pattern) => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), ...args, '--out', join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.driver.calls).toHaveLength(0);
    expect(readdirSync(dir)).toEqual(['tiny.yaml']);
  });

  it('an unknown built-in name or a missing file: exit 2', async () => {
    expectRefused(await simulate(['quikstart', '--seed', '1']), /unknown scenario "quikstart" \(did you mean "quickstart"\?\)/);
    expectRefused(await simulate(['nowhere/x.yaml', '--seed', '1']), /cannot read scenario file nowhere\/x\.yaml: no such file/);
  });

  it('progress without a terminal: a plain line every 5 % and the notes', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', '1', '--blocks', '40', '--out', join(dir, 'o')]);
    expect(r.code).toBe(0);
    const progress = r.stderr.split('\n').filter((l) => /^simulate: block \d+\/40/.test(l));
    expect(progress).toHaveLength(20);
    expect(progress[0]).toMatch(/^simulate: block 2\/40 \(5%\), [\d.]+ s elapsed, about [\d.]+ s left$/);
    expect(progress[19]).toMatch(/^simulate: block 40\/40 \(100%\), [\d.]+ s elapsed, about 0\.0 s left$/);
    expect(r.stderr).toMatch(/^simulate: block 1: 1 gatekeeper\(s\) started$/m);
    expect(r.bar).toBe('');
  }, 30_000);

  it('progress on a terminal: a bar with ETA', async () => {
    const dir = fresh();
    const r = await simulate([tinyFile(dir), '--seed', '1', '--out', join(dir, 'o')], { tty: true });
    expect(r.code).toBe(0);
    expect(r.bar).toMatch(/simulate \[.*\] block 30\/30 \| 100% \| ETA/);
    expect(r.stderr).not.toMatch(/^simulate: block \d+\//m);
  }, 30_000);

  it('--quiet: no progress and no notes, on a terminal or not', async () => {
    const dir = fresh();
    for (const tty of [false, true]) {
      const r = await simulate([tinyFile(dir), '--seed', '1', '--out', join(dir, `o${tty}`), '--quiet'], { tty });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/^simulate: block \d/m);
      expect(r.stderr).not.toMatch(/wrote/);
      expect(r.bar).toBe('');
    }
  }, 30_000);
});
