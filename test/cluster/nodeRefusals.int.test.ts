/**
 * `phalanet node` refusing to start (exit 2, one line) against a real PostgreSQL: a busy HTTP
 * port is found before the node produces anything, and the id it had registered is free again.
 */
import { createServer, type Server } from 'node:net';
import { ensureBuilt, nodeHarness, status, until } from './nodeHarness';

let h: ReturnType<typeof nodeHarness>;
let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  h = nodeHarness('refusal');
  ensureBuilt();
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const address = busy.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  busyPort = address.port;
}, 180_000);
afterAll(async () => {
  await new Promise((resolve) => busy?.close(resolve));
  await h?.cleanup();
});

describe('phalanet node refusals', () => {
  it('a busy --http port: exit 2 with one line, no block written, and the id is free for the next start', async () => {
    h.newLedger();
    const refused = h.startNode('p', ['--http', `127.0.0.1:${busyPort}`]);
    expect(await refused.exit).toBe(2);
    expect(refused.stderr()).toMatch(new RegExp(`^phalanet: node: --http 127\\.0\\.0\\.1:${busyPort} is in use: choose another port`));
    expect(refused.stderr().trim().split('\n')).toHaveLength(1);
    expect(await h.ledgerBlocks()).toEqual([]);
    expect(await h.sql('SELECT node_id FROM $schema.cluster_nodes')).toEqual([]);
    const next = h.startNode('p');
    await until('the next node with that id to produce', async () => ((await status(next)).ledgerHeight >= 1 ? true : undefined));
    next.child.kill('SIGTERM');
    expect(await next.exit).toBe(0);
  }, 120_000);
});
