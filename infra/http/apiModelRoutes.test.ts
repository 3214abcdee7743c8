/**
 * The read models of computing, staking and contracts over HTTP (fastify `inject`), on the
 * synthetic computing chain plus a gatekeeper and a cluster: every model path answers what
 * `phalanet query` answers, with its parameters decoded by the same decoder.
 */
import type { FastifyInstance } from 'fastify';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { allProjections } from '../../projections';
import { actors, computingChainEvents, PHA } from '../../projections/testing/computingChain';
import { ev, sealedChain } from '../../projections/testing/syntheticChain';
import { memoryProjectionStore } from '../projections';
import { memoryEventStore } from '../store/memoryEventStore';
import { ledgerFollower } from './follower';
import { createApiServer } from './server';

const key = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const [gk, master, cluster, contract] = [key(0x11), key(0x21), key(0xc1), key(0xca)];
const { w1, w2, owner } = actors;
const ledger = memoryEventStore();
const store = memoryProjectionStore();
let app: FastifyInstance;

type Body = { items: Record<string, unknown>[]; next: string | null; item: Record<string, unknown>; error: { code: string; parameter: string | null; message: string } };
const get = async (url: string): Promise<{ status: number; body: Body }> => {
  const r = await app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() as Body };
};

beforeAll(async () => {
  const events = computingChainEvents();
  events[1]!.push(ev('PhalaRegistry', 'GatekeeperAdded', { pubkey: gk }), ev('PhalaRegistry', 'GatekeeperMasterPubkeySet', { masterPubkey: master }));
  const info = { owner, permission: { tag: 'Public', value: undefined }, systemContract: key(0x5e), gasPrice: 1n, depositPerItem: 0n, depositPerByte: 0n };
  events[3]!.push(ev('PhalaPhatContracts', 'ClusterAdded', { cluster, counter: 1n, info, workers: [w1] }), ev('PhalaPhatContracts', 'Instantiating', { contract, cluster, deployer: owner }));
  for (const [number, data] of sealedChain(events).entries()) await ledger.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data }], number === 0 ? 'no-stream' : number - 1);
  const { eventCodec } = createPhalaRuntime();
  const follower = ledgerFollower({ ledger, store, eventCodec, projections: allProjections, now: () => 1_700_000_000_000 });
  app = createApiServer({ ledger, eventCodec, store, follower });
  await follower.catchUp();
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app.close();
  await store.close();
  await ledger.close();
});

describe('GET /api/<model resource>', () => {
  it('workers (state and pool filters, pages), worker under /workers/<id> and /worker/<id>', async () => {
    expect((await get('/api/workers')).body.items.map((w) => [w.pubkey, w.state])).toEqual([
      [w1, 'WorkerIdle'],
      [w2, 'Registered'],
    ]);
    expect((await get('/api/workers?state=WorkerIdle&pool=0')).body.items.map((w) => w.pubkey)).toEqual([w1]);
    const first = await get('/api/workers?limit=1');
    expect((await get(`/api/workers?limit=1&after=${first.body.next}`)).body.items.map((w) => w.pubkey)).toEqual([w2]);
    for (const path of ['workers', 'worker']) {
      const { body } = await get(`/api/${path}/${w1.toUpperCase().replace('0X', '0x')}`);
      expect(body.item).toMatchObject({ pubkey: w1, stake: (10_000n * PHA).toString(), networkTotalShareBits: body.item.shareBits });
    }
    expect((await get(`/api/worker/${w1}?atBlock=4`)).body.item).toMatchObject({ state: 'Ready', stake: '0' });
  });

  it('finance/<worker> is a page of its log, with kind and block bounds', async () => {
    expect((await get(`/api/finance/${w2}`)).body.items.map((r) => `${r.block}:${r.kind}`)).toEqual(['5:started', '7:enterUnresponsive', '8:exitUnresponsive', '8:heartbeat', '9:stopped', '11:reclaimed']);
    expect((await get(`/api/finance/${w2}?kind=reclaimed`)).body.items[0]).toMatchObject({ slashed: (100n * PHA).toString() });
    expect((await get(`/api/finance/${w2}?atBlock=8`)).body.items[3]).toMatchObject({ kind: 'heartbeat', payout: null });
  });

  it('gatekeepers, pools, pool, clusters, contracts, contract', async () => {
    expect((await get('/api/gatekeepers')).body.items).toMatchObject([{ pubkey: gk, active: true, masterKeyEpochs: [{ rotationId: 0, masterPubkey: master }] }]);
    expect((await get(`/api/pools?owner=${owner}&kind=StakePool`)).body.items.map((p) => p.pid)).toEqual(['0']);
    expect((await get('/api/pools?kind=Vault')).body.items).toEqual([]);
    expect((await get('/api/pools/0')).body.item).toMatchObject({ pid: '0', workers: [w1], aprSeries: [{ block: 7, aprPercent: '3153.60' }] });
    expect((await get('/api/clusters')).body.items.map((c) => [c.cluster, c.workers])).toEqual([[cluster, [w1]]]);
    expect((await get(`/api/contracts?cluster=${cluster}`)).body.items.map((c) => c.contract)).toEqual([contract]);
    expect((await get(`/api/contract/${contract}`)).body.item).toMatchObject({ cluster, deployer: owner });
  });

  it.each([
    [`/api/worker/${key(0x77)}`, 404, 'NotFound', null],
    [`/api/finance/${key(0x77)}`, 404, 'NotFound', null],
    ['/api/pools/9', 404, 'NotFound', null],
    [`/api/contracts/${key(0x77)}`, 404, 'NotFound', null],
    ['/api/clusters/0x12', 404, 'UnknownResource', null],
    [`/api/finance/${w1}?kind=Vault`, 400, 'InvalidParameter', 'kind'],
    [`/api/finance/${w1}?after=12`, 400, 'InvalidParameter', 'after'],
    ['/api/contracts?state=WorkerIdle', 400, 'ParameterNotApplicable', 'state'],
    [`/api/worker/${w1}?limit=5`, 400, 'ParameterNotApplicable', 'limit'],
  ])('%s is %d %s', async (url, status, code, parameter) => {
    const r = await get(url);
    expect(r.status).toBe(status);
    expect(r.body.error).toMatchObject({ code, parameter });
  });
});
