/**
 * The Bus contract on a real Apache Kafka broker (started by scripts/services.mjs under
 * `npm test`, or by the int tier's jest globalSetup when run alone), plus what only the Kafka
 * adapter has: the dead-letter topic, the refusal of a partition-count mismatch, redelivery
 * while other partitions flow, and the partitioner agreeing with the simulated bus. Topic and
 * group names are unique per run. Never skipped: without a broker this file fails with the reason.
 */
import { randomBytes } from 'node:crypto';
import { type Bus, type DeliveredMessage, Undecodable } from '../domain/ports/bus';
import { DEAD_LETTER_HEADERS, KafkaBusError, type KafkaBusOptions, kafkaBus } from '../infra/bus/kafkaBus';
import { partitionOfKey } from '../simulations/network/murmur2';
import { busContract } from './bus.contract';

jest.setTimeout(120_000);

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
const run = randomBytes(4).toString('hex');
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  if (!brokers) {
    throw new Error(
      `no Kafka broker for the int tests: PHALANET_TEST_KAFKA_BROKERS is unset and the globalSetup could not start one (${process.env.PHALANET_TEST_KAFKA_ERROR ?? 'no reason given'})`,
    );
  }
});

const open = (extra: Partial<KafkaBusOptions> = {}): Bus => kafkaBus({ brokers: (brokers ?? '').split(','), clientId: `test-${run}`, ...extra });

busContract(
  'Kafka',
  async () => ({
    bus: open(),
    advance: (ms: number) => sleep(ms),
    settle: () => new Promise<void>((resolve) => setImmediate(resolve)),
  }),
  { timeoutMs: 60_000, stepMs: 25, namePrefix: `kafka-${run}` },
);

let names = 0;
const unique = (label: string) => `kafka-${run}-x${++names}-${label}`;
const utf8 = new TextEncoder();
const msg = (topic: string, key: string, id: string) => ({ topic, key, id, value: utf8.encode(id) });

async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`not true after ${timeoutMs} ms: ${what}`);
    await sleep(25);
  }
}

async function withBus(body: (bus: Bus) => Promise<void>, extra: Partial<KafkaBusOptions> = {}): Promise<void> {
  const bus = open(extra);
  try {
    await body(bus);
  } finally {
    await bus.close();
  }
}

