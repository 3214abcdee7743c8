/**
 * Producer failover with real processes and a real PostgreSQL (issue 8 items 3 and 7, the
 * producer part): two `phalanet node --roles producer` processes over one ledger; the leader is
 * killed with SIGKILL (or paused with SIGSTOP past its lease); the standby must take the lease
 * (epoch + 1) and produce. Then the ledger is checked: heights contiguous with one block each, no
 * block of the old epoch after the new epoch's first, and `phalanet replay --verify` passes. The
 * measured takeover times are printed; the only timed assertion is a generous failure bound.
 */
import { ensureBuilt, type LedgerBlock, nodeHarness, status, until } from './nodeHarness';

const TAKEOVER_BOUND_MS = 20_000;
let h: ReturnType<typeof nodeHarness>;

beforeAll(() => {
  h = nodeHarness('failover');
  ensureBuilt();
}, 180_000);
afterAll(async () => h?.cleanup());

/** One block per height from 0, epochs never going back, each epoch written by one node. */
function expectOneChain(blocks: readonly LedgerBlock[], producers: Record<string, string>) {
  blocks.forEach((x, i) => {
    expect(x.version).toBe(i);
    expect(x.number).toBe(i);
    if (i > 0) expect(x.epoch).toBeGreaterThanOrEqual(blocks[i - 1]!.epoch);
    expect(x.producer).toBe(producers[String(x.epoch)]);
  });
}

function expectReplayVerified(blocks: number) {
  const replay = h.replayVerify();
  expect(replay).toMatch(/verified:\s+yes/);
  expect(replay).toMatch(new RegExp(`blocks:\\s+${blocks} replayed`));
}

describe('phalanet node: producer failover on a real PostgreSQL', () => {
  it('kill -9 of the leader: the standby takes over with epoch + 1, the ledger stays one contiguous chain, replay --verify passes', async () => {
    h.newLedger();
    const a = h.startNode('a');
    await until('a to lead with a few blocks', async () => {
      const s = await status(a);
      return s.producer.role === 'leader' && s.ledgerHeight >= 3 ? s : undefined;
    });
    const b = h.startNode('b');
    await until('b to follow as a caught-up standby', async () => {
      const s = await status(b);
      return s.producer.role === 'standby' && s.lease?.holder === 'a' && s.lagBlocks <= 1 ? s : undefined;
    });

    for (const [node, role] of [[a, 'leader'], [b, 'standby']] as const) {
      const ready = await fetch(`${await node.url}readyz`);
      const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };
      expect(ready.status).toBe(200);
      expect(body.ready).toBe(true);
      expect(Object.keys(body.checks).sort()).toEqual(['chain', 'lease', 'store']);
      expect(body.checks.lease!.detail).toMatch(new RegExp(`producer lease held by a, epoch 1, \\d+ ms left; this node: ${role}`));
    }

    // a second process with the live leader's id is refused
    const twin = h.startNode('a');
    expect(await twin.exit).toBe(2);
    expect(twin.stderr()).toMatch(/^phalanet: node: id a belongs to a live node \(instance [0-9a-f-]+, http http:\/\/127\.0\.0\.1:\d+\/, heartbeat \d+ ms ago\): stop it or choose another --id/);
    expect(twin.stderr().trim().split('\n')).toHaveLength(1);

    const killedAt = performance.now();
    a.child.kill('SIGKILL');
    await a.exit;
    const heightAtKill = (await h.ledgerBlocks()).length - 1;
    const firstNew = await until('b to produce under epoch 2', async () => (await h.ledgerBlocks()).find((x) => x.epoch === 2n), TAKEOVER_BOUND_MS);
    const takeoverMs = performance.now() - killedAt;
    process.stdout.write(`producer takeover after kill -9: ${Math.round(takeoverMs)} ms (lease ttl 2000 ms; first block of epoch 2: #${firstNew.number}, ledger at #${heightAtKill} when killed)\n`);
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS);
    await until('b to produce three blocks', async () => ((await h.ledgerBlocks()).filter((x) => x.epoch === 2n).length >= 3 ? true : undefined));

    const metrics = await (await fetch(`${await b.url}metrics`)).text();
    expect(metrics).toMatch(/^phalanet_node_lease_acquisitions_total 1$/m);
    expect(metrics).toMatch(/^phalanet_node_is_producer 1$/m);
    expect(metrics).toMatch(/^phalanet_node_fenced_writes_refused_total 0$/m);
    expect(Number(/^phalanet_node_blocks_produced_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(0);
    expect(b.stderr()).toMatch(/node b: released the producer lease, epoch 2/);

    const blocks = await h.ledgerBlocks();
    expectOneChain(blocks, { '1': 'a', '2': 'b' });
    expect(await h.sql('SELECT holder, epoch FROM $schema.producer_lease')).toEqual([{ holder: null, epoch: '2' }]);
    expectReplayVerified(blocks.length);
  }, 180_000);

  it('a paused leader (SIGSTOP past its lease) comes back as a standby: it never writes under its old epoch after the new one began', async () => {
    h.newLedger();
    const a = h.startNode('a');
    await until('a to lead', async () => ((await status(a)).producer.role === 'leader' && (await h.ledgerBlocks()).length >= 2 ? true : undefined));
    const b = h.startNode('b');
    await until('b to stand by', async () => ((await status(b)).producer.role === 'standby' ? true : undefined));
    const pausedAt = performance.now();
    a.child.kill('SIGSTOP');
    await until('b to produce under epoch 2', async () => (await h.ledgerBlocks()).find((x) => x.epoch === 2n), TAKEOVER_BOUND_MS);
    process.stdout.write(`producer takeover from a paused leader: ${Math.round(performance.now() - pausedAt)} ms\n`);
    a.child.kill('SIGCONT');
    const back = await until('a to come back as a standby', async () => {
      const s = await status(a);
      return s.producer.role === 'standby' && s.lease?.holder === 'b' && s.lagBlocks <= 1 ? s : undefined;
    });
    expect(back.lease?.epoch).toBe('2');
    expect(a.stderr()).toMatch(/node a: producer lease epoch 1 lost/);
    const height = (await h.ledgerBlocks()).length;
    await until('b to go on producing', async () => ((await h.ledgerBlocks()).length >= height + 2 ? true : undefined));
    // one after the other: the standby stopped first, so it cannot take the lease b releases
    a.child.kill('SIGTERM');
    expect(await a.exit).toBe(0);
    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(0);
    const blocks = await h.ledgerBlocks();
    expectOneChain(blocks, { '1': 'a', '2': 'b' });
    expectReplayVerified(blocks.length);
  }, 180_000);
});
