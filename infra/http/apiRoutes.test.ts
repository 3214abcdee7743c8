/**
 * The HTTP API with fastify's `inject` (no socket): every route, every kind of bad parameter
 * (400 naming it), unknown resources and ids (404), `meta`, and following a growing ledger.
 */
import type { FastifyInstance } from 'fastify';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { allProjections } from '../../projections';
import { memoryProjectionStore } from '../projections';
import { memoryEventStore } from '../store/memoryEventStore';
import type { API_ROUTES } from './apiRoutes';
import { AVAILABLE } from '../cli/commands/queryParams';
import { type LedgerFollower, ledgerFollower } from './follower';
import { createApiServer } from './server';
import { appendSampleBlocks, appendTransferBlock, sampleAccounts, sampleEvents } from './testing/sampleLedger';

const HEAD = sampleEvents.length - 1;
const { alice, charlie, stranger } = sampleAccounts;
const ledger = memoryEventStore();
const store = memoryProjectionStore();
const { eventCodec } = createPhalaRuntime();
let follower: LedgerFollower;
let app: FastifyInstance;
let headHash: Uint8Array;

type Body = { items: Record<string, unknown>[]; next: string | null; item: Record<string, unknown>; meta: { block: number; hash: string; projections: { name: string; state: string; lagBlocks?: number }[] }; error: { code: string; message: string; parameter: string | null } };
const get = async (url: string): Promise<{ status: number; body: Body; type: string }> => {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.headers['content-type']?.toString().startsWith('application/json') ? (r.json() as Body) : ({} as Body), type: String(r.headers['content-type']) };
};

beforeAll(async () => {
  headHash = await appendSampleBlocks(ledger);
  follower = ledgerFollower({ ledger, store, eventCodec, projections: allProjections, now: () => 1_700_000_000_000, chunkBlocks: 3 });
  app = createApiServer({ ledger, eventCodec, store, follower });
  const first = await follower.catchUp();
  expect(first.folded).toBe(HEAD + 1);
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app.close();
  await store.close();
  await ledger.close();
});

