/**
 * Fencing on a real PostgreSQL (started by the int tier's globalSetup): a zombie owner's
 * transaction is refused and leaves nothing behind; replays are skipped; a claim waits for a
 * transaction in flight and resumes after its offset.
 */
import { randomBytes } from 'node:crypto';
import type { EventData } from '../../domain/ports/eventStore';
import { StoreUnavailable, WrongExpectedVersion } from '../../domain/ports/eventStoreErrors';
import { postgresEventStore } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';
import { Fenced, partitionFencing } from './fencing';
import { type ClusterDatabase, openClusterDatabase } from './fencingSchema';

jest.setTimeout(60_000);

const baseUrl = process.env.PHALANET_TEST_PG_URL;
const topic = 'phalanet.workers';
const utf8 = new TextEncoder();
const event = (type: string): EventData => ({ type, schemaVersion: 1, data: utf8.encode(type) });
const out = (id: string) => ({ topic: 'phalanet.replies', key: 'k', id, value: utf8.encode(id) });

let db: ClusterDatabase;
let schema: string;

beforeAll(async () => {
  if (!baseUrl) throw new Error(`no PostgreSQL for the int tests: PHALANET_TEST_PG_URL is unset (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`);
  schema = `t_${randomBytes(6).toString('hex')}`;
  db = await openClusterDatabase({ connectionString: baseUrl, schema, display: `pg:${schema}` });
});
afterAll(() => db?.close());

async function streamTypes(stream: string): Promise<string[]> {
  const store = await postgresEventStore({ connectionString: baseUrl!, schema, display: 'read' });
  try {
    const types: string[] = [];
    for await (const e of store.readStream(stream)) types.push(e.type);
    return types;
  } finally {
    await store.close();
  }
}

async function outboxIds(partition: number): Promise<string[]> {
  const { rows } = await db.pool.query<{ message_id: string }>(`SELECT message_id FROM ${quoteSchema(schema)}.outbox WHERE source_partition = $1 ORDER BY id`, [partition]);
  return rows.map((r) => r.message_id);
}

/** Until some session of this database waits on a lock for an ownership row */
async function waitForLockWaiter(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const { rows } = await db.pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%partition_owners%' AND query NOT LIKE '%pg_stat_activity%'",
    );
    if (Number(rows[0]!.n) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no session waits on an ownership row lock after 10 s');
}

