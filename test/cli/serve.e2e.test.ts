/**
 * `phalanet serve`'s refusals, as a user meets them: each is one line on stderr and exit 2 before
 * anything listens (no URL on stdout).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendSampleBlocks } from '../../infra/http/testing/sampleLedger';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-serve-e2e-'));
const ledgerPath = join(dir, 'ledger.db');
let busy: Server;
let busyPort = 0;

/** Runs `phalanet serve …` to its exit (each case here exits on its own). */
const serve = (args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'serve', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'serve.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const ledger = sqliteEventStore(ledgerPath);
  await appendSampleBlocks(ledger);
  await ledger.close();
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const address = busy.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  busyPort = address.port;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('phalanet serve refuses before listening', () => {
  it.each([
    ['no --store', [], /serve: --store URL is required/],
    ['a bad URL', ['--store', 'ftp://x'], /phalanet: .*ftp/],
    ['a missing store', ['--store', `sqlite:${join(dir, 'absent.db')}`], /absent\.db/],
    ['a bad port', ['--store', `sqlite:${ledgerPath}`, '--port', '70000'], /serve: --port "70000" is not a port from 0 to 65535/],
    ['a bad host', ['--store', `sqlite:${ledgerPath}`, '--host', 'a b'], /serve: --host "a b" is not a host name or IP address/],
  ])('%s: exit 2, one line', async (_name, args, message) => {
    const r = await serve(args as string[]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  }, 60_000);

  it('a port in use: exit 2 naming the port and what to do', async () => {
    const r = await serve(['--store', `sqlite:${ledgerPath}`, '--port', String(busyPort)]);
    expect(r.stderr).toMatch(new RegExp(`serve: port ${busyPort} on 127\\.0\\.0\\.1 is in use: choose another --port \\(or --port 0`));
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  }, 60_000);
});
