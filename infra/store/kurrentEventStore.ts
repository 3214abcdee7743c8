/**
 * EventStoreDB / KurrentDB EventStore over the official client (`@kurrent/kurrentdb-client`),
 * kept thin: the server does the optimistic concurrency, the ordering and the live delivery.
 *
 * One ledger per stream-name prefix (`?ledger=NAME`, default `phalanet`): our stream `chain` is
 * KurrentDB's `phalanet:chain`, and every read of `$all` filters on that prefix server-side, so
 * system events (`$…` streams and types) and other ledgers are never seen. Positions: see
 * `kurrentMapping.ts`. Needs a server ≥ 22.6 (events read from a stream carry their position).
 */
import { BACKWARDS, END, FORWARDS, KurrentDBClient, START, binaryEvent, streamNameFilter } from '@kurrent/kurrentdb-client';
import type { AllRange, EventData, RecordedEvent, StreamRange, Subscription, SubscribeOptions } from '../../domain/ports/eventStore';
import { CorruptRecord, StoreUnavailable } from '../../domain/ports/eventStoreErrors';
import { assertAppendable } from './eventRows';
import type { InspectableEventStore } from './inspectable';
import { streamBounds } from './inspectable';
import { decodeKurrentRecord, encodeEnvelope, kurrentFailure, packPosition, resumePosition, toStreamState } from './kurrentMapping';

/** Where and how to connect (see `StoreUrl`). */
export interface KurrentEventStoreOptions {
  /** the client's connection string (`kurrentdb://…`, `esdb://…`, `…+discover://…`) */
  readonly connectionString: string;
  /** stream-name prefix of this ledger (a plain identifier) */
  readonly ledger: string;
  /** the URL without password, for `url` and messages */
  readonly display: string;
  /** `false`: refuse a ledger without any event (nothing else marks a KurrentDB ledger as existing) */
  readonly create?: boolean;
}

type Client = KurrentDBClient;

/** Marks an error thrown by the subscriber's `onEvent`, so that it is not taken for the client's. */
class HandlerFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('onEvent failed');
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'type' in error && error.type === 'stream-not-found';
}

async function* ledgerEvents(client: Client, prefix: string, afterPosition: bigint, display: string) {
  const from = resumePosition(afterPosition);
  const filter = streamNameFilter({ prefixes: [prefix] });
  try {
    for await (const resolved of client.readAll({ fromPosition: from ?? START, filter, direction: FORWARDS })) {
      if (resolved.event === undefined) continue;
      const event = decodeKurrentRecord(resolved.event, prefix);
      if (event.globalPosition > afterPosition) yield event;
    }
  } catch (error) {
    throw kurrentFailure(error, `${display}: read all`);
  }
}

async function headOf(client: Client, prefix: string, display: string, what = 'head position'): Promise<bigint> {
  try {
    const filter = streamNameFilter({ prefixes: [prefix] });
    for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1, filter })) {
      if (resolved.event !== undefined) return packPosition(resolved.event.position) ?? 0n;
    }
    return 0n;
  } catch (error) {
    throw kurrentFailure(error, `${display}: ${what}`);
  }
}

async function versionOf(client: Client, stream: string, display: string): Promise<number | undefined> {
  try {
    for await (const resolved of client.readStream(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 })) {
      if (resolved.event !== undefined) return Number(resolved.event.revision);
    }
    return undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw kurrentFailure(error, `${display}: stream version`);
  }
}

/**
 * Catch up from `afterPosition` then stay live (one `subscribeToAll`). `caughtUp` resolves once
 * the head read at the start has been delivered (or at once if there is nothing after it).
 */
