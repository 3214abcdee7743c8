/**
 * The failover suite's quicker scenarios, in CI (issue 8 item 7): three
 * `phalanet node --roles producer,workers,gatekeepers` under a load generator, scaled to four (the
 * fourth behind a TCP proxy), the fourth cut from Kafka but not from PostgreSQL and healed, then
 * every node stopped with SIGTERM and started again in turn (a rolling restart). After it
 * all: nothing acknowledged lost, nothing applied twice, nothing unexpected, per-signer order,
 * contiguous heights, no write of an old epoch after a newer one, `replay --verify` passes, and
 * the sessions are still being settled. The measured times are printed. The scenarios that
 * restart the shared servers (broker, PostgreSQL) run under `npm run test:chaos`.
 */
import { initCrypto } from '../../infra/crypto/initCrypto';
import { chaosCluster } from './chaosHarness';
import { type TcpProxy, tcpProxy } from './tcpProxy';
import { ensureBuilt } from './nodeHarness';

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
let c: ReturnType<typeof chaosCluster>;
let proxy: TcpProxy | undefined;
const report: string[] = [];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

beforeAll(async () => {
  await initCrypto();
  if (!brokers) throw new Error(`no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`);
  ensureBuilt();
  c = chaosCluster('chaos', brokers, 1 + Math.floor(Math.random() * 1_000_000));
}, 180_000);
afterAll(async () => {
  process.stdout.write(`failover suite (CI part):\n${report.map((l) => `  ${l}\n`).join('')}`);
  await c?.cleanup();
  await proxy?.close();
});

describe('a three-node cluster under load', () => {
  it('scales to four, cuts the fourth from Kafka only and heals it, then survives a rolling SIGTERM of every node with nothing lost, doubled or out of order', async () => {
    const ids = ['c1', 'c2', 'c3'];
    const t0 = performance.now();
    for (const id of ids) c.start(id);
    report.push(`3 nodes up and balanced in ${secs(await c.balanced(ids, t0))}`);
    await c.load.start();

    // scale 3 → 4: the newcomer takes its share, the others keep theirs (it reaches the broker
    // through a proxy the test can cut)
    proxy = await tcpProxy(brokers!);
    const tScale = performance.now();
    c.start('c4', ['--kafka-proxy', proxy.address]);
    ids.push('c4');
    report.push(`scale 3 → 4: balanced over 4 nodes in ${secs(await c.balanced(ids, tScale))}`);

    // c4 cut from Kafka but not from PostgreSQL: the others take its partitions (new epochs) and
    // whatever c4 still tries to write for them is fenced; healed, it gets its share back
    const tCut = performance.now();
    proxy.cut();
    const cutMoved = await c.balanced(ids.filter((x) => x !== 'c4'), tCut);
    proxy.heal();
    const tHeal = performance.now();
    report.push(`c4 cut from Kafka only: its partitions moved and restored in ${secs(cutMoved)} (target ≤ 10 s); healed, rebalanced over 4 in ${secs(await c.balanced(ids, tHeal))}`);

    // rolling SIGTERM: each node drains, seals and leaves; the others take its partitions; it comes back
    const tRolling = performance.now();
    for (const id of ids) {
      const tStop = performance.now();
      const node = c.nodes.get(id)!;
      node.child.kill('SIGTERM');
      expect(await node.exit).toBe(0);
      const rest = ids.filter((x) => x !== id);
      const moved = await c.balanced(rest, tStop);
      const tBack = performance.now();
      c.start(id);
      const back = await c.balanced(ids, tBack);
      report.push(`SIGTERM ${id}: its partitions moved in ${secs(moved)}; back and rebalanced in ${secs(back)}`);
    }
    report.push(`longest wait for a block during the rolling restart: ${secs(c.longestGapSince(tRolling))}`);
    // the gatekeeper, moved four times, still reports: sessions are settled after the restarts
    const head = (await c.h.ledgerBlocks()).length - 1;
    report.push(`a session settled at block ${await c.settledAfter(head)} (head after the restarts: ${head})`);

    const counted = await c.check();
    report.push(`checked: ${counted.blocks} blocks, ${counted.sent} transfers sent (${counted.included} acknowledged, each in one block), ${counted.checkpoints} sealed writes in epoch order; replay --verify passed`);
    expect(counted.included).toBeGreaterThan(20);
  }, 600_000);
});