describe('GET /api/<resource>', () => {
  it('lists every path and reaches every query resource through the route table', async () => {
    const { body } = await get('/api');
    const routes = (body as unknown as { routes: typeof API_ROUTES }).routes;
    const reached = new Set(Object.values(routes).flatMap((r) => [r.list, r.item].filter((x) => x !== undefined)));
    expect([...reached].sort()).toEqual([...AVAILABLE].sort());
  });

  it('head: the last block with meta naming the block, its hash and every projection caught up', async () => {
    const { status, body } = await get('/api/head');
    expect(status).toBe(200);
    expect(body.item).toMatchObject({ number: HEAD, hash: `0x${Buffer.from(headHash).toString('hex')}` });
    expect(body.meta).toMatchObject({ block: HEAD, hash: body.item.hash });
    expect(body.meta.projections.map((p) => [p.name, p.state])).toEqual(allProjections.map((p) => [p.name, 'caught-up']));
  });

  it('blocks: newest first, paged with limit and after', async () => {
    const first = await get('/api/blocks?limit=3');
    expect(first.body.items.map((b) => b.number)).toEqual([6, 5, 4]);
    expect(first.body.next).toBe('4');
    const second = await get(`/api/blocks?limit=3&after=${first.body.next}`);
    expect(second.body.items.map((b) => b.number)).toEqual([3, 2, 1]);
    const range = await get('/api/blocks?fromBlock=2&toBlock=3');
    expect(range.body.items.map((b) => b.number)).toEqual([3, 2]);
  });

  it('block by id, under both /api/blocks/<n> and /api/block/<n>', async () => {
    for (const url of ['/api/blocks/2', '/api/block/2']) {
      const { status, body } = await get(url);
      expect(status).toBe(200);
      expect(body.item).toMatchObject({ number: 2, eventCount: 3 });
      expect(body.meta.block).toBe(HEAD);
    }
  });

  it('events: filters as query parameters, cursor pages', async () => {
    const transfers = await get('/api/events?name=Balances.Transfer&limit=2');
    expect(transfers.body.items.map((e) => e.block)).toEqual([1, 2]);
    const rest = await get(`/api/events?name=Balances.Transfer&limit=2&after=${transfers.body.next}`);
    expect(rest.body.items.map((e) => e.block)).toEqual([3, 6]);
    expect(rest.body.next).toBeNull();
    expect((await get(`/api/events?account=${charlie}`)).body.items.map((e) => `${e.block}:${e.name}`)).toEqual(['3:Transfer', '6:Transfer']);
    expect((await get('/api/events?pallet=PhalaComputation&fromBlock=3')).body.items.map((e) => e.block)).toEqual([4]);
  });

  it('accounts, account (amounts as decimal strings), and time travel with atBlock', async () => {
    const list = await get('/api/accounts?limit=2');
    expect(list.body.items).toHaveLength(2);
    expect(list.body.next).toBe(list.body.items[1]!.account);
    const now = await get(`/api/accounts/${alice}`);
    expect(now.body.item).toMatchObject({ account: alice, free: String(1000n * 10n ** 12n - 100n * 10n ** 12n - 500n - 10n * 10n ** 12n) });
    const before = await get(`/api/account/${alice.toUpperCase().replace('0X', '0x')}?atBlock=0`);
    expect(before.body.item).toMatchObject({ free: String(1000n * 10n ** 12n) });
    expect(before.body.meta.block).toBe(0);
  });

  it('rewards per block', async () => {
    const { body } = await get('/api/rewards');
    expect(body.items.map((r) => [r.block, r.payout])).toEqual([
      [2, String(3n * 10n ** 12n)],
      [4, String(5n * 10n ** 12n)],
      [5, '0'],
    ]);
  });

  it('the dashboard page, /healthz and /metrics', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('id="head-number"');
    expect(page.body).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/); // self-contained
    expect((await get('/healthz')).body).toMatchObject({ ok: true, ledgerHead: HEAD });
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(new RegExp(`^phalanet_serve_ledger_head_block ${HEAD}$`, 'm'));
    expect(metrics.body).toMatch(/^phalanet_serve_projection_lag_blocks\{projection="events"\} 0$/m);
  });
});

