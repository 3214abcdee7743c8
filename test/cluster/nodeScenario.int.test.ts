/**
 * A whole scenario in a cluster (the built-in `quickstart`, as `phalanet cluster up` runs it by
 * default): two nodes with every role over a real broker and PostgreSQL. The workload role's
 * operators register the workers after genesis (each worker's lifecycle machine submits and
 * retries), pool owners create pools, add and start the benchmarked workers, stakers contribute,
 * governance registers the second gatekeeper (which receives the master key, restarts its GK role
 * and turns active); the sessions are paid. Then kill -9 of the node acting for the workload: the
 * other takes its lease, reads the history and acts on without doing anything twice — one pool
 * per plan, one registration per worker. `replay --verify` re-derives every gatekeeper report.
 */
import { builtInScenarioPath } from '../../simulations/scenario';
import { initCrypto } from '../../infra/crypto/initCrypto';
import { chaosCluster } from './chaosHarness';
import { ensureBuilt, type NodeProcess, until } from './nodeHarness';

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
let c: ReturnType<typeof chaosCluster>;

beforeAll(async () => {
  await initCrypto();
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  ensureBuilt();
  c = chaosCluster('scenario', brokers, 1 + Math.floor(Math.random() * 1_000_000), builtInScenarioPath('quickstart'), 'producer,workers,gatekeepers,workload,projections,api');
}, 180_000);
afterAll(async () => c?.cleanup());

interface View {
  head: { number: number } | null;
  workers: { actorsByState: Record<string, number> } | null;
  gatekeepers: { gatekeepers: { name: string; state: string; roleRestarts: number }[] } | null;
  workload: { role: string; epoch: string | null; submitted: number; workersByState: Record<string, number> } | null;
}
const view = async (node: NodeProcess): Promise<View> => (await (await fetch(`${await node.url}status`)).json()) as View;

test('quickstart runs on two nodes: registered, pooled, computing, paid; the workload fails over without doing anything twice', async () => {
  const a = c.start('s1');
  const b = c.start('s2');
  const views = async () => Promise.all([view(a), view(b)]);
  const running = await until(
    'the 8 miners computing and both gatekeepers active',
    async () => {
      const vs = await views();
      const computing = vs.reduce((n, v) => n + (v.workers?.actorsByState.computing ?? 0), 0);
      const gks = vs.flatMap((v) => v.gatekeepers?.gatekeepers ?? []);
      return computing === 8 && gks.length === 2 && gks.every((g) => g.state === 'active') ? vs : undefined;
    },
    150_000,
  );
  // one node acts for the scenario's people; its workers' lifecycle machines took them to computing
  const acting = running.find((v) => v.workload?.role === 'active')!;
  expect(running.filter((v) => v.workload?.role === 'active')).toHaveLength(1);
  expect(acting.workload!.workersByState.computing).toBe(8);
  expect(running.flatMap((v) => v.gatekeepers!.gatekeepers).find((g) => g.name === 'gatekeeper-2')!.roleRestarts).toBe(1);
  const settled = await c.settledAfter(0);

  // kill -9 of the acting node: the other takes the workload lease and goes on from the ledger
  const [actingNode, survivor] = acting === running[0] ? [a, b] : [b, a];
  const before = (await c.h.ledgerBlocks()).length;
  actingNode.child.kill('SIGKILL');
  const taken = await until('the survivor acting for the workload', async () => {
    const v = await view(survivor);
    return v.workload?.role === 'active' && Number(v.workload.epoch) >= 2 ? v : undefined;
  });
  expect(taken.workload!.role).toBe('active');
  await until('blocks after the takeover', async () => ((await c.h.ledgerBlocks()).length > before + 10 ? true : undefined), 60_000);
  await c.settledAfter(before);

  // nothing done twice: one pool per plan, one registration per worker and gatekeeper
  const pools = await c.eventsOf('PhalaStakePoolv2', 'PoolCreated');
  expect(pools).toHaveLength(2);
  const added = (await c.eventsOf('PhalaRegistry', 'WorkerAdded')).map((e) => String(e.value.pubkey));
  expect(new Set(added).size).toBe(added.length);
  expect(added).toHaveLength(10 + 1); // the scenario's workers and the gatekeeper that joins (the first is a genesis worker)
  const replay = c.h.replayVerify();
  expect(replay).toMatch(/verified:\s+yes/);
  expect(Number(/reports:\s+(\d+)/.exec(replay)?.[1])).toBeGreaterThan(10);
  expect(settled).toBeGreaterThan(0);
}, 400_000);
