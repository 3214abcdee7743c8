import { UsageError } from '../errors';
import { decodeClusterUpFlags, type RawClusterUpFlags } from './clusterFlags';
import { type ClusterRow, renderTable } from './clusterTable';

const refusal = (raw: RawClusterUpFlags) => {
  try {
    decodeClusterUpFlags(raw, '/work');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('decoded, but should have been refused');
};

describe('phalanet cluster up flags', () => {
  it('defaults: 3 producer nodes in runs/cluster, own PostgreSQL and Kafka, free ports', () => {
    expect(decodeClusterUpFlags({}, '/work')).toMatchObject({ dir: '/work/runs/cluster', nodes: 3, roles: ['producer', 'workers', 'gatekeepers', 'workload', 'projections', 'api'], scenario: 'quickstart', seed: 1, store: undefined, kafka: undefined, basePort: 0 });
  });

  it('takes given servers, --no-kafka and a vault for the workers role', () => {
    const flags = decodeClusterUpFlags({ nodes: '2', roles: 'producer,workers', store: 'postgres://u@h:5432/d?schema=s', kafka: '127.0.0.1:9092', dir: 'c' }, '/work');
    expect(flags).toMatchObject({ nodes: 2, roles: ['producer', 'workers'], kafka: '127.0.0.1:9092', platformVault: '/work/c/platform-vault' });
    expect(decodeClusterUpFlags({ kafka: false }, '/work').kafka).toBeNull();
  });

  it.each([
    [{ nodes: '0' }, /^cluster: --nodes "0" is not an integer from 1 to 32/],
    [{ roles: 'producer,miner' }, /^cluster: --roles "miner" is not a role/],
    [{ store: 'sqlite:x.db' }, /is not PostgreSQL/],
    [{ kafka: 'nohost' }, /^cluster: --kafka "nohost" is not HOST:PORT/],
    [{ basePort: '65535', nodes: '2' }, /leaves no room for 2 nodes/],
    [{ scenario: 'no-such-scenario.yaml' }, /^cluster: /],
    [{ roles: 'producer,workers', kafka: false }, /^cluster: --roles workers needs Kafka/],
    [{ roles: 'producer,gatekeepers', kafka: false }, /^cluster: --roles gatekeepers needs Kafka \(gatekeeper actors/],
  ] as [RawClusterUpFlags, RegExp][])('refuses %j in one line', (raw, message) => {
    expect(refusal(raw)).toMatch(message);
  });
});

describe('cluster table', () => {
  it('aligns the columns and shows what a dead node lacks as -', () => {
    const row = (node: string, state: ClusterRow['state'], producer: string | null, height: number | null): ClusterRow => ({
      node,
      roles: ['producer'],
      pid: 42,
      state,
      producer,
      height,
      partitions: null,
      health: 'http://127.0.0.1:1/readyz',
      metrics: 'http://127.0.0.1:1/metrics',
      log: 'x.log',
      error: null,
    });
    const lines = renderTable([row('node-1', 'ready', 'leader', 12), row('node-2', 'dead', null, null)]);
    expect(lines[0]!.split(/ {2,}/)).toEqual(['NODE', 'ROLES', 'PID', 'STATE', 'PRODUCER', 'HEIGHT', 'PARTITIONS', 'HEALTH', 'METRICS']);
    expect(lines[2]!.split(/ {2,}/).slice(0, 6)).toEqual(['node-2', 'producer', '42', 'dead', '-', '-']);
    expect(new Set(lines.map((l) => l.indexOf('http')).slice(1)).size).toBe(1);
    expect(lines[0]!.indexOf('HEALTH')).toBe(lines[1]!.indexOf('http'));
  });
});
