/**
 * The producer side of the simulated bus: acceptance of published batches (per node, in order),
 * the fault decisions on acceptance, and appends to partition logs.
 */
import type { BusMessage } from '../../domain/ports/bus';
import type { Random } from '../../domain/ports/random';
import type { ProducerFaults } from './faults';
import type { Cursor, PartitionLog } from './consumerGroups';
import { partitionOfKey } from './murmur2';
import { copyMessage, drawLatencyMs, type NetworkContext } from './networkContext';

interface PendingBatch {
  readonly messages: readonly BusMessage[];
  readonly resolve: () => void;
}

interface Producer {
  /** batches waiting for acceptance, oldest at `head` (an index, because Array#shift is O(n)) */
  readonly queue: Array<PendingBatch | undefined>;
  head: number;
  /** the latest acceptance time scheduled, so batches of one node stay in order */
  lastAtMs: number;
  /** this node's own latency stream and fault streams */
  readonly latency: Random;
  readonly faults: ProducerFaults;
}

/** The producers of one simulated bus */
export interface BusProducers {
  /** resolves when the bus has accepted the batch (virtual time); rejects for an unknown topic */
  publish(nodeId: string, messages: readonly BusMessage[]): Promise<void>;
}

/** Producers appending to the logs `logsOf` returns; `wake` is told of every append */
export function busProducersOf(
  ctx: NetworkContext,
  logsOf: (topic: string) => PartitionLog[],
  wake: (cursor: Cursor) => void,
): BusProducers {
  const producers = new Map<string, Producer>();

  function append(nodeId: string, message: BusMessage, partition: number, copy: boolean): void {
    const log = logsOf(message.topic)[partition]!;
    const offset = BigInt(log.records.length);
    const atMs = ctx.scheduler.now();
    log.records.push({ message, partition, offset, appendedAtMs: atMs, fromNode: nodeId });
    ctx.stats.appended += 1;
    ctx.trace?.({ kind: 'appended', atMs, topic: message.topic, partition, offset, messageId: message.id, nodeId, copy });
    for (const cursor of log.cursors) wake(cursor);
  }

  function accept(nodeId: string, producer: Producer, message: BusMessage): void {
    const decision = producer.faults.onAccept();
    const now = ctx.scheduler.now();
    if (decision.drop) {
      ctx.stats.dropped += 1;
      ctx.trace?.({ kind: 'dropped', atMs: now, topic: message.topic, messageId: message.id, nodeId });
      return;
    }
    const partition = partitionOfKey(message.key, logsOf(message.topic).length);
    const appendAtMs = now + decision.appendDelayMs;
    if (decision.appendDelayMs > 0) ctx.scheduler.schedule(appendAtMs, () => append(nodeId, message, partition, false), 'reordered append');
    else append(nodeId, message, partition, false);
    if (decision.duplicateAfterMs !== undefined) {
      ctx.stats.duplicated += 1;
      ctx.scheduler.schedule(appendAtMs + decision.duplicateAfterMs, () => append(nodeId, message, partition, true), 'duplicate append');
    }
  }

  function acceptNext(nodeId: string, producer: Producer): void {
    const until = ctx.faults.isolatedUntil(nodeId, ctx.scheduler.now());
    if (until !== undefined) {
      ctx.stats.held += 1;
      ctx.trace?.({ kind: 'held', atMs: ctx.scheduler.now(), untilMs: until, nodeId, topic: null });
      producer.lastAtMs = Math.max(producer.lastAtMs, until);
      ctx.scheduler.schedule(until, () => acceptNext(nodeId, producer), `held publish of ${nodeId}`);
      return;
    }
    // Whichever of this node's acceptance tasks runs first takes the oldest batch: FIFO per node.
    const batch = producer.queue[producer.head]!;
    producer.queue[producer.head] = undefined;
    producer.head += 1;
    if (producer.head >= 1024 && producer.head * 2 >= producer.queue.length) {
      producer.queue.splice(0, producer.head);
      producer.head = 0;
    }
    for (const message of batch.messages) accept(nodeId, producer, message);
    batch.resolve();
  }

  async function publish(nodeId: string, messages: readonly BusMessage[]): Promise<void> {
    for (const m of messages) logsOf(m.topic);
    if (messages.length === 0) return;
    ctx.stats.published += messages.length;
    let producer = producers.get(nodeId);
    if (producer === undefined) {
      const latency = ctx.latencyRandom.fork('publish').fork(nodeId);
      producer = { queue: [], head: 0, lastAtMs: ctx.scheduler.now(), latency, faults: ctx.faults.producer(nodeId) };
      producers.set(nodeId, producer);
    }
    const owned = messages.map(copyMessage);
    const atMs = Math.max(ctx.scheduler.now() + drawLatencyMs(ctx.latency, producer.latency), producer.lastAtMs);
    producer.lastAtMs = atMs;
    const accepted = new Promise<void>((resolve) => producer.queue.push({ messages: owned, resolve }));
    ctx.scheduler.schedule(atMs, () => acceptNext(nodeId, producer), 'publish acceptance');
    return accepted;
  }

  return { publish };
}
