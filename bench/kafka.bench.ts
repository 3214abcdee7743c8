// End-to-end events/s through the Kafka Bus adapter (publish in batches, consume in a group with
// commits) against Kafka's own producer benchmark (org.apache.kafka.tools.ProducerPerformance) on
// the same throw-away broker in the same run; prints both and their ratio (issue 8 "Speed",
// target >= 0.3x). Run: npm run -s bench kafka   (BENCH_KAFKA_N sets the message count)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BusMessage } from '../domain/ports/bus';
import { kafkaBus } from '../infra/bus/kafkaBus';

const N = Number(process.env.BENCH_KAFKA_N ?? 200_000);
const BATCH = 1_000;
const PARTITIONS = 4;
const RECORD_BYTES = 200;

interface Broker {
  readonly brokers: string;
}
interface Harness {
  start(stateFile: string): Promise<Broker>;
  stop(stateFile: string): Promise<void>;
  jars(): string;
}

/** scripts/kafka.cjs, checked at run time rather than cast */
function loadHarness(): Harness {
  const loaded: unknown = createRequire(__filename)('../scripts/kafka.cjs');
  if (typeof loaded !== 'object' || loaded === null) throw new Error('scripts/kafka.cjs exports nothing');
  const { start, stop, jars } = loaded as Record<string, unknown>;
  if (typeof start !== 'function' || typeof stop !== 'function' || typeof jars !== 'function') throw new Error('scripts/kafka.cjs lacks start/stop/jars');
  return {
    start: async (f) => {
      const b: unknown = await start(f);
      if (typeof b !== 'object' || b === null || !('brokers' in b) || typeof b.brokers !== 'string') throw new Error('kafka.start gave no brokers');
      return { brokers: b.brokers };
    },
    stop: async (f) => void (await stop(f)),
    jars: () => String(jars()),
  };
}

/** events/s through kafkaBus: a group consumer running first, then N messages published in batches */
async function adapterRate(brokers: string, topic: string): Promise<{ endToEnd: number; publish: number }> {
  const bus = kafkaBus({ brokers: [brokers], clientId: 'bench' });
  try {
    await bus.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
    let received = 0;
    const consumer = await bus.consume({
      groupId: `${topic}-g`,
      topics: [topic],
      fromBeginning: true,
      onMessage: async () => {
        received++;
      },
    });
    while ((consumer.assignment().get(topic) ?? []).length < PARTITIONS) await new Promise((r) => setTimeout(r, 20));
    const payload = randomBytes(RECORD_BYTES - 16);
    const t0 = performance.now();
    for (let sent = 0; sent < N; sent += BATCH) {
      const batch: BusMessage[] = [];
      for (let i = sent; i < Math.min(N, sent + BATCH); i++) batch.push({ topic, key: `k${i % 1000}`, id: `m${i}`, value: payload });
      await bus.publish(batch);
    }
    const published = performance.now();
    while (received < N) await new Promise((r) => setTimeout(r, 5));
    const done = performance.now();
    return { endToEnd: (N / (done - t0)) * 1000, publish: (N / (published - t0)) * 1000 };
  } finally {
    await bus.close();
  }
}

/** records/s of Kafka's own producer benchmark (acks=all, idempotent like ours) */
function producerPerformance(lib: string, brokers: string, topic: string): number {
  const args = ['-Xmx256m', '-cp', join(lib, '*'), 'org.apache.kafka.tools.ProducerPerformance', '--topic', topic];
  args.push('--num-records', String(N), '--record-size', String(RECORD_BYTES), '--throughput', '-1');
  args.push('--producer-props', `bootstrap.servers=${brokers}`, 'acks=all', 'enable.idempotence=true');
  const r = spawnSync('java', args, { encoding: 'utf8' });
  const summary = /(\d+) records sent, ([\d.]+) records\/sec/.exec(r.stdout.split('\n').filter(Boolean).pop() ?? '');
  if (r.status !== 0 || !summary) throw new Error(`ProducerPerformance failed (${r.status}): ${r.stderr}${r.stdout}`);
  return Number(summary[2]);
}

async function main(): Promise<void> {
  const harness = loadHarness();
  const state = join(__dirname, '..', '.cache', 'services', 'bench-kafka.json');
  const run = randomBytes(4).toString('hex');
  const { brokers } = await harness.start(state);
  try {
    const ours = await adapterRate(brokers, `bench-${run}-bus`);
    const setup = kafkaBus({ brokers: [brokers], clientId: 'bench-setup' });
    await setup.ensureTopics([{ name: `bench-${run}-perf`, partitions: PARTITIONS }]);
    await setup.close();
    const reference = producerPerformance(harness.jars(), brokers, `bench-${run}-perf`);
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
    process.stdout.write(`${N} messages of ${RECORD_BYTES} bytes, ${PARTITIONS} partitions, one broker (KRaft), acks=all\n`);
    process.stdout.write(`kafkaBus end to end (publish batches of ${BATCH} + group consume + commits): ${fmt(ours.endToEnd)} events/s\n`);
    process.stdout.write(`kafkaBus publish only:                                                   ${fmt(ours.publish)} events/s\n`);
    process.stdout.write(`Kafka ProducerPerformance (Java client, same broker):                    ${fmt(reference)} records/s\n`);
    const ratio = ours.endToEnd / reference;
    process.stdout.write(`ratio end to end / ProducerPerformance: ${ratio.toFixed(2)}x (target >= 0.3x: ${ratio >= 0.3 ? 'met' : 'NOT met'})\n`);
  } finally {
    await harness.stop(state);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
