/**
 * The simulated network: the Bus port over the virtual-time scheduler (ARCHITECTURE.md §6, §7).
 *
 * * Topics have a fixed partition count; a key goes to partition
 *   `(murmur2(utf8(key)) & 0x7fffffff) % partitions`, Kafka's default partitioner (`murmur2.ts`).
 * * Every handle carries a node id (`forNode`), so network cuts can isolate a producer or a
 *   consumer. The bus itself is the handle of node `'default'`.
 * * `publish` from a node is accepted by the bus after one seeded latency draw
 *   (`latency.baseMs + U[0, jitterMs]`); batches of one node are accepted in the order they were
 *   published, whatever the draws. Accepted messages are appended to their partition logs (offsets
 *   from 0) and the promise resolves at that virtual time.
 * * A record is delivered to a group's member no earlier than its append time plus another latency
 *   draw, one record at a time per partition (`consumerGroups.ts`), so per-partition order holds
 *   whatever the latency.
 * * Faults (`faults.ts`) are off unless the scenario passes them.
 */
import type { Bus, BusMessage, Consumer, ConsumerOptions, TopicSpec } from '../../domain/ports/bus';
import type { Random } from '../../domain/ports/random';
import type { Scheduler } from '../scheduler';
import { consumerGroupsOf } from './busConsumers';
import { type FaultConfig, faultLayer, noFaults } from './faults';
import type { PartitionLog } from './consumerGroups';
import { busProducersOf } from './busProducers';
import { partitionOfKey } from './murmur2';
import type { BusStats, BusTraceEntry, LatencyConfig, NetworkContext } from './networkContext';

export type { FaultConfig, NetworkCut } from './faults';
export type { BusStats, BusTraceEntry, LatencyConfig } from './networkContext';

/** Options of `simulatedBus` */
export interface SimulatedBusOptions {
  readonly scheduler: Scheduler;
  /** the bus forks `'latency'` and `'faults'` from it */
  readonly random: Random;
  /** default `{ baseMs: 1, jitterMs: 0 }` */
  readonly latency?: LatencyConfig;
  /** default `noFaults` */
  readonly faults?: FaultConfig;
  /** delay before a rejected message is delivered again; default 100 ms */
  readonly retryDelayMs?: number;
  /** receives every trace entry (keep it cheap: it runs on every append and delivery) */
  readonly onTrace?: (entry: BusTraceEntry) => void;
  /** sees every message a node publishes, before faults act on it (the leak scan reads payloads here) */
  readonly onPublish?: (nodeId: string, message: BusMessage) => void;
}

/** The simulated bus: the Bus port of node `'default'`, plus per-node handles and inspection */
export interface SimulatedBus extends Bus {
  /** the Bus port as seen from `nodeId` (its publishes and consumers carry that node id) */
  forNode(nodeId: string): Bus;
  /**
   * Kills the consumers of `nodeId` as a process crash would: they leave their groups at once, what
   * they were handling is not committed and goes to the new owners. Its pending publishes stay in
   * the network. Restart = `forNode(nodeId).consume(…)` again.
   */
  crashNode(nodeId: string): void;
  /** a snapshot of the counters */
  stats(): BusStats;
  /** the partition `key` maps to in `topic` */
  partitionOf(topic: string, key: string): number;
  /** the next offset to be appended to a partition */
  logEndOffset(topic: string, partition: number): bigint;
  /** the committed offset of a group on a partition (the next offset it will consume) */
  committedOffset(groupId: string, topic: string, partition: number): bigint | undefined;
}

function checkSpec(spec: TopicSpec): void {
  if (spec.name.length === 0) throw new RangeError('a topic needs a name');
  if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
    throw new RangeError(`topic ${spec.name}: partitions must be an integer >= 1, got ${spec.partitions}`);
  }
}

/** A deterministic in-process Bus driven by `scheduler` */
export function simulatedBus(options: SimulatedBusOptions): SimulatedBus {
  const scheduler = options.scheduler;
  const stats: BusStats = { published: 0, dropped: 0, duplicated: 0, appended: 0, delivered: 0, failed: 0, held: 0 };
  const ctx: NetworkContext = {
    scheduler,
    faults: faultLayer(options.faults ?? noFaults, options.random.fork('faults')),
    latency: options.latency ?? { baseMs: 1, jitterMs: 0 },
    latencyRandom: options.random.fork('latency'),
    retryDelayMs: options.retryDelayMs ?? 100,
    stats,
    trace: options.onTrace,
  };
  const { baseMs, jitterMs } = ctx.latency;
  if (!(baseMs >= 0 && Number.isFinite(baseMs) && Number.isSafeInteger(jitterMs) && jitterMs >= 0)) {
    throw new RangeError(`latency needs a finite baseMs >= 0 and an integer jitterMs >= 0, got ${baseMs}, ${jitterMs}`);
  }
  const topics = new Map<string, PartitionLog[]>();
  let closed = false;

  const logsOf = (topic: string): PartitionLog[] => {
    const logs = topics.get(topic);
    if (logs === undefined) throw new Error(`unknown topic ${topic}: call ensureTopics first`);
    return logs;
  };
  const groups = consumerGroupsOf(ctx, logsOf);

  const producers = busProducersOf(ctx, logsOf, (cursor) => groups.wake(cursor));

  async function publish(nodeId: string, messages: readonly BusMessage[]): Promise<void> {
    if (closed) throw new Error('bus is closed');
    if (options.onPublish !== undefined) for (const m of messages) options.onPublish(nodeId, m);
    return producers.publish(nodeId, messages);
  }

  async function ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    if (closed) throw new Error('bus is closed');
    // Check every spec before creating any, so a refused call creates nothing.
    const wanted = new Map<string, number>();
    for (const spec of specs) {
      checkSpec(spec);
      const existing = topics.get(spec.name)?.length ?? wanted.get(spec.name);
      if (existing !== undefined && existing !== spec.partitions) {
        throw new Error(`topic ${spec.name} exists with ${existing} partitions, not ${spec.partitions}`);
      }
      wanted.set(spec.name, spec.partitions);
    }
    for (const spec of specs) {
      if (!topics.has(spec.name)) {
        topics.set(spec.name, Array.from({ length: spec.partitions }, () => ({ records: [], cursors: [] })));
      }
    }
  }

  function handle(nodeId: string, stopAllOnClose: boolean): Bus {
    return {
      ensureTopics,
      publish: (messages) => publish(nodeId, messages),
      async consume(consumerOptions: ConsumerOptions): Promise<Consumer> {
        if (closed) throw new Error('bus is closed');
        return groups.join(nodeId, consumerOptions);
      },
      async close() {
        if (stopAllOnClose) closed = true;
        await groups.stopAll(stopAllOnClose ? undefined : nodeId);
      },
    };
  }

  return {
    ...handle('default', true),
    forNode: (nodeId) => handle(nodeId, false),
    crashNode: (nodeId) => groups.crash(nodeId),
    stats: () => ({ ...stats }),
    partitionOf: (topic, key) => partitionOfKey(key, logsOf(topic).length),
    logEndOffset: (topic, partition) => BigInt(logsOf(topic)[partition]?.records.length ?? 0),
    committedOffset: (groupId, topic, partition) => groups.committed(groupId, topic, partition),
  };
}