function subscribe(client: Client, prefix: string, display: string, options: SubscribeOptions): Subscription {
  const after = options.afterPosition ?? 0n;
  const from = resumePosition(after);
  const subscription = client.subscribeToAll({ fromPosition: from ?? START, filter: streamNameFilter({ prefixes: [prefix] }) });
  let stopped = false;
  let reachedHead: () => void = () => undefined;
  let failCaughtUp: (error: unknown) => void = () => undefined;
  const caughtUp = new Promise<void>((resolve, reject) => {
    reachedHead = resolve;
    failCaughtUp = reject;
  });
  const run = (async () => {
    const head = await headOf(client, prefix, display);
    if (head <= after) reachedHead();
    for await (const resolved of subscription) {
      if (stopped) return;
      if (resolved.event === undefined) continue;
      const event = decodeKurrentRecord(resolved.event, prefix);
      if (event.globalPosition <= after) continue;
      try {
        await options.onEvent(event);
      } catch (error) {
        throw new HandlerFailure(error);
      }
      if (event.globalPosition >= head) reachedHead();
    }
  })().catch((error: unknown) => {
    if (stopped) return;
    stopped = true;
    // the subscriber's own failure is reported as it is; only the client's errors are mapped
    const failure =
      error instanceof HandlerFailure ? error.cause : kurrentFailure(error, `${display}: subscription`);
    failCaughtUp(failure);
    options.onError?.(failure);
    void subscription.unsubscribe().catch(() => undefined);
  });
  return {
    caughtUp,
    async stop() {
      stopped = true;
      await subscription.unsubscribe().catch(() => undefined);
      await run;
    },
  };
}

/** Connects and checks the server (and with `create: false`, that the ledger has events). */
export async function kurrentEventStore(options: KurrentEventStoreOptions): Promise<InspectableEventStore> {
  const { display } = options;
  const prefix = `${options.ledger}:`;
  let client: Client;
  try {
    client = KurrentDBClient.connectionString(options.connectionString);
  } catch (error) {
    throw new StoreUnavailable(`${display}: ${String(error)}`, false);
  }
  const head = await headOf(client, prefix, display, 'connect').catch(async (error: unknown) => {
    await client.dispose().catch(() => undefined);
    throw error;
  });
  if (head === 0n && options.create === false) {
    await client.dispose().catch(() => undefined);
    throw new StoreUnavailable(`${display} holds no phalanet ledger "${options.ledger}" (no stream named ${prefix}…)`, false);
  }
  const subscriptions = new Set<Subscription>();
  let closed = false;
  return {
    url: display,
    async append(stream: string, events: readonly EventData[], expected) {
      assertAppendable(stream, events, expected);
      const records = events.map((e) =>
        binaryEvent({ type: e.type, data: e.data, metadata: encodeEnvelope(e.schemaVersion, e.metadata) }),
      );
      try {
        const result = await client.appendToStream(prefix + stream, records, { streamState: toStreamState(expected) });
        const globalPosition = result.position === undefined ? undefined : packPosition(result.position);
        if (globalPosition === undefined) throw new StoreUnavailable(`${display}: append gave no log position`, false);
        return { version: Number(result.nextExpectedRevision), globalPosition };
      } catch (error) {
        throw kurrentFailure(error, `${display}: append to ${stream}`, stream, expected);
      }
    },
    streamVersion: (stream) => versionOf(client, prefix + stream, display),
    readStream: async function* (stream: string, range?: StreamRange) {
      const { from, to, maxCount } = streamBounds(range);
      const count = Math.min(maxCount, to - from + 1);
      if (count <= 0) return;
      try {
        let next = from;
        for await (const resolved of client.readStream(prefix + stream, { fromRevision: BigInt(from), maxCount: count })) {
          if (resolved.event === undefined) continue;
          const event: RecordedEvent = decodeKurrentRecord(resolved.event, prefix);
          if (event.version !== next) throw new CorruptRecord(stream, next, `missing (found version ${event.version} next)`);
          next++;
          yield event;
        }
      } catch (error) {
        if (isNotFound(error)) return;
        throw kurrentFailure(error, `${display}: read ${stream}`);
      }
    },
    readAll: async function* (range: AllRange = {}) {
      let left = range.maxCount ?? Number.MAX_SAFE_INTEGER;
      if (left <= 0) return;
      for await (const event of ledgerEvents(client, prefix, range.afterPosition ?? 0n, display)) {
        yield event;
        if (--left <= 0) return;
      }
    },
    subscribeAll(subscribeOptions) {
      const subscription = subscribe(client, prefix, display, subscribeOptions);
      subscriptions.add(subscription);
      return subscription;
    },
    headPosition: () => headOf(client, prefix, display),
    /** a full scan of the ledger: KurrentDB keeps no per-prefix counts */
    async stats() {
      const streams = new Set<string>();
      let events = 0;
      for await (const event of ledgerEvents(client, prefix, 0n, display)) {
        streams.add(event.streamId);
        events++;
      }
      return { streams: streams.size, events };
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await client.dispose();
    },
  };
}