describe('Kafka bus adapter', () => {
  it('refuses a partition-count mismatch, naming both counts, as a non-retriable error', () =>
    withBus(async (bus) => {
      const topic = unique('mismatch');
      await bus.ensureTopics([{ name: topic, partitions: 3 }]);
      const refused = bus.ensureTopics([{ name: topic, partitions: 5 }]);
      await expect(refused).rejects.toThrow(`topic ${topic} exists with 3 partitions, asked for 5 partitions`);
      await expect(refused).rejects.toBeInstanceOf(KafkaBusError);
      await expect(refused).rejects.toMatchObject({ retriable: false });
    }));

  it('puts keys on the partitions the simulated bus computes (murmur2)', () =>
    withBus(async (bus) => {
      const topic = unique('murmur');
      await bus.ensureTopics([{ name: topic, partitions: 7 }]);
      const got: DeliveredMessage[] = [];
      await bus.consume({ groupId: unique('g'), topics: [topic], fromBeginning: true, onMessage: async (m) => void got.push(m) });
      const keys = ['alice', 'bob', 'carol', 'worker-0x01', 'pool/42', '', 'ünïcødé'];
      await bus.publish(keys.map((k, i) => msg(topic, k, `m${i}`)));
      await until(() => got.length === keys.length, 'all delivered');
      for (const m of got) expect(m.partition).toBe(partitionOfKey(m.key, 7));
      expect(new Set(got.map((m) => m.partition)).size).toBeGreaterThan(2);
    }));

  it('dead-letters an undecodable message with its source and reason, commits it, and goes on', async () => {
    const deadLetterTopic = unique('dead-letter');
    await withBus(
      async (bus) => {
        const topic = unique('poison');
        const groupId = unique('g');
        await bus.ensureTopics([{ name: topic, partitions: 1 }]);
        const handled: string[] = [];
        const first = await bus.consume({
          groupId,
          topics: [topic],
          fromBeginning: true,
          onMessage: async (m) => {
            if (m.id === 'bad') throw new Undecodable('not SCALE: truncated input');
            handled.push(m.id);
          },
        });
        await bus.publish([msg(topic, 'k', 'ok0'), { ...msg(topic, 'k', 'bad'), headers: { kind: 'Extrinsic' } }, msg(topic, 'k', 'ok1')]);
        await until(() => handled.length === 2, 'the good ones handled');
        expect(handled).toEqual(['ok0', 'ok1']);
        const dead: DeliveredMessage[] = [];
        await bus.consume({ groupId: unique('dl'), topics: [deadLetterTopic], fromBeginning: true, onMessage: async (m) => void dead.push(m) });
        await until(() => dead.length === 1, 'the dead letter arrived');
        expect(dead[0]).toMatchObject({ id: 'bad', key: 'k', topic: deadLetterTopic });
        expect(dead[0]?.headers).toEqual({
          kind: 'Extrinsic',
          [DEAD_LETTER_HEADERS.topic]: topic,
          [DEAD_LETTER_HEADERS.partition]: '0',
          [DEAD_LETTER_HEADERS.offset]: '1',
          [DEAD_LETTER_HEADERS.reason]: 'not SCALE: truncated input',
          [DEAD_LETTER_HEADERS.group]: groupId,
        });
        // committed: the group resumes after it
        await first.stop();
        const again: string[] = [];
        await bus.publish([msg(topic, 'k', 'ok2')]);
        await bus.consume({ groupId, topics: [topic], fromBeginning: true, onMessage: async (m) => void again.push(m.id) });
        await until(() => again.length === 1, 'the group resumed');
        await sleep(500);
        expect(again).toEqual(['ok2']);
      },
      { deadLetterTopic },
    );
  });

  it('redelivers after handler failures while the other partitions flow, and commits only what succeeded', () =>
    withBus(
      async (bus) => {
        const topic = unique('redeliver');
        const groupId = unique('g');
        await bus.ensureTopics([{ name: topic, partitions: 2 }]);
        // two keys on different partitions
        const [stuck, free] = ['a', 'b', 'c', 'd', 'e'].reduce<[string, string]>(
          (found, k) => (partitionOfKey(k, 2) === partitionOfKey(found[0], 2) ? found : [found[0], k]),
          ['a', 'a'],
        );
        expect(partitionOfKey(stuck, 2)).not.toBe(partitionOfKey(free, 2));
        let failuresLeft = 3;
        const attempts: string[] = [];
        const handled: string[] = [];
        const consumer = await bus.consume({
          groupId,
          topics: [topic],
          fromBeginning: true,
          onMessage: async (m) => {
            attempts.push(m.id);
            if (m.id === 's1' && failuresLeft-- > 0) throw new Error('not yet');
            handled.push(m.id);
          },
        });
        await bus.publish([msg(topic, stuck, 's0'), msg(topic, stuck, 's1'), msg(topic, stuck, 's2')]);
        await until(() => attempts.filter((id) => id === 's1').length >= 2, 's1 retried');
        await bus.publish([msg(topic, free, 'f0'), msg(topic, free, 'f1')]);
        await until(() => handled.includes('f1'), 'the other partition flows');
        await until(() => handled.includes('s2'), 's2 handled at last');
        expect(attempts.filter((id) => id === 's1')).toEqual(['s1', 's1', 's1', 's1']);
        expect(handled.filter((id) => id.startsWith('s'))).toEqual(['s0', 's1', 's2']);
        await consumer.stop();
        const replay: string[] = [];
        await bus.publish([msg(topic, stuck, 's3')]);
        await bus.consume({ groupId, topics: [topic], fromBeginning: true, onMessage: async (m) => void replay.push(m.id) });
        await until(() => replay.length === 1, 'the group resumed');
        await sleep(500);
        expect(replay).toEqual(['s3']);
      },
      { redeliveryBackoffMs: 200 },
    ));
});
