import { UsageError } from '../errors';
import { decodeNodeFlags, type RawNodeFlags } from './nodeFlags';

const good: RawNodeFlags = { id: 'node-1', roles: 'producer,api', store: 'postgres://me@127.0.0.1:5432/phala?schema=run1', data: 'data/n1' };
const refusal = (raw: RawNodeFlags) => {
  try {
    decodeNodeFlags(raw, '/work');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('decoded, but should have been refused');
};

describe('phalanet node flags', () => {
  it('decodes a full set with defaults for the rest', () => {
    const flags = decodeNodeFlags({ ...good, http: '0.0.0.0:9100', kafka: '127.0.0.1:9092,10.0.0.2:9092', leaseTtlMs: '5000' }, '/work');
    expect(flags).toMatchObject({ nodeId: 'node-1', roles: ['producer', 'api'], http: { host: '0.0.0.0', port: 9100 }, dataDir: '/work/data/n1', leaseTtlMs: 5000, followMs: 200, kafka: ['127.0.0.1:9092', '10.0.0.2:9092'] });
    expect(flags.store).toMatchObject({ kind: 'postgres', schema: 'run1' });
    expect(flags.scenario.name).toBe('quickstart');
    expect(decodeNodeFlags(good, '/work')).toMatchObject({ http: { host: '127.0.0.1', port: 0 }, leaseTtlMs: 3000, kafka: undefined });
  });

  it('takes pinned mode: this node\'s scope among every scope', () => {
    const flags = decodeNodeFlags({ ...good, roles: 'workers,gatekeepers', kafka: '127.0.0.1:9092', platformVault: 'v', vaultScope: 'west', vaultScopes: 'east, west' }, '/work');
    expect(flags.vaultScope).toEqual({ own: 'west', all: ['east', 'west'] });
    expect(decodeNodeFlags(good, '/work').vaultScope).toBeUndefined();
  });

  it.each([
    ['no --id', { ...good, id: undefined }, /^node: --id ID is required/],
    ['a bad id', { ...good, id: 'a b' }, /^node: --id "a b" is not a node id/],
    ['no --roles', { ...good, roles: undefined }, /^node: --roles is required/],
    ['an unknown role', { ...good, roles: 'producer,miner' }, /^node: --roles "miner" is not a role \(available: producer, api, workers, gatekeepers, projections, workload\)/],
    ['a role not built yet', { ...good, roles: 'contracts' }, /^node: --roles contracts is not built yet/],
    ['gatekeepers without --kafka', { ...good, roles: 'gatekeepers', platformVault: 'v' }, /^node: --roles gatekeepers needs --kafka HOST:PORT \(gatekeeper actors/],
    ['gatekeepers without --platform-vault', { ...good, roles: 'gatekeepers', kafka: '127.0.0.1:9092' }, /^node: --roles gatekeepers needs --platform-vault DIR \(.*master keys/],
    ['workers without --kafka', { ...good, roles: 'workers', platformVault: 'v' }, /^node: --roles workers needs --kafka/],
    ['workers without --platform-vault', { ...good, roles: 'workers', kafka: '127.0.0.1:9092' }, /^node: --roles workers needs --platform-vault DIR/],
    ['no --store', { ...good, store: undefined }, /^node: --store postgres:\/\/… is required/],
    ['a SQLite store', { ...good, store: 'sqlite:/tmp/x.db' }, /^node: --store sqlite:\/tmp\/x\.db is not PostgreSQL/],
    ['no --data', { ...good, data: undefined }, /^node: --data DIR is required/],
    ['a bad --http', { ...good, http: 'localhost' }, /^node: --http "localhost" is not HOST:PORT/],
    ['a port out of range', { ...good, http: '127.0.0.1:70000' }, /^node: --http port "70000" is not an integer from 0 to 65535/],
    ['a bad --kafka', { ...good, kafka: 'broker' }, /^node: --kafka "broker" is not HOST:PORT/],
    ['--vault-scope alone', { ...good, roles: 'workers', kafka: 'h:1', platformVault: 'v', vaultScope: 'east' }, /^node: pinned mode needs both --vault-scope NAME/],
    ['--vault-scope without a pinned role', { ...good, vaultScope: 'east', vaultScopes: 'east,west' }, /^node: --vault-scope pins machines: it needs the workers or gatekeepers role/],
    ['a scope not in the list', { ...good, roles: 'workers', kafka: 'h:1', platformVault: 'v', vaultScope: 'north', vaultScopes: 'east,west' }, /^node: --vault-scope "north" is not one of --vault-scopes \(east, west\)/],
    ['a scope named twice', { ...good, roles: 'workers', kafka: 'h:1', platformVault: 'v', vaultScope: 'east', vaultScopes: 'east,east' }, /names a scope twice/],
    ['a bad scope name', { ...good, roles: 'workers', kafka: 'h:1', platformVault: 'v', vaultScope: 'east', vaultScopes: 'east,we st' }, /"we st" is not a scope name/],
    ['--kafka-proxy without --kafka', { ...good, kafkaProxy: '127.0.0.1:5555' }, /^node: --kafka-proxy needs --kafka/],
    ['a bad --kafka-proxy', { ...good, kafka: '127.0.0.1:9092', kafkaProxy: 'proxy' }, /^node: --kafka-proxy "proxy" is not HOST:PORT/],
    ['--kafka-proxy with two brokers', { ...good, kafka: '127.0.0.1:9092,127.0.0.1:9093', kafkaProxy: '127.0.0.1:5555' }, /^node: --kafka-proxy takes one broker/],
    ['a lease too short', { ...good, leaseTtlMs: '10' }, /^node: --lease-ttl-ms "10" is not an integer from 300 to 600000/],
    ['an unknown scenario', { ...good, scenario: 'nope' }, /^node: .*nope/],
  ])('refuses %s with one line naming the flag', (_name, raw, message) => {
    expect(refusal(raw as RawNodeFlags)).toMatch(message);
  });
});
