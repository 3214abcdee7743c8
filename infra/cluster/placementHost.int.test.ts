/**
 * Two `PartitionHost`s over a real Kafka broker and a real PostgreSQL (both started by the int
 * tier's globalSetup). One host is stopped while messages flow; its partitions move to the other,
 * every message is applied exactly once, per-key order holds (each key's stream is appended with
 * expected versions, so a gap or a swap would be refused, and the order is checked too), and the
 * outbox relay publishes one reply per message. Prints how long the partitions took to move.
 */
import { randomBytes } from 'node:crypto';
import type { DeliveredMessage } from '../../domain/ports/bus';
import { kafkaBus } from '../bus/kafkaBus';
import { postgresEventStore } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';
import { type FencedTransaction, partitionFencing } from './fencing';
import { type ClusterDatabase, openClusterDatabase } from './fencingSchema';
import { type PartitionHost, startPartitionHost } from './placementHost';
import { requireKafka, requirePostgres, until } from './testing/intServices';

jest.setTimeout(240_000);

const brokers = (process.env.PHALANET_TEST_KAFKA_BROKERS ?? '').split(',');
const pgUrl = process.env.PHALANET_TEST_PG_URL;
const run = randomBytes(4).toString('hex');
const topic = `phalanet.workers-${run}`;
const replies = `phalanet.replies-${run}`;
const groupId = `workers-${run}`;
const schema = `t_${randomBytes(6).toString('hex')}`;
const keys = Array.from({ length: 24 }, (_, i) => `worker-${i}`);
const perRound = 10;
const utf8 = new TextEncoder();
const text = new TextDecoder();
beforeAll(() => {
  requireKafka();
  requirePostgres();
});

/** The actor layer stand-in: one stream per key, appended with the expected version seq - 1 */
async function apply(message: DeliveredMessage, tx: FencedTransaction): Promise<void> {
  const { seq } = JSON.parse(text.decode(message.value)) as { seq: number };
  const stream = `actor-${message.key}`;
  await tx.append(stream, [{ type: 'Applied', schemaVersion: 1, data: utf8.encode(message.id) }], seq === 0 ? 'no-stream' : seq - 1);
  tx.send([{ topic: replies, key: message.key, id: `reply-${message.id}`, value: utf8.encode(message.id) }]);
}

const restored: { node: string; partition: number; epoch: bigint }[] = [];
const buses: ReturnType<typeof kafkaBus>[] = [];
afterAll(() => Promise.all(buses.map((bus) => bus.close())));

async function host(node: string, db: ClusterDatabase, group = groupId): Promise<PartitionHost> {
  const bus = kafkaBus({ brokers, clientId: `${node}-${run}` });
  buses.push(bus);
  return startPartitionHost({
    nodeId: node,
    topic,
    groupId: group,
    source: bus,
    fencing: partitionFencing(db),
    outbox: { db, bus, intervalMs: 50 },
    restore: async (partition, lease) => void restored.push({ node, partition, epoch: lease.epoch }),
    drop: async () => undefined,
    apply,
  });
}

function round(r: number) {
  return Array.from({ length: perRound }, (_, i) => r * perRound + i).flatMap((seq) =>
    keys.map((key) => ({ topic, key, id: `${key}-${seq}`, value: utf8.encode(JSON.stringify({ seq })) })),
  );
}

