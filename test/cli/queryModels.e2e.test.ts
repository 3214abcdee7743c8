/**
 * `phalanet query` over the computing, staking and contract read models, as a user runs it: the
 * synthetic computing chain (workers, a pool, heartbeats, settlements, a slash) plus gatekeeper
 * and cluster events, written to a temp SQLite ledger, the compiled bin spawned against it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';
import { actors, computingChainEvents, PHA } from '../../projections/testing/computingChain';
import { ev, sealedChain } from '../../projections/testing/syntheticChain';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-query-models-e2e-'));
const ledgerPath = join(dir, 'ledger.db');
const store = `sqlite:${ledgerPath}`;
const run = (args: string[]) => spawnSync(process.execPath, [bin, 'query', ...args], { encoding: 'utf8', cwd: root, timeout: 60_000 });
type Out = { items: Record<string, unknown>[]; next: string | null; item: Record<string, unknown>; meta: { block: number; projections: { name: string; state: string }[] } };
const json = (args: string[]): Out => {
  const r = run([...args, '--store', store, '--json']);
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Out;
};
const expectExit = (r: ReturnType<typeof run>, code: number, pattern: RegExp) => {
  expect(r.stderr).toMatch(pattern);
  expect(r.status).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
};

const key = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const [gk, master, cluster, contract] = [key(0x11), key(0x21), key(0xc1), key(0xca)];
const { w1, w2, owner } = actors;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'queryModels.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const events = computingChainEvents();
  events[1]!.push(ev('PhalaRegistry', 'GatekeeperAdded', { pubkey: gk }), ev('PhalaRegistry', 'GatekeeperMasterPubkeySet', { masterPubkey: master }));
  const info = { owner, permission: { tag: 'Public', value: undefined }, systemContract: key(0x5e), gasPrice: 1n, depositPerItem: 0n, depositPerByte: 0n };
  events[3]!.push(ev('PhalaPhatContracts', 'ClusterAdded', { cluster, counter: 1n, info, workers: [w1] }), ev('PhalaPhatContracts', 'Instantiating', { contract, cluster, deployer: owner }));
  const ledger = sqliteEventStore(ledgerPath);
  for (const [number, data] of sealedChain(events).entries()) await ledger.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data }], number === 0 ? 'no-stream' : number - 1);
  await ledger.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('phalanet query: workers, finance, gatekeepers, pools, clusters, contracts', () => {
  it('workers and worker: filters by state and pool; the worker view carries the network total share; PHA in the table', () => {
    const all = json(['workers']);
    expect(all.items.map((w) => [w.pubkey, w.state])).toEqual([
      [w1, 'WorkerIdle'],
      [w2, 'Registered'],
    ]);
    expect(all.meta.projections.map((p) => p.name)).toEqual(['blocks', 'events', 'accounts', 'rewards', 'workers', 'finance', 'gatekeepers', 'pools', 'clusters', 'contracts']);
    expect(json(['workers', '--state', 'WorkerIdle', '--pool', '0']).items.map((w) => w.pubkey)).toEqual([w1]);
    const page = json(['workers', '--limit', '1']);
    expect(page.next).toBe(w1);
    expect(json(['workers', '--limit', '1', '--after', page.next!]).items.map((w) => w.pubkey)).toEqual([w2]);
    const one = json(['worker', w1]).item;
    expect(one).toMatchObject({ pubkey: w1, stake: (10_000n * PHA).toString(), pBench: 500, pInstant: 520 });
    expect(one.networkTotalShareBits).toBe(one.shareBits);
    const text = run(['workers', '--store', store]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^pubkey\s+state\s+pool\s+stake\s+v\s+pInstant\s+share/);
    expect(text.stdout).toContain('10000.000000000000 PHA');
    expect(text.stdout).toContain('2999.0000');
    // before w1 started (block 4): a travelled-back view
    expect(json(['worker', w1, '--at-block', '4']).item).toMatchObject({ state: 'Ready', stake: '0' });
  });

  it('finance: a worker log, filtered by kind and bounded by block', () => {
    expect(json(['finance', w2]).items.map((r) => `${r.block}:${r.kind}`)).toEqual(['5:started', '7:enterUnresponsive', '8:exitUnresponsive', '8:heartbeat', '9:stopped', '11:reclaimed']);
    expect(json(['finance', w2, '--kind', 'reclaimed']).items[0]).toMatchObject({ slashed: (100n * PHA).toString() });
    // as of block 8 the heartbeat's payout (settled at 9) is not known yet
    const at8 = json(['finance', w2, '--at-block', '8']).items;
    expect(at8.map((r) => r.kind)).toEqual(['started', 'enterUnresponsive', 'exitUnresponsive', 'heartbeat']);
    expect(at8[3]).toMatchObject({ payout: null, settledAtBlock: null });
  });

  it('gatekeepers, pools, pool, clusters, contracts, contract', () => {
    expect(json(['gatekeepers']).items).toEqual([{ pubkey: gk, active: true, addedAtBlock: 1, removedAtBlock: null, masterKeyEpochs: [{ rotationId: 0, masterPubkey: master, requestedAtBlock: null, fromBlock: 1, toBlock: null, failed: false }] }]);
    expect(json(['pools', '--owner', owner]).items.map((p) => [p.pid, p.kind, p.commissionPpm])).toEqual([['0', 'StakePool', 100_000]]);
    expect(json(['pools', '--kind', 'Vault']).items).toEqual([]);
    const pool = json(['pool', '0']).item;
    expect(pool).toMatchObject({ pid: '0', workers: [w1], free: (19_500n * PHA).toString() });
    expect((pool.aprSeries as { block: number; aprPercent: string }[]).map((p) => [p.block, p.aprPercent])).toEqual([[7, '3153.60']]);
    const text = run(['pool', '0', '--store', store]).stdout;
    expect(text).toMatch(/^commission:\s+10\.00%$/m);
    expect(text).toMatch(/^aprPercent:\s+3153\.60% \(block 7\)$/m);
    expect(json(['clusters']).items.map((c) => [c.cluster, c.workers])).toEqual([[cluster, [w1]]]);
    expect(json(['contracts', '--cluster', cluster]).items.map((c) => c.contract)).toEqual([contract]);
    expect(json(['contract', contract]).item).toMatchObject({ cluster, deployer: owner, requestedAtBlock: 3 });
  });

  it('an unknown id is exit 1; a bad filter or id is exit 2 naming it', () => {
    expectExit(run(['worker', key(0x77), '--store', store]), 1, /^phalanet: query: worker 0x7777.* has no record as of block 12$/m);
    expectExit(run(['finance', key(0x77), '--store', store]), 1, /worker 0x7777.* has no record/);
    expectExit(run(['pool', '9', '--store', store]), 1, /pool 9 has no record as of block 12/);
    expectExit(run(['contract', key(0x77), '--store', store]), 1, /contract 0x7777.* has no record/);
    expectExit(run(['workers', '--state', 'Sleeping', '--store', store]), 2, /--state "Sleeping" is not one of Registered, Ready, WorkerIdle, WorkerUnresponsive, WorkerCoolingDown/);
    expectExit(run(['pools', '--kind', 'heartbeat', '--store', store]), 2, /--kind "heartbeat" is not one of StakePool, Vault/);
    expectExit(run(['finance', w1, '--kind', 'Vault', '--store', store]), 2, /--kind "Vault" is not one of started, heartbeat/);
    expectExit(run(['pools', '--owner', 'alice', '--store', store]), 2, /--owner "alice" is not 0x followed by 64 hex digits/);
    expectExit(run(['contracts', '--state', 'WorkerIdle', '--store', store]), 2, /--state does not apply to contracts/);
    expectExit(run(['pool', 'x', '--store', store]), 2, /pool id "x" is not a block number/);
    expectExit(run(['finance', '--store', store]), 2, /finance needs an id/);
    expectExit(run(['pools', '--after', 'x', '--store', store]), 2, /--after "x"/);
  });
});