describe('partitionFencing', () => {
  it('refuses the old owner once another node claimed, with a clear error, and writes nothing of it', async () => {
    const fencing = partitionFencing(db);
    const old = await fencing.claim(topic, 0, 'node-a');
    expect(old.epoch).toBe(1n);
    expect(old.appliedOffset).toBe(-1n);
    await fencing.apply(old, 0n, async (tx) => {
      await tx.append('worker-1', [event('A0')], 'no-stream');
      tx.send([out('a0')]);
    });
    const current = await fencing.claim(topic, 0, 'node-b');
    expect(current).toMatchObject({ epoch: 2n, appliedOffset: 0n, node: 'node-b' });

    const zombie = fencing.apply(old, 1n, async (tx) => {
      await tx.append('worker-1', [event('A1')], 0);
      tx.send([out('a1')]);
    });
    await expect(zombie).rejects.toBeInstanceOf(Fenced);
    await expect(zombie).rejects.toThrow(
      'partition phalanet.workers/0: node node-a wrote with epoch 1, but node-b holds epoch 2; this node no longer owns the partition and must drop it',
    );
    await fencing.apply(current, 1n, async (tx) => {
      await tx.append('worker-1', [event('B1')], 0);
      tx.send([out('b1')]);
    });
    expect(await streamTypes('worker-1')).toEqual(['A0', 'B1']);
    expect(await outboxIds(0)).toEqual(['a0', 'b1']);
    expect(await fencing.owners(topic)).toEqual([{ partition: 0, owner: 'node-b', epoch: 2n, appliedOffset: 1n }]);
  });

  it('skips a replayed message (offset ≤ applied) without running it', async () => {
    const fencing = partitionFencing(db);
    const lease = await fencing.claim(topic, 1, 'node-a');
    const runs: bigint[] = [];
    const work = async (tx: { offset: bigint }) => void runs.push(tx.offset);
    expect(await fencing.apply(lease, 5n, work)).toEqual({ status: 'applied', result: undefined });
    expect(await fencing.apply(lease, 5n, work)).toEqual({ status: 'skipped', appliedOffset: 5n });
    expect(await fencing.apply(lease, 3n, work)).toEqual({ status: 'skipped', appliedOffset: 5n });
    expect(await fencing.apply(lease, 6n, work)).toMatchObject({ status: 'applied' });
    expect(runs).toEqual([5n, 6n]);
  });

  it('rolls everything back on an expected-version conflict, the applied offset too', async () => {
    const fencing = partitionFencing(db);
    const lease = await fencing.claim(topic, 2, 'node-a');
    await fencing.apply(lease, 0n, (tx) => tx.append('worker-2', [event('X0')], 'no-stream'));
    const conflict = fencing.apply(lease, 1n, async (tx) => {
      tx.send([out('lost')]);
      await tx.append('worker-2b', [event('Y0')], 'no-stream');
      await tx.append('worker-2', [event('X1')], 'no-stream');
    });
    await expect(conflict).rejects.toBeInstanceOf(WrongExpectedVersion);
    expect(await streamTypes('worker-2')).toEqual(['X0']);
    expect(await streamTypes('worker-2b')).toEqual([]);
    expect(await outboxIds(2)).toEqual([]);
    expect((await fencing.owners(topic)).find((o) => o.partition === 2)?.appliedOffset).toBe(0n);
  });

  it('a claim waits for the old owner’s transaction in flight, then resumes after its offset; the old owner’s next write is refused', async () => {
    const fencing = partitionFencing(db);
    const old = await fencing.claim(topic, 3, 'node-a');
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = () => {};
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const inFlight = fencing.apply(old, 7n, async (tx) => {
      entered();
      await gate;
      await tx.append('worker-3', [event('A7')], 'any');
    });
    await inside;
    let claimed = false;
    const claim = fencing.claim(topic, 3, 'node-b').then((lease) => {
      claimed = true;
      return lease;
    });
    // the claim queues on the ownership row's lock while the old owner's transaction is open
    await waitForLockWaiter();
    expect(claimed).toBe(false);
    release();
    await inFlight;
    expect(await claim).toMatchObject({ node: 'node-b', epoch: 2n, appliedOffset: 7n });
    await expect(fencing.apply(old, 8n, (tx) => tx.append('worker-3', [event('A8')], 'any'))).rejects.toBeInstanceOf(Fenced);
    expect(await streamTypes('worker-3')).toEqual(['A7']);
  });

  it('a node paused inside a transaction does not block the next claim for long: the server ends its session and nothing of it is written', async () => {
    const paused = await openClusterDatabase({ connectionString: baseUrl!, schema, display: `pg:${schema}`, idleInTransactionTimeoutMs: 500 });
    try {
      const fencing = partitionFencing(db);
      const old = await partitionFencing(paused).claim(topic, 4, 'node-a');
      let entered = () => {};
      const inside = new Promise<void>((resolve) => (entered = resolve));
      let resume = () => {};
      const pause = new Promise<void>((resolve) => (resume = resolve));
      const zombie = partitionFencing(paused).apply(old, 0n, async (tx) => {
        await tx.append('worker-4', [event('Z0')], 'no-stream');
        entered();
        await pause; // SIGSTOP stand-in: the transaction stays open, holding the ownership row
        await tx.append('worker-4', [event('Z1')], 0);
      });
      zombie.catch(() => undefined);
      await inside;
      const claimed = await fencing.claim(topic, 4, 'node-b');
      expect(claimed).toMatchObject({ epoch: 2n, appliedOffset: -1n });
      resume();
      await expect(zombie).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(zombie).rejects.toThrow(/worker-4: .*(idle-in-transaction|terminated|connection error)/);
      expect(await streamTypes('worker-4')).toEqual([]);
    } finally {
      await paused.close();
    }
  });
});
