/**
 * `phalanet query … | head -1`: a reader that closes the pipe early must not crash the CLI with an
 * EPIPE stack trace; it exits 0 quietly. Run on a copy of the v1 ledger fixture (the projection
 * database is written beside the copy).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-query-pipe-e2e-'));
const ledger = join(dir, 'ledger.db');

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'query.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  copyFileSync(join(root, 'test', 'fixtures', 'ledger-v1.db'), ledger);
  // build the projections once, so that both runs below only read and print
  execFileSync(process.execPath, [bin, 'query', 'head', '--store', `sqlite:${ledger}`], { stdio: 'ignore' });
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a query whose stdout pipe is closed before it writes anything; resolves to its exit code and stderr. */
function queryIntoClosedPipe(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'query', ...args, '--store', `sqlite:${ledger}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone: every write the CLI makes fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

test.each([[['events', '--json']], [['events']], [['blocks', '--limit', '1000']]])('query %j into a closed pipe exits 0 without a stack trace', async (args) => {
  const r = await queryIntoClosedPipe(args);
  expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\(node:/);
  expect(r.code).toBe(0);
}, 30_000);

test('query events | head -1 prints the first line and exits 0', () => {
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" query events --limit 1000 --json --store "sqlite:${ledger}" | head -1; echo "exit=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  expect(r.stdout).toBe('{\n');
  expect(r.stderr).toContain('exit=0');
  expect(r.stderr).not.toMatch(/EPIPE/);
}, 30_000);
