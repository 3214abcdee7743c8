/**
 * A paused node (the SIGSTOP case, simulated in-process: every processing transaction of node-1
 * hangs open) over a real Kafka broker and a real PostgreSQL. Kafka evicts node-1 after its
 * session timeout; node-2 claims its partitions (waiting at most for PostgreSQL to end node-1's
 * idle transactions) and applies their messages; when node-1 wakes up its transactions fail,
 * nothing of them is written, it rejoins under the same node id, gets its partitions back and
 * claims them anew. Every message is applied exactly once and in order per key. Prints the times.
 */
import { randomBytes } from 'node:crypto';
import type { DeliveredMessage } from '../../domain/ports/bus';
import { kafkaBus } from '../bus/kafkaBus';
import { postgresEventStore } from '../store/postgresEventStore';
import { quoteSchema } from '../store/postgresSchema';
import { type FencedTransaction, partitionFencing } from './fencing';
import { type ClusterDatabase, openClusterDatabase } from './fencingSchema';
import { type PartitionHost, startPartitionHost } from './placementHost';
import { requireKafka, requirePostgres, until as untilWithin } from './testing/intServices';

jest.setTimeout(240_000);

const brokers = (process.env.PHALANET_TEST_KAFKA_BROKERS ?? '').split(',');
const pgUrl = process.env.PHALANET_TEST_PG_URL;
const run = randomBytes(4).toString('hex');
const topic = `phalanet.workers-${run}`;
const groupId = `workers-${run}`;
const schema = `t_${randomBytes(6).toString('hex')}`;
const keys = Array.from({ length: 24 }, (_, i) => `worker-${i}`);
const perRound = 5;
const utf8 = new TextEncoder();
const text = new TextDecoder();
beforeAll(() => {
  requireKafka();
  requirePostgres();
});

const until = (predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000) => untilWithin(predicate, what, timeoutMs);

async function apply(message: DeliveredMessage, tx: FencedTransaction): Promise<void> {
  const { seq } = JSON.parse(text.decode(message.value)) as { seq: number };
  await tx.append(`actor-${message.key}`, [{ type: 'Applied', schemaVersion: 1, data: utf8.encode(message.id) }], seq === 0 ? 'no-stream' : seq - 1);
}

function round(r: number) {
  return Array.from({ length: perRound }, (_, i) => r * perRound + i).flatMap((seq) =>
    keys.map((key) => ({ topic, key, id: `${key}-${seq}`, value: utf8.encode(JSON.stringify({ seq })) })),
  );
}

describe('PartitionHost with a paused node (real broker and PostgreSQL)', () => {
  it('moves the paused node’s partitions, refuses its late writes, and gives the partitions back when it wakes', async () => {
    const buses = [1, 2, 3].map((i) => kafkaBus({ brokers, clientId: `n${i}-${run}`, sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500 }));
    const [bus1, bus2, publisher] = buses as [ReturnType<typeof kafkaBus>, ReturnType<typeof kafkaBus>, ReturnType<typeof kafkaBus>];
    await publisher.ensureTopics([{ name: topic, partitions: 12 }]);
    const open = (idleInTransactionTimeoutMs: number) => openClusterDatabase({ connectionString: pgUrl!, schema, display: `pg:${schema}`, idleInTransactionTimeoutMs });
    const dbs: ClusterDatabase[] = [await open(1_500), await open(10_000)];
    const [db1, db2] = dbs as [ClusterDatabase, ClusterDatabase];
    const countEvents = async () => Number((await db2.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteSchema(schema)}.events`)).rows[0]!.n);
    let wake = () => {};
    let asleep: Promise<void> | undefined;
    const common = { topic, groupId, drop: async () => undefined, restore: async () => undefined };
    const hosts: PartitionHost[] = [];
    try {
      hosts.push(
        await startPartitionHost({
          ...common,
          nodeId: 'node-1',
          source: bus1,
          fencing: partitionFencing(db1),
          // the pause: every transaction of node-1 hangs open until it wakes
          apply: async (m, tx) => {
            await asleep;
            await apply(m, tx);
          },
        }),
        await startPartitionHost({ ...common, nodeId: 'node-2', source: bus2, fencing: partitionFencing(db2), apply }),
      );
      const [h1, h2] = hosts as [PartitionHost, PartitionHost];
      await until(() => h1.owned().size === 6 && h2.owned().size === 6, 'six partitions each');
      const home = [...h1.owned().keys()];
      asleep = new Promise<void>((resolve) => (wake = resolve));
      const pausedAt = performance.now();
      await publisher.publish(round(0));
      await until(() => h2.owned().size === 12, 'node-2 owns all 12 partitions', 120_000);
      const movedMs = performance.now() - pausedAt;
      await until(async () => (await countEvents()) === keys.length * perRound, 'round 0 applied by node-2');
      const appliedMs = performance.now() - pausedAt;
      wake();
      asleep = undefined;
      const wokeAt = performance.now();
      await until(() => h1.owned().size === 6 && h2.owned().size === 6, 'node-1 back with its six partitions', 120_000);
      const backMs = performance.now() - wokeAt;
      console.log(
        `paused node: partitions moved ${movedMs.toFixed(0)} ms after the pause (session timeout 6 s), round 0 applied after ${appliedMs.toFixed(0)} ms; node-1 had its partitions back ${backMs.toFixed(0)} ms after waking`,
      );
      expect([...h1.owned().keys()]).toEqual(home);
      await publisher.publish(round(1));
      await until(async () => (await countEvents()) === keys.length * perRound * 2, 'round 1 applied');

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
      // node-1's late transactions committed nothing: every message was applied once, by someone
      expect(h1.stats().applied + h2.stats().applied).toBe(keys.length * perRound * 2);
    } finally {
      wake();
      await Promise.all(hosts.map((h) => h.stop()));
      await Promise.all(buses.map((bus) => bus.close()));
      await Promise.all(dbs.map((db) => db.close()));
    }
  });
});