describe('bad requests', () => {
  it.each([
    ['/api/blocks?limit=0', 'limit', 'InvalidParameter'],
    ['/api/blocks?limit=1001', 'limit', 'InvalidParameter'],
    ['/api/blocks?limit=ten', 'limit', 'InvalidParameter'],
    ['/api/blocks?toBlock=1.5', 'toBlock', 'InvalidParameter'],
    ['/api/blocks?fromBlock=4294967296', 'fromBlock', 'InvalidParameter'],
    ['/api/blocks?after=x', 'after', 'InvalidParameter'],
    ['/api/blocks?atBlock=-1', 'atBlock', 'InvalidParameter'],
    ['/api/events?worker=0x12', 'worker', 'InvalidParameter'],
    ['/api/events?account=alice', 'account', 'InvalidParameter'],
    ['/api/events?pool=p', 'pool', 'InvalidParameter'],
    ['/api/events?pallet=Bal%20ances', 'pallet', 'InvalidParameter'],
    ['/api/events?name=Transfer;drop', 'name', 'InvalidParameter'],
    ['/api/events?after=12', 'after', 'InvalidParameter'],
    ['/api/events?limit=1&limit=2', 'limit', 'InvalidParameter'],
    ['/api/accounts?after=12', 'after', 'InvalidParameter'],
    ['/api/rewards?after=x', 'after', 'InvalidParameter'],
    ['/api/events?fromBlock=5&toBlock=4', 'fromBlock', 'InvalidRange'],
    ['/api/accounts?pallet=Balances', 'pallet', 'ParameterNotApplicable'],
    ['/api/head?limit=5', 'limit', 'ParameterNotApplicable'],
    ['/api/block/2?atBlock=1', 'atBlock', 'ParameterNotApplicable'],
    ['/api/blocks?fromblock=1', 'fromblock', 'UnknownParameter'],
    ['/api/block/abc', 'id', 'InvalidParameter'],
    ['/api/account/0x1234', 'id', 'InvalidParameter'],
    ['/api/pools/x', 'id', 'InvalidParameter'],
    ['/api/finance/0x12', 'id', 'InvalidParameter'],
    ['/api/workers?state=idle', 'state', 'InvalidParameter'],
    ['/api/pools?kind=heartbeat', 'kind', 'InvalidParameter'],
    ['/api/pools?owner=0x12', 'owner', 'InvalidParameter'],
    ['/api/contracts?cluster=c', 'cluster', 'InvalidParameter'],
    ['/api/gatekeepers?state=WorkerIdle', 'state', 'ParameterNotApplicable'],
    ['/api/workers?after=3', 'after', 'InvalidParameter'],
  ])('%s is 400 naming %s', async (url, parameter, code) => {
    const { status, body, type } = await get(url);
    expect(status).toBe(400);
    expect(type).toMatch(/application\/json/);
    expect(body.error).toMatchObject({ code, parameter });
    expect(body.error.message).toContain(parameter === 'id' ? 'id' : parameter);
    if (code === 'InvalidRange') expect(body.error.message).toBe('parameter "fromBlock" = "5" is not a block number not after toBlock 4');
  });

  it.each([
    ['/api/nothing', 'UnknownResource', /unknown resource "nothing"/],
    ['/api/worker', 'UnknownResource', /needs an id/],
    ['/api/finance', 'UnknownResource', /needs an id/],
    [`/api/workers/${stranger}`, 'NotFound', /worker 0x[0-9a-f]{64} has no record as of block 6/],
    ['/api/pool/7', 'NotFound', /pool 7 has no record/],
    ['/api/head/3', 'UnknownResource', /takes no id/],
    ['/api/account', 'UnknownResource', /needs an id/],
    ['/api/block/99', 'NotFound', /block 99 does not exist/],
    [`/api/account/${stranger}`, 'NotFound', /has no record as of block 6/],
    ['/api/head?atBlock=99', 'NotFound', /past the chain head/],
    ['/elsewhere', 'UnknownResource', /no route GET \/elsewhere/],
  ])('%s is 404 %s', async (url, code, message) => {
    const { status, body } = await get(url);
    expect(status).toBe(404);
    expect(body.error).toMatchObject({ code, parameter: null });
    expect(body.error.message).toMatch(message);
  });
});

describe('following a growing ledger', () => {
  it('answers from the last block folded, reports the lag in meta, and moves on after catch-up', async () => {
    headHash = await appendTransferBlock(ledger, HEAD, headHash);
    const lagging = await get('/api/head');
    expect(lagging.body.item.number).toBe(HEAD);
    expect(lagging.body.meta.projections.every((p) => p.state === 'lagging' && p.lagBlocks === 1)).toBe(true);
    expect((await follower.catchUp()).folded).toBe(1);
    const caughtUp = await get('/api/head');
    expect(caughtUp.body.item.number).toBe(HEAD + 1);
    expect(caughtUp.body.meta.projections.every((p) => p.state === 'caught-up')).toBe(true);
  });

  it('a read during a chunked catch-up sees every projection at the same block', async () => {
    let hash = headHash;
    for (let n = HEAD + 2; n < HEAD + 12; n++) hash = await appendTransferBlock(ledger, n - 1, hash);
    const catchingUp = follower.catchUp();
    const seen: number[][] = [];
    for (let i = 0; i < 6; i++) seen.push(await follower.read(async (status) => status.map((s) => s.checkpoint ?? -1)));
    expect((await catchingUp).folded).toBe(10);
    for (const checkpoints of seen) expect(new Set(checkpoints).size).toBe(1);
    // the reads did run between chunks (chunkBlocks 3), not only before or after the catch-up
    expect(seen.some(([cp]) => cp! > HEAD + 1 && cp! < HEAD + 11)).toBe(true);
    expect((await get('/api/head')).body.item.number).toBe(HEAD + 11);
  });
});