describe('PartitionHost (real broker and PostgreSQL)', () => {
  it('moves a stopped host’s partitions to the other, applying every message exactly once and in order per key', async () => {
    const publisher = kafkaBus({ brokers, clientId: `publisher-${run}` });
    await publisher.ensureTopics([
      { name: topic, partitions: 12 },
      { name: replies, partitions: 3 },
    ]);
    const dbs = await Promise.all([1, 2, 3].map(() => openClusterDatabase({ connectionString: pgUrl!, schema, display: `pg:${schema}` })));
    const [db1, db2, db3] = dbs as [ClusterDatabase, ClusterDatabase, ClusterDatabase];
    const countEvents = async () => Number((await db3.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteSchema(schema)}.events`)).rows[0]!.n);
    const got = new Set<string>();
    const readReplies = await publisher.consume({ groupId: `replies-${run}`, topics: [replies], fromBeginning: true, onMessage: async (m) => void got.add(m.id) });
    const [h1, h2] = await Promise.all([host('node-1', db1), host('node-2', db2)]);
    let h3: PartitionHost | undefined;
    try {
      await until(() => h1.owned().size === 6 && h2.owned().size === 6, 'six partitions each');
      await publisher.publish(round(0));
      await until(async () => (await countEvents()) >= keys.length * 4, 'a good part of round 0 applied');
      const zombieLeases = [...h1.owned().values()];
      const moving = performance.now();
      const [, stopped] = await Promise.all([publisher.publish(round(1)), h1.stop().then(() => performance.now())]);
      await until(() => h2.owned().size === 12, 'node-2 owns all 12 partitions');
      const movedMs = performance.now() - moving;
      console.log(`partitions moved in ${movedMs.toFixed(0)} ms (node-1 left the group ${(stopped - moving).toFixed(0)} ms after the stop began)`);
      const total = keys.length * perRound * 2;
      await until(async () => (await countEvents()) === total, `all ${total} messages applied`);
      const applying = performance.now() - moving;
      console.log(`${total} messages applied ${applying.toFixed(0)} ms after the stop began`);

      // exactly once, in order per key
      const store = await postgresEventStore({ connectionString: pgUrl!, schema, display: 'check' });
      try {
        for (const key of keys) {
          const ids: string[] = [];
          for await (const e of store.readStream(`actor-${key}`)) ids.push(text.decode(e.data));
          expect(ids).toEqual(Array.from({ length: perRound * 2 }, (_, seq) => `${key}-${seq}`));
        }
      } finally {
        await store.close();
      }
      const { applied: a1 } = h1.stats();
      const { applied: a2, fenced } = h2.stats();
      expect(a1 + a2).toBe(total);
      expect(fenced).toBe(0);
      // node-2 claimed node-1's partitions with a newer epoch and restored them before consuming
      const owners = await partitionFencing(db3).owners(topic);
      expect(owners.map((o) => o.owner)).toEqual(Array(12).fill('node-2'));
      for (const o of owners) expect(restored.some((r) => r.node === 'node-2' && r.partition === o.partition && r.epoch === o.epoch)).toBe(true);

      // node-1 as a zombie (paused, or cut off from Kafka but not from PostgreSQL): refused, nothing written
      const zombie = partitionFencing(db1).apply(zombieLeases[0]!, 1_000_000n, (tx) => tx.append('actor-zombie', [{ type: 'Applied', schemaVersion: 1, data: utf8.encode('zombie') }], 'any'));
      await expect(zombie).rejects.toThrow(/node node-1 wrote with epoch \d+, but node-2 holds epoch \d+/);
      expect(await countEvents()).toBe(total);

      // the outbox: every reply relayed by the hosts (the one that stopped, then the one that took over)
      await until(() => got.size === total, 'every reply on the replies topic');
      const unsent = `SELECT count(*) AS n FROM ${quoteSchema(schema)}.outbox WHERE sent_at IS NULL`;
      await until(async () => Number((await db3.pool.query<{ n: string }>(unsent)).rows[0]!.n) === 0, 'every outbox row stamped sent');
      await readReplies.stop();

      // PostgreSQL, not Kafka, says where to resume: a host in a group that has no Kafka offsets
      // (it would start from the beginning) starts after the applied offsets and replays nothing
      await h2.stop();
      h3 = await host('node-3', db1, `${groupId}-fresh`);
      await until(() => h3!.owned().size === 12, 'node-3 owns all 12 partitions');
      await publisher.publish(round(2));
      await until(async () => (await countEvents()) === total + keys.length * perRound, 'round 2 applied');
      expect(h3.stats()).toMatchObject({ applied: keys.length * perRound, skipped: 0, fenced: 0 });
    } finally {
      await Promise.all([h1.stop(), h2.stop(), h3?.stop()]);
      await publisher.close();
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
