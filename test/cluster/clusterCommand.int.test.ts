/**
 * `phalanet cluster` end to end, as a user runs it (the built bin): `up --nodes 2` starts its own
 * PostgreSQL and two producer nodes, `status` shows both ready with one leader, `kill node-X`
 * (the leader) leaves it dead and the other producing, bad input exits 2 with one line, and
 * `down` leaves no node and no PostgreSQL process behind.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './nodeHarness';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-cluster-'));

interface Row {
  node: string;
  pid: number;
  state: string;
  producer: string | null;
  height: number | null;
}

function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'cluster', ...args, '--dir', dir], { cwd: root, timeout: 180_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

async function rows(): Promise<Row[]> {
  const r = await cli(['status', '--json']);
  if (r.code !== 0) throw new Error(`cluster status exited ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { nodes: Row[] }).nodes;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

let pids: number[] = [];

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'cluster.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
});

afterAll(async () => {
  // a failed test must not leave a cluster behind
  if (existsSync(join(dir, 'cluster.json'))) await cli(['down']);
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('phalanet cluster', () => {
  it('refuses a status, a kill or a down without a cluster (exit 2, one line)', async () => {
    for (const args of [['status'], ['kill', 'node-1'], ['down']]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^phalanet: cluster: no cluster in .*: start one with phalanet cluster up/)]);
    }
  }, 60_000);

  it('up --nodes 2, kill the producer, the other takes over, down leaves nothing running', async () => {
    const up = await cli(['up', '--nodes', '2', '--no-kafka', '--lease-ttl-ms', '1500', '--follow-ms', '100']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/NODE\s+ROLES\s+PID\s+STATE\s+PRODUCER\s+HEIGHT\s+PARTITIONS\s+HEALTH\s+METRICS/);
    const state = JSON.parse(readFileSync(join(dir, 'cluster.json'), 'utf8')) as { services: { postgres: string } };
    const pg = JSON.parse(readFileSync(state.services.postgres, 'utf8')) as { pid: number };
    const ready = await until('both nodes ready with a leader', async () => {
      const r = await rows();
      return r.every((n) => n.state === 'ready') && r.some((n) => n.producer === 'leader') ? r : undefined;
    });
    pids = [...ready.map((n) => n.pid), pg.pid];
    expect(ready.map((n) => n.node)).toEqual(['node-1', 'node-2']);
    expect(pids.every(alive)).toBe(true);

    const unknown = await cli(['kill', 'node-7']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no node "node-7" in .* \(nodes: node-1, node-2\)/);
    const again = await cli(['up', '--nodes', '1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a cluster already runs in/);

    const leader = ready.find((n) => n.producer === 'leader')!;
    const other = ready.find((n) => n !== leader)!;
    expect((await cli(['kill', leader.node])).code).toBe(0);
    const after = await until('the other node producing past the dead leader', async () => {
      const r = await rows();
      const dead = r.find((n) => n.node === leader.node)!;
      const live = r.find((n) => n.node === other.node)!;
      return dead.state === 'dead' && live.producer === 'leader' && (live.height ?? 0) > Math.max(...ready.map((n) => n.height ?? 0)) ? r : undefined;
    });
    expect(after.find((n) => n.node === other.node)!.state).toBe('ready');
    expect((await cli(['kill', leader.node])).code).toBe(2);

    const down = await cli(['down']);
    expect(down.code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(join(dir, 'cluster.json'))).toBe(false);
  }, 180_000);
});
