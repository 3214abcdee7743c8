/**
 * `phalanet store info` as a user runs it: the compiled bin (built by `npm test` before jest;
 * built here only when dist/ lacks the command, so that parallel e2e files never race a rebuild).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-store-e2e-'));
const run = (args: string[], cwd = root) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, timeout: 30_000 });

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'store.js'))) {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expectUsageError = (r: ReturnType<typeof run>, pattern: RegExp) => {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
};

describe('phalanet store info', () => {
  it('describes a real SQLite ledger: exit 0, counts, head position and chain head block', async () => {
    const store = sqliteEventStore(join(dir, 'ledger.db'));
    const block = { type: 'BlockSealed', schemaVersion: 1, data: new Uint8Array([1]) };
    await store.append('chain', [block, block, block, block, block], 'no-stream');
    await store.append('worker-0x01', [{ type: 'WorkerStarted', schemaVersion: 1, data: new Uint8Array() }], 'no-stream');
    await store.close();

    const json = run(['store', 'info', '--store', 'sqlite:ledger.db', '--json'], dir);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      url: `sqlite:${join(dir, 'ledger.db')}`,
      streams: 2,
      events: 6,
      headPosition: '6',
      chainHeadBlock: 4,
    });
    const text = run(['store', 'info', '--store', `sqlite:${join(dir, 'ledger.db')}`]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/streams:\s+2/);
    expect(text.stdout).toMatch(/chain:\s+head block 4/);
  });

  it('an unknown scheme is bad input: exit 2', () => {
    expectUsageError(run(['store', 'info', '--store', 'ftp://x']), /unknown scheme "ftp:"/);
  });

  it('a missing directory is bad input: exit 2', () => {
    expectUsageError(run(['store', 'info', '--store', 'sqlite:/nonexistent/dir/x.db']), /directory \/nonexistent\/dir does not exist/);
  });

  it('a nonexistent SQLite file is bad input (exit 2) and is not created', () => {
    const path = join(dir, 'absent.db');
    expectUsageError(run(['store', 'info', '--store', `sqlite:${path}`]), /no such store file/);
    expect(existsSync(path)).toBe(false);
  });

  it('an unreachable PostgreSQL is bad input: exit 2, quickly', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const started = performance.now();
    const r = run(['store', 'info', '--store', `postgres://postgres@127.0.0.1:${port}/postgres?connect_timeout=3`]);
    expectUsageError(r, /cannot open store postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres.*ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('a missing --store is bad input: exit 2', () => {
    expectUsageError(run(['store', 'info']), /--store URL is required/);
  });
});
