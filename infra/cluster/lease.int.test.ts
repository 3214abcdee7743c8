/**
 * The producer lease against a real PostgreSQL (the int tier's globalSetup starts one): who holds
 * it, how it hands over, and that the fence inside the append transaction refuses a stale holder.
 * Expiry is forced by moving the row's `expires_at` into the past (no waiting on clocks).
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { FencedWrite, WrongExpectedVersion } from '../../domain/ports/eventStoreErrors';
import { type PostgresEventStore, postgresEventStore } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';
import { producerLease } from './lease';
import { ensureClusterTables } from './leaseSchema';

const baseUrl = process.env.PHALANET_TEST_PG_URL;
const opened: { store: PostgresEventStore; pool: Pool }[] = [];
const event = (text: string) => ({ type: 'Happened', schemaVersion: 1, data: new TextEncoder().encode(text) });

beforeAll(() => {
  if (!baseUrl) throw new Error(`no PostgreSQL for the int tests: PHALANET_TEST_PG_URL is unset (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`);
});
afterAll(async () => {
  for (const { store, pool } of opened) {
    await store.close();
    await pool.end();
  }
});

async function setup() {
  const schema = `l_${randomBytes(6).toString('hex')}`;
  const store = await postgresEventStore({ connectionString: baseUrl!, schema, display: `pg:${schema}` });
  const pool = new Pool({ connectionString: baseUrl!, max: 6 });
  pool.on('error', () => undefined);
  opened.push({ store, pool });
  await ensureClusterTables(pool, schema);
  const lease = (nodeId: string, ttlMs = 60_000) => producerLease({ pool, schema, nodeId, ttlMs });
  const expire = () => pool.query(`UPDATE ${quoteSchema(schema)}.producer_lease SET expires_at = clock_timestamp() - interval '1 millisecond'`);
  const versions = async () => {
    const out: string[] = [];
    for await (const e of store.readStream('chain')) out.push(new TextDecoder().decode(e.data));
    return out;
  };
  return { schema, store, pool, lease, expire, versions };
}

describe('producer lease', () => {
  it('two contenders: exactly one holds it, the other is refused until it expires', async () => {
    const { lease } = await setup();
    const [a, b] = await Promise.all([lease('a').acquire(), lease('b').acquire()]);
    expect([a, b].filter((x) => x !== undefined)).toHaveLength(1);
    const winner = a === undefined ? 'b' : 'a';
    const view = await lease('a').read();
    expect(view).toMatchObject({ holder: winner, epoch: 1n });
    expect(view!.remainingMs).toBeGreaterThan(50_000);
    expect(await lease(winner === 'a' ? 'b' : 'a').acquire()).toBeUndefined();
  });

  it('expiry hands over with epoch + 1; the old holder can no longer renew', async () => {
    const { lease, expire } = await setup();
    const held = await lease('a').acquire();
    expect(held?.epoch).toBe(1n);
    expect((await lease('a').renew(held!))?.epoch).toBe(1n);
    await expire();
    expect(await lease('a').renew(held!)).toBeUndefined();
    const taken = await lease('b').acquire();
    expect(taken?.epoch).toBe(2n);
    expect(await lease('a').renew(held!)).toBeUndefined();
    await lease('b').release(taken!);
    expect(await lease('b').read()).toMatchObject({ holder: undefined, epoch: 2n });
    expect((await lease('a').acquire())?.epoch).toBe(3n);
  });

  it("a stale holder's append is refused with a clear error and nothing is written", async () => {
    const { lease, expire, store, versions } = await setup();
    const old = (await lease('a').acquire())!;
    await store.append('chain', [event('genesis')], 'no-stream', { fence: lease('a').fence(old, 'chain') });
    await expire();
    const append = store.append('chain', [event('stale')], 0, { fence: lease('a').fence(old, 'chain') });
    await expect(append).rejects.toThrow(FencedWrite);
    await expect(append).rejects.toThrow(/append to chain refused by its fence: producer lease epoch 1 of node a expired \d+ ms ago/);
    const fresh = (await lease('b').acquire())!;
    const again = store.append('chain', [event('stale')], 0, { fence: lease('a').fence(old, 'chain') });
    await expect(again).rejects.toThrow(/producer lease epoch 1 of node a is no longer held \(now b, epoch 2\)/);
    await store.append('chain', [event('by b')], 0, { fence: lease('b').fence(fresh, 'chain') });
    expect(await versions()).toEqual(['genesis', 'by b']);
    expect(await store.streamVersion('chain')).toBe(1);
  });

  it('concurrent fenced appends of one holder race safely: one block per version, the rest WrongExpectedVersion', async () => {
    const { lease, store, versions } = await setup();
    const held = (await lease('a').acquire())!;
    await store.append('chain', [event('genesis')], 'no-stream', { fence: lease('a').fence(held, 'chain') });
    const racers = Array.from({ length: 5 }, (_, i) => store.append('chain', [event(`block1-${i}`)], 0, { fence: lease('a').fence(held, 'chain') }));
    const outcomes = await Promise.allSettled(racers);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(WrongExpectedVersion);
    expect(await versions()).toHaveLength(2);
  });

  it('a new holder racing an old holder: the old epoch never commits after the new one took the lease', async () => {
    const { lease, store, pool, versions } = await setup();
    // a short lease that runs out while its holder is paused inside an append (expiry cannot be
    // forced here: the paused append holds the row FOR SHARE, so nothing may update it)
    const a = lease('a', 1500);
    const old = (await a.acquire())!;
    await store.append('chain', [event('genesis')], 'no-stream', { fence: a.fence(old, 'chain') });
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let fenced!: () => void;
    const passedFence = new Promise<void>((r) => (fenced = r));
    const oldAppend = store.append('chain', [event('old epoch')], 0, {
      fence: async (tx) => {
        await a.fence(old, 'chain')(tx);
        fenced();
        await paused;
      },
    });
    await passedFence;
    const taking = lease('b').acquire();
    // the taking waits on the row lock the old append holds (observed in pg_stat_activity) …
    while (Number((await pool.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO%producer_lease%'")).rows[0]!.n) === 0);
    // … also after the old lease ran out on the database clock
    while ((await a.read())!.remainingMs > 0);
    resume();
    await oldAppend;
    const taken = await taking;
    expect(taken?.epoch).toBe(2n);
    await expect(store.append('chain', [event('late')], 1, { fence: a.fence(old, 'chain') })).rejects.toThrow(FencedWrite);
    await store.append('chain', [event('new epoch')], 1, { fence: lease('b').fence(taken!, 'chain') });
    expect(await versions()).toEqual(['genesis', 'old epoch', 'new epoch']);
  }, 20_000);
});
