import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClusterState, nodeProcessState, readClusterState, stateFileOf, writeClusterState } from './clusterState';

const dir = mkdtempSync(join(tmpdir(), 'phalanet-cluster-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state: ClusterState = {
  version: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  store: 'postgres://u@h:1/d?schema=cluster',
  storeUrl: 'postgres://u@h:1/d?schema=cluster',
  kafka: null,
  services: { postgres: '/x/postgres.json', kafka: null },
  nodes: [{ id: 'node-1', roles: ['producer'], pid: 1234, url: 'http://127.0.0.1:1/', data: '/x/nodes/node-1', log: '/x/nodes/node-1.log' }],
};

describe('cluster state file', () => {
  it('round-trips, and a missing file is no cluster', () => {
    expect(readClusterState(join(dir, 'none'))).toBeUndefined();
    writeClusterState(dir, state);
    expect(readClusterState(dir)).toEqual(state);
  });

  it('refuses a file that is not a cluster state, naming it', () => {
    const other = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(stateFileOf(other), JSON.stringify({ ...state, nodes: [{ id: 'node-1' }] }));
    expect(() => readClusterState(other)).toThrow(/cluster\.json is not a cluster state file/);
  });
});

describe('node process state', () => {
  it('trusts a pid only while its command line names the node, and tells paused from running', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', '--id', 'node-7', '--roles', 'producer'], { stdio: 'ignore' });
    const pid = child.pid!;
    try {
      expect(nodeProcessState(pid, 'node-7')).toBe('running');
      expect(nodeProcessState(pid, 'node-8')).toBe('dead');
      process.kill(pid, 'SIGSTOP');
      // the kernel marks it stopped asynchronously: poll /proc briefly
      for (let i = 0; i < 200 && nodeProcessState(pid, 'node-7') !== 'paused'; i++) await new Promise((r) => setTimeout(r, 5));
      expect(nodeProcessState(pid, 'node-7')).toBe('paused');
      process.kill(pid, 'SIGCONT');
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    expect(nodeProcessState(pid, 'node-7')).toBe('dead');
  });
});
