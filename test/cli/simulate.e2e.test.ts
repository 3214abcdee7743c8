/**
 * `phalanet simulate` as a user runs it: the compiled bin with the real simulation driver
 * (`simulations/run/runSimulation.ts`). Bad input is refused with exit 2 before anything is
 * written whatever the driver; the runs themselves need the real driver.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRight } from 'fp-ts/Either';
import { RunSummary } from '../../simulations/report/summary';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-simulate-e2e-'));
let n = 0;
/** a fresh working directory for one case */
const fresh = (): string => {
  const d = join(dir, `c${++n}`);
  mkdirSync(d);
  return d;
};
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, 'simulate', ...args], { encoding: 'utf8', cwd, timeout: 120_000 });

const withDriver = it;

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'simulate.js'))) {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TINY = `name: tiny
durationBlocks: 20
topology:
  gatekeepers: { count: 1 }
  workerGroups:
    - { name: miners, count: 4 }
`;

/** exit 2, one line on stderr after the header, nothing on stdout, nothing written in `cwd` but `keep` */
function expectRefused(r: ReturnType<typeof run>, pattern: RegExp, cwd: string, keep: string[] = []): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('phalanet:'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(pattern);
  expect(readdirSync(cwd).sort()).toEqual(keep.sort());
}

/** the summary on stdout, checked with the codec */
function summaryOf(stdout: string): RunSummary {
  const decoded = RunSummary.decode(JSON.parse(stdout));
  if (!isRight(decoded)) throw new Error(`stdout is not a RunSummary: ${stdout.slice(0, 200)}`);
  return decoded.right;
}

describe('phalanet simulate: bad input (any driver)', () => {
  it('is listed by --help, and its own --help names every flag', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toMatch(/simulate \[options\] <scenario>/);
    const own = run(['--help'], fresh());
    expect(own.status).toBe(0);
    for (const flag of ['--seed', '--blocks', '--store', '--out', '--force', '--json', '--quiet']) expect(own.stdout).toContain(flag);
  });

  it('a typo in a scenario key: exit 2 naming the key path, nothing written', () => {
    const cwd = fresh();
    writeFileSync(join(cwd, 'tiny.yaml'), TINY.replace('count: 4', 'cuont: 4'));
    const r = run(['tiny.yaml', '--seed', '1', '--store', 'sqlite:ledger.db'], cwd);
    expectRefused(r, /^phalanet: tiny\.yaml: topology\.workerGroups\[0\]\.cuont: unknown key "cuont" \(did you mean "count"\?\)/, cwd, ['tiny.yaml']);
  });

  it.each(['-1', String(2 ** 53), '1.5', 'abc'])('--seed %s: exit 2, nothing written', (seed) => {
    const cwd = fresh();
    expectRefused(run(['quickstart', '--seed', seed], cwd), /^phalanet: simulate: --seed must be a non-negative integer below 2\^53/, cwd);
  });

  it('an unknown built-in scenario: exit 2 with the list', () => {
    const cwd = fresh();
    expectRefused(run(['quikstart'], cwd), /unknown scenario "quikstart" \(did you mean "quickstart"\?\); built-in scenarios: quickstart, khala-day/, cwd);
  });

  it('a non-empty --out: exit 2, and its files are untouched', () => {
    const cwd = fresh();
    mkdirSync(join(cwd, 'out'));
    writeFileSync(join(cwd, 'out', 'notes.txt'), 'mine');
    expectRefused(run(['quickstart', '--seed', '1', '--out', 'out'], cwd), /--out out is not empty/, cwd, ['out']);
    expectRefused(run(['quickstart', '--seed', '1', '--out', 'out', '--force'], cwd), /holds notes\.txt, which no run writes/, cwd, ['out']);
    expect(readdirSync(join(cwd, 'out'))).toEqual(['notes.txt']);
  });
});

describe('phalanet simulate: runs (real driver)', () => {
  withDriver(
    'quickstart --json: exit 0, one RunSummary with every check passed, and every file in runs/quickstart-<seed>',
    () => {
      const cwd = fresh();
      const r = run(['quickstart', '--seed', '1', '--json'], cwd);
      expect(r.stderr.split('\n')[0]).toBe('simulate: seed 1 (--seed)');
      expect(r.status).toBe(0);
      const s = summaryOf(r.stdout);
      expect(s).toMatchObject({ seed: 1, scenario: 'quickstart', blocks: 120 });
      expect(s.head.number).toBe(120);
      expect(s.checks.length).toBeGreaterThan(0);
      expect(s.checks.filter((c) => !c.passed)).toEqual([]);
      const out = join(cwd, 'runs', 'quickstart-1');
      expect(s.store).toBe(`sqlite:${join(out, 'ledger.db')}`);
      expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(r.stdout);
      expect(readFileSync(join(out, 'series.csv'), 'utf8').trimEnd().split('\r\n').length).toBeGreaterThanOrEqual(121);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('<svg');
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
      expect(existsSync(join(out, 'scenario.resolved.json'))).toBe(true);
      // the ledger it wrote replays to the same head
      const replay = spawnSync(process.execPath, [bin, 'replay', '--store', s.store, '--verify', '--json'], { encoding: 'utf8', cwd, timeout: 120_000 });
      expect(replay.status).toBe(0);
      expect(JSON.parse(replay.stdout).head.hash).toBe(s.head.hash);
    },
    180_000,
  );

  withDriver(
    'the same seed twice gives the same head hash; another seed a different one',
    () => {
      const cwd = fresh();
      const head = (seed: string, out: string) => {
        const r = run(['quickstart', '--seed', seed, '--blocks', '30', '--out', out, '--json', '--quiet'], cwd);
        expect(r.status).toBe(0);
        return summaryOf(r.stdout).head.hash;
      };
      const a = head('42', 'a');
      expect(head('42', 'b')).toBe(a);
      expect(head('43', 'c')).not.toBe(a);
    },
    180_000,
  );

  withDriver(
    '--force replaces a previous run; --store memory: keeps no ledger file; plain progress lines without a terminal, none with --quiet',
    () => {
      const cwd = fresh();
      const first = run(['quickstart', '--seed', '5', '--blocks', '20', '--out', 'o'], cwd);
      expect(first.status).toBe(0);
      expect(first.stderr).toMatch(/^simulate: block 20\/20 \(100%\)/m);
      expect(first.stdout).toMatch(/^PASSED: scenario quickstart, seed 5, 20 blocks/);
      const again = run(['quickstart', '--seed', '5', '--blocks', '20', '--out', 'o', '--force', '--quiet', '--store', 'memory:', '--json'], cwd);
      expect(again.status).toBe(0);
      expect(again.stderr).not.toMatch(/^simulate: block \d/m);
      expect(summaryOf(again.stdout).store).toBe('memory:');
      expect(readdirSync(join(cwd, 'o')).sort()).toEqual(['report.html', 'scenario.resolved.json', 'series.csv', 'summary.json']);
    },
    180_000,
  );
});
