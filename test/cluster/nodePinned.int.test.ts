/**
 * Pinned mode (issue 8 item 4) over a real broker and PostgreSQL: two nodes, each with a vault
 * scope of its own (`--vault-scope east|west --vault-scopes east,west`) and a platform vault of its
 * own, as on two hosts. Each hosts only its scope's partitions (p mod 2). When the node of a scope
 * dies, nobody else may run its machines (the other node's vault could not unseal them anyway):
 * the protocol reacts as Phala does — the gatekeeper reports those workers unresponsive — and when
 * the node returns it restores them from their sealed checkpoints and they recover.
 */
import { join } from 'node:path';
import { partitionOfGatekeeper } from '../../infra/cluster/gatekeepers/gatekeeperPlacement';
import { initCrypto } from '../../infra/crypto/initCrypto';
import { partitionOfWorker } from '../../infra/cluster/workers/workerPlacement';
import { chaosCluster } from './chaosHarness';
import { ensureBuilt, type NodeProcess, until } from './nodeHarness';

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
let c: ReturnType<typeof chaosCluster>;
const scopes = ['east', 'west'];

beforeAll(async () => {
  await initCrypto();
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  ensureBuilt();
  c = chaosCluster('pinned', brokers, 1 + Math.floor(Math.random() * 1_000_000));
}, 180_000);
afterAll(async () => c?.cleanup());

interface View {
  vaultScope: { own: string; all: string[] } | null;
  workers: { partitions: { partition: number; workers: number }[] } | null;
  gatekeepers: { partitions: { partition: number }[]; gatekeepers: { state: string }[] } | null;
}
const view = async (node: NodeProcess): Promise<View> => (await (await fetch(`${await node.url}status`)).json()) as View;
const scopeOf = (partition: number) => scopes[partition % scopes.length]!;
const pinnedArgs = (scope: string) => ['--vault-scope', scope, '--vault-scopes', scopes.join(','), '--platform-vault', join(c.h.dataDir, `vault-${scope}`)];

test('each scope runs only its machines; a scope with no node goes unresponsive and recovers when its node returns', async () => {
  const nodes: Record<string, NodeProcess> = { east: c.start('east', pinnedArgs('east')), west: c.start('west', pinnedArgs('west')) };
  const placed = await until(
    'each node owning exactly its scope\'s partitions, the gatekeeper active',
    async () => {
      const [e, w] = await Promise.all([view(nodes.east!), view(nodes.west!)]);
      const ok = (v: View, scope: string) => v.workers!.partitions.length === 6 && v.workers!.partitions.every((p) => scopeOf(p.partition) === scope) && v.gatekeepers!.partitions.every((p) => scopeOf(p.partition) === scope);
      const active = [...e.gatekeepers!.gatekeepers, ...w.gatekeepers!.gatekeepers].some((g) => g.state === 'active');
      return ok(e, 'east') && ok(w, 'west') && active ? { e, w } : undefined;
    },
    90_000,
  );
  expect(placed.e.vaultScope).toEqual({ own: 'east', all: scopes });
  await c.settledAfter(0, 90_000);

  // the scope without the gatekeeper loses its node: its workers fall silent
  const gkScope = scopeOf(partitionOfGatekeeper(c.genesis.gatekeepers[0]!.pubkeyHex));
  const lost = scopes.find((s) => s !== gkScope)!;
  const silent = c.genesis.workers.filter((w) => scopeOf(partitionOfWorker(w.pubkeyHex)) === lost);
  expect(silent.length).toBeGreaterThan(0);
  const killedAt = (await c.h.ledgerBlocks()).length - 1;
  nodes[lost]!.child.kill('SIGKILL');
  const survivor = nodes[gkScope]!;
  // nobody takes the lost scope's partitions over
  await new Promise((r) => setTimeout(r, 8_000));
  const alone = await view(survivor);
  expect(alone.workers!.partitions.every((p) => scopeOf(p.partition) === gkScope)).toBe(true);
  // the gatekeeper reports the silent workers unresponsive
  const sessions = new Set((await c.eventsOf('PhalaComputation', 'SessionBound')).filter((e) => silent.some((w) => w.pubkeyHex === e.value.worker)).map((e) => String(e.value.session)));
  const entered = await until(
    'the lost scope\'s workers reported unresponsive',
    async () => {
      const list = (await c.eventsOf('PhalaComputation', 'WorkerEnterUnresponsive')).filter((e) => e.block > killedAt && sessions.has(String(e.value.session)));
      return list.length > 0 ? list : undefined;
    },
    120_000,
  );
  process.stdout.write(`pinned: ${silent.length} workers of scope ${lost} silent from block ${killedAt}; first reported unresponsive at block ${entered[0]!.block}\n`);

  // the scope's node returns: its machines are restored from their sealed checkpoints and recover
  const back = await c.restart(lost, pinnedArgs(lost));
  await until('the returned node owning its scope again', async () => ((await view(back)).workers!.partitions.length === 6 ? true : undefined), 60_000);
  const recovered = await until(
    'the unresponsive workers recovered',
    async () => {
      const list = (await c.eventsOf('PhalaComputation', 'WorkerExitUnresponsive')).filter((e) => e.block > entered[0]!.block && sessions.has(String(e.value.session)));
      return list.length > 0 ? list : undefined;
    },
    120_000,
  );
  process.stdout.write(`pinned: scope ${lost} back; its workers recovered from block ${recovered[0]!.block}\n`);
  expect(c.h.replayVerify()).toMatch(/verified:\s+yes/);
}, 420_000);
