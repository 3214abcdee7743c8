/**
 * The read side of a cluster over a real broker and PostgreSQL: one node runs the network
 * (`producer,workers,gatekeepers`), another `projections,api`. The projections role folds the
 * ledger into the shared projection store; the api role serves from it, and its `/readyz` says how
 * far the read models trail the ledger. Through the api: the genesis workers computing and paid
 * by the cluster's gatekeeper, as the ledger says. The api alone (the projections node stopped)
 * keeps answering from the store and reports itself not ready once the read models fall behind.
 */
import { initCrypto } from '../../infra/crypto/initCrypto';
import { CHAOS_GATEKEEPERS, CHAOS_WORKERS, chaosCluster } from './chaosHarness';
import { ensureBuilt, until } from './nodeHarness';

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
let c: ReturnType<typeof chaosCluster>;

beforeAll(async () => {
  await initCrypto();
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  ensureBuilt();
  c = chaosCluster('readside', brokers, 1 + Math.floor(Math.random() * 1_000_000));
}, 180_000);
afterAll(async () => c?.cleanup());

interface WorkerRow {
  pubkey: string;
  state: string;
  payoutTotal: string;
  payoutCount: number;
}
interface Ready {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}

test('a projections node folds the ledger, an api node serves the paid workers from the shared store', async () => {
  c.start('net');
  const read = c.startWithRoles('read', 'projections,api');
  const url = await read.url;
  const ready = await until(
    'the api node ready with the read models caught up',
    async () => {
      const r = await fetch(`${url}readyz`);
      const body = (await r.json()) as Ready;
      return r.status === 200 && body.checks.projections?.ok === true ? body : undefined;
    },
    90_000,
  );
  expect(ready.checks.projections!.detail).toMatch(/projections folded by this node, at most \d+ blocks behind the ledger/);
  const paid = await until(
    'every genesis worker computing and paid, through the api',
    async () => {
      const page = (await (await fetch(`${url}api/workers?limit=50`)).json()) as { items: WorkerRow[] };
      const computing = page.items.filter((w) => w.state === 'WorkerIdle');
      return computing.length === CHAOS_WORKERS && computing.filter((w) => BigInt(w.payoutTotal) > 0n).length >= 4 ? page.items : undefined;
    },
    120_000,
  );
  // the api agrees with the ledger: the settlements the chain recorded are the payouts it counts
  const settled = await c.settledAfter(0);
  expect(settled).toBeGreaterThan(0);
  expect(paid.reduce((n, w) => n + w.payoutCount, 0)).toBeGreaterThan(0);
  const status = (await (await fetch(`${url}status`)).json()) as { projections: { folding: boolean; foldedBlocks: number; list: { name: string; lagBlocks: number }[] } };
  expect(status.projections.folding).toBe(true);
  expect(status.projections.foldedBlocks).toBeGreaterThan(0);
  expect(status.projections.list.map((p) => p.name)).toContain('workers');
  const metrics = await (await fetch(`${url}metrics`)).text();
  expect(metrics).toMatch(/^phalanet_node_projection_lag_blocks\{projection="workers"\} \d+$/m);

  // an api without a projections node reads the store as it stands, and says it is falling behind
  const apiOnly = c.startWithRoles('api2', 'api');
  const apiUrl = await apiOnly.url;
  read.child.kill('SIGTERM');
  expect(await read.exit).toBe(0);
  const stale = await until(
    'the api-only node not ready: the read models fall behind',
    async () => {
      const r = await fetch(`${apiUrl}readyz`);
      const body = (await r.json()) as Ready;
      return r.status === 503 && body.checks.projections?.ok === false ? body : undefined;
    },
    60_000,
  );
  expect(stale.checks.projections!.detail).toMatch(/folded by a projections node, at most \d+ blocks behind/);
  const page = (await (await fetch(`${apiUrl}api/workers?limit=50`)).json()) as { items: WorkerRow[] };
  // the 8 miners and the gatekeeper (a registered worker too)
  expect(page.items).toHaveLength(CHAOS_WORKERS + CHAOS_GATEKEEPERS);
}, 300_000);
