/**
 * In-process EventStore: for tests and simulations that need no ledger on disk. Rows are kept in
 * the stored form (bytes copied in, metadata as JSON) and decoded on the way out, so this adapter
 * fails on a corrupt row exactly like the durable ones and passes the same contract suite.
 */
import type { AllRange, EventData, ExpectedVersion, RecordedEvent, StreamRange } from '../../domain/ports/eventStore';
import { assertAppendable, checkExpectedVersion, decodeEventRow, encodeMetadata, type RawEventRow } from './eventRows';
import { type InspectableEventStore, streamBounds } from './inspectable';
import { pollingSubscription, subscriptionSet, wakeSignal } from './pollingSubscription';

/** A stored row; mutable only so that tests can corrupt one on purpose. */
export interface MemoryRow extends RawEventRow {
  globalPosition: unknown;
  streamId: unknown;
  version: unknown;
  type: unknown;
  schemaVersion: unknown;
  data: unknown;
  metadata: unknown;
}

/** Options: `rows` lets a test hold the backing array (index = global position − 1). */
export interface MemoryEventStoreOptions {
  readonly rows?: MemoryRow[];
}

function copyOut(event: RecordedEvent): RecordedEvent {
  return { ...event, data: event.data.slice(), metadata: { ...event.metadata } };
}

/** Creates an empty in-memory store (or one over the given rows). */
export function memoryEventStore(options: MemoryEventStoreOptions = {}): InspectableEventStore {
  const rows = options.rows ?? [];
  const streams = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const id = String(row.streamId);
    streams.set(id, [...(streams.get(id) ?? []), index]);
  });
  const wake = wakeSignal();
  const subscriptions = subscriptionSet();
  let closed = false;
  const assertOpen = () => {
    if (closed) throw new Error('memory event store: used after close()');
  };
  const decodeAt = (index: number) => copyOut(decodeEventRow(rows[index]!));

  const readAll = async function* (range: AllRange = {}): AsyncIterable<RecordedEvent> {
    assertOpen();
    const start = Number(range.afterPosition ?? 0n);
    const end = Math.min(rows.length, start + (range.maxCount ?? Number.MAX_SAFE_INTEGER));
    for (let index = start; index < end; index++) yield decodeAt(index);
  };

  const readBatch = async (afterPosition: bigint, maxCount: number) => {
    const batch: RecordedEvent[] = [];
    for await (const event of readAll({ afterPosition, maxCount })) batch.push(event);
    return batch;
  };

  return {
    url: 'memory:',
    async append(stream: string, events: readonly EventData[], expected: ExpectedVersion) {
      assertOpen();
      assertAppendable(stream, events, expected);
      const indexes = streams.get(stream) ?? [];
      checkExpectedVersion(stream, expected, indexes.length === 0 ? undefined : indexes.length - 1);
      for (const event of events) {
        indexes.push(rows.length);
        rows.push({
          globalPosition: rows.length + 1,
          streamId: stream,
          version: indexes.length - 1,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data.slice(),
          metadata: encodeMetadata(event.metadata),
        });
      }
      streams.set(stream, indexes);
      wake.notify();
      return { version: indexes.length - 1, globalPosition: BigInt(rows.length) };
    },
    async streamVersion(stream) {
      assertOpen();
      const length = streams.get(stream)?.length ?? 0;
      return length === 0 ? undefined : length - 1;
    },
    readStream: async function* (stream: string, range?: StreamRange) {
      assertOpen();
      const { from, to, maxCount } = streamBounds(range);
      const indexes = streams.get(stream) ?? [];
      const end = Math.min(indexes.length - 1, to, from + maxCount - 1);
      for (let version = from; version <= end; version++) yield decodeAt(indexes[version]!);
    },
    readAll,
    subscribeAll: (subscribe) =>
      subscriptions.add(
        // appends here always notify, so the poll interval only bounds a missed wake-up
        pollingSubscription({ readBatch, headPosition: async () => BigInt(rows.length), wake }, subscribe, {
          pollIntervalMs: 1000,
        }),
      ),
    async headPosition() {
      assertOpen();
      return BigInt(rows.length);
    },
    async stats() {
      return { streams: streams.size, events: rows.length };
    },
    async close() {
      await subscriptions.stopAll();
      closed = true;
    },
  };
}
