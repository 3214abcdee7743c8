/**
 * The gatekeeper view of the workers through `phalanet query` and the HTTP API, on a simulated
 * ledger (quickstart, 40 blocks): every worker the gatekeepers know carries `gatekeeper` (V, V
 * init, V deductible, P bench, P instant, share, payouts, slashes, waiting heartbeats) next to the
 * unchanged chain-side fields, and the CLI and the API answer the same.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { ledgerFollower } from '../../infra/http/follower';
import { createApiServer } from '../../infra/http/server';
import { memoryProjectionStore } from '../../infra/projections';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';
import { allProjections } from '../../projections';
import { runSimulation } from '../../simulations/run/runSimulation';
import { quickstartScenario } from '../../simulations/testing/tamperedReport';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-gk-view-e2e-'));
const path = join(dir, 'ledger.db');
type Row = Record<string, unknown> & { pubkey: string; gatekeeper: Record<string, unknown> | null };
const query = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, 'query', ...args, '--store', `sqlite:${path}`, '--json'], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { items: Row[]; item: Row & Record<string, string> };
};

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'query.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const store = sqliteEventStore(path);
  await runSimulation({ scenario: quickstartScenario(7n, 40), store });
  await store.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('query workers / worker show the gatekeeper view beside the chain-side fields; the API agrees', async () => {
  const { items } = query(['workers', '--limit', '100']);
  const known = items.filter((w) => w.gatekeeper !== null);
  expect(known.length).toBeGreaterThanOrEqual(8);
  for (const w of items) expect(Object.keys(w)).toEqual(expect.arrayContaining(['pubkey', 'state', 'vBits', 'vInitBits', 'shareBits', 'payoutTotal', 'slashTotal']));
  const paid = known.find((w) => (w.gatekeeper!.payoutCount as number) > 0)!;
  expect(paid.gatekeeper).toMatchObject({ atBlock: 40, working: true, unresponsive: false, vInitBits: paid.vInitBits });
  for (const f of ['vBits', 'vDeductibleBits', 'pBenchBits', 'pInstantBits', 'shareBits', 'payoutTotalBits', 'slashTotalBits']) expect(paid.gatekeeper![f]).toMatch(/^\d+$/);
  expect(BigInt(paid.gatekeeper!.vBits as string)).toBeGreaterThan(0n);
  expect(Array.isArray(paid.gatekeeper!.waitingHeartbeats)).toBe(true);

  const { item } = query(['worker', paid.pubkey]);
  expect(item.gatekeeper).toEqual(paid.gatekeeper);
  expect(BigInt(item.networkGatekeeperTotalShareBits ?? 'missing')).toBeGreaterThanOrEqual(BigInt(paid.gatekeeper!.shareBits as string));

  const ledger = sqliteEventStore(path);
  const store = memoryProjectionStore();
  const { eventCodec } = createPhalaRuntime();
  const follower = ledgerFollower({ ledger, store, eventCodec, projections: allProjections, now: () => 1_700_000_000_000 });
  const app = createApiServer({ ledger, eventCodec, store, follower });
  try {
    await follower.catchUp();
    await app.ready();
    const r = await app.inject({ method: 'GET', url: `/api/workers/${paid.pubkey}` });
    expect(r.statusCode).toBe(200);
    expect((r.json() as { item: Row }).item.gatekeeper).toEqual(paid.gatekeeper);
  } finally {
    await app.close();
    await store.close();
    await ledger.close();
  }
}, 120_000);
