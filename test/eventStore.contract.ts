/**
 * The EventStore contract (STYLE.md "one contract suite per port", Emmett's `features.ts`): every
 * adapter runs exactly these cases through its own harness.
 */
import type { EventData, EventStore, RecordedEvent, Subscription } from '../domain/ports/eventStore';
import { CorruptRecord, WrongExpectedVersion } from '../domain/ports/eventStoreErrors';
import type { InspectableEventStore } from '../infra/store/inspectable';

/** Ways a harness can damage one stored row. */
export type Corruption = 'metadata-not-json' | 'negative-version' | 'data-not-bytes';

/** What an adapter's test file provides. */
export interface ContractHarness {
  /** a fresh, empty store */
  open(): Promise<InspectableEventStore>;
  /** another handle (its own connection) on the same store; closed by the suite */
  secondHandle(store: EventStore): Promise<EventStore>;
  /** damages the stored row of `stream` at `version` */
  corrupt(store: EventStore, stream: string, version: number, kind: Corruption): Promise<void>;
  /** label for the measured rates */
  readonly name: string;
}

const text = new TextEncoder();
/** A small event whose data names it. */
export const event = (label: string, metadata?: Record<string, string>): EventData => ({
  type: 'Happened',
  schemaVersion: 1,
  data: text.encode(label),
  ...(metadata ? { metadata } : {}),
});
const label = (e: RecordedEvent) => new TextDecoder().decode(e.data);

/** Collects an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Expects `promise` to reject with an error of `type`, and returns that error. */
export async function rejection<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** A subscriber that records events and resolves `until(n)` once it has n of them. */
export function collector() {
  const events: RecordedEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    events,
    onEvent(e: RecordedEvent) {
      events.push(e);
      for (const w of waiters.filter((w) => events.length >= w.n)) w.resolve();
    },
    until(n: number): Promise<void> {
      if (events.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
  };
}

/** Registers the whole contract for one adapter. */
export function eventStoreContract(harness: ContractHarness): void {
  let store: InspectableEventStore;
  beforeEach(async () => {
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
  });
  describe('append and read', () => appendAndRead(() => store));
  describe('expected versions', () => expectedVersions(() => store));
  describe('concurrent appenders', () => concurrentAppenders(() => store, harness));
  describe('subscriptions', () => subscriptions(() => store, harness));
  describe('sizes', () => sizes(() => store, harness));
  describe('corrupt rows', () => corruptRows(() => store, harness));
}

function appendAndRead(get: () => InspectableEventStore): void {
  it('appends events and reads them back with versions from 0 and increasing global positions', async () => {
    const store = get();
    expect(await store.headPosition()).toBe(0n);
    expect(await store.streamVersion('a')).toBeUndefined();
    const first = await store.append('a', [event('a0', { correlation: 'c1' }), event('a1')], 'no-stream');
    expect(first.version).toBe(1);
    await store.append('b', [event('b0')], 'no-stream');
    const last = await store.append('a', [event('a2')], 1);
    expect(last.version).toBe(2);
    expect(last.globalPosition).toBeGreaterThan(first.globalPosition);
    const a = await collect(store.readStream('a'));
    expect(a.map(label)).toEqual(['a0', 'a1', 'a2']);
    expect(a.map((e) => e.version)).toEqual([0, 1, 2]);
    expect(a[0]).toMatchObject({ streamId: 'a', type: 'Happened', schemaVersion: 1, metadata: { correlation: 'c1' } });
    expect(a[1]!.metadata).toEqual({});
    expect(await store.streamVersion('a')).toBe(2);
    expect(await store.headPosition()).toBe(last.globalPosition);
    expect(await store.stats()).toEqual({ streams: 2, events: 4 });
  });

  it('reads one stream between bounds (inclusive), with a maximum count', async () => {
    const store = get();
    await store.append('s', Array.from({ length: 10 }, (_, i) => event(`s${i}`)), 'no-stream');
    const versions = async (range: Parameters<EventStore['readStream']>[1]) =>
      (await collect(store.readStream('s', range))).map((e) => e.version);
    expect(await versions({ fromVersion: 3, toVersion: 6 })).toEqual([3, 4, 5, 6]);
    expect(await versions({ toVersion: 2 })).toEqual([0, 1, 2]);
    expect(await versions({ fromVersion: 8 })).toEqual([8, 9]);
    expect(await versions({ fromVersion: 2, maxCount: 3 })).toEqual([2, 3, 4]);
    expect(await versions({ fromVersion: 10 })).toEqual([]);
    expect(await collect(store.readStream('nothing'))).toEqual([]);
  });

  it('reads everything in global order from a checkpoint (exclusive)', async () => {
    const store = get();
    for (let i = 0; i < 5; i++) {
      await store.append('x', [event(`x${i}`)], i === 0 ? 'no-stream' : i - 1);
      await store.append('y', [event(`y${i}`)], i === 0 ? 'no-stream' : i - 1);
    }
    const all = await collect(store.readAll());
    expect(all.map(label)).toEqual(['x0', 'y0', 'x1', 'y1', 'x2', 'y2', 'x3', 'y3', 'x4', 'y4']);
    const positions = all.map((e) => e.globalPosition);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    const after = await collect(store.readAll({ afterPosition: all[3]!.globalPosition }));
    expect(after.map(label)).toEqual(['x2', 'y2', 'x3', 'y3', 'x4', 'y4']);
    const some = await collect(store.readAll({ afterPosition: all[3]!.globalPosition, maxCount: 2 }));
    expect(some.map(label)).toEqual(['x2', 'y2']);
    expect(await collect(store.readAll({ afterPosition: all[9]!.globalPosition }))).toEqual([]);
  });

  it('keeps its own copy of the data', async () => {
    const store = get();
    const data = new Uint8Array([1, 2, 3]);
    await store.append('copy', [{ type: 'T', schemaVersion: 0, data }], 'no-stream');
    data[0] = 9;
    const [read] = await collect(store.readStream('copy'));
    expect([...read!.data]).toEqual([1, 2, 3]);
  });
}

function expectedVersions(get: () => InspectableEventStore): void {
  const conflict = async (run: () => Promise<unknown>, stream: string, expected: string, actual: number | undefined) => {
    const store = get();
    const head = await store.headPosition();
    const version = await store.streamVersion(stream);
    const error = await rejection(run(), WrongExpectedVersion);
    expect(error).toMatchObject({ stream, expected, actual, retriable: false });
    // nothing written
    expect(await store.headPosition()).toBe(head);
    expect(await store.streamVersion(stream)).toBe(version);
  };

  it("'no-stream' accepts a new stream and rejects an existing one", async () => {
    const store = get();
    await store.append('s', [event('0')], 'no-stream');
    await conflict(() => store.append('s', [event('1'), event('2')], 'no-stream'), 's', 'no-stream', 0);
  });
  it("'stream-exists' rejects a missing stream and accepts an existing one", async () => {
    const store = get();
    await conflict(() => store.append('s', [event('0')], 'stream-exists'), 's', 'stream-exists', undefined);
    await store.append('s', [event('0')], 'any');
    expect((await store.append('s', [event('1')], 'stream-exists')).version).toBe(1);
  });
  it('an exact version must match the last event', async () => {
    const store = get();
    await conflict(() => store.append('s', [event('0')], 0), 's', '0', undefined);
    await store.append('s', [event('0'), event('1')], 'no-stream');
    await conflict(() => store.append('s', [event('x')], 0), 's', '0', 1);
    await conflict(() => store.append('s', [event('x')], 2), 's', '2', 1);
    expect((await store.append('s', [event('2')], 1)).version).toBe(2);
  });
  it("'any' appends whatever the state", async () => {
    const store = get();
    expect((await store.append('s', [event('0')], 'any')).version).toBe(0);
    expect((await store.append('s', [event('1')], 'any')).version).toBe(1);
    expect((await collect(store.readStream('s'))).map(label)).toEqual(['0', '1']);
  });
}

function concurrentAppenders(get: () => InspectableEventStore, harness: ContractHarness): void {
  it('two handles appending to a new stream at once: exactly one wins, the other gets the typed conflict', async () => {
    const store = get();
    const other = await harness.secondHandle(store);
    try {
      for (let round = 0; round < 10; round++) {
        const stream = `race-${round}`;
        const results = await Promise.allSettled([
          store.append(stream, [event('one'), event('one')], 'no-stream'),
          other.append(stream, [event('two')], 'no-stream'),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(WrongExpectedVersion);
        const stored = (await collect(store.readStream(stream))).map(label);
        expect(stored).toEqual(results[0]!.status === 'fulfilled' ? ['one', 'one'] : ['two']);
      }
    } finally {
      await other.close();
    }
  });

  it('two handles extending one stream with exact versions: every version has exactly one winner', async () => {
    const store = get();
    const other = await harness.secondHandle(store);
    const count = 40;
    const extend = async (handle: EventStore, name: string) => {
      let wins = 0;
      for (let v = 0; v < count; v++) {
        try {
          await handle.append('chain', [event(`${name}${v}`)], v === 0 ? 'no-stream' : v - 1);
          wins++;
        } catch (error) {
          if (!(error instanceof WrongExpectedVersion)) throw error;
        }
      }
      return wins;
    };
    try {
      const [a, b] = await Promise.all([extend(store, 'a'), extend(other, 'b')]);
      expect(a + b).toBe(count);
      const chain = await collect(store.readStream('chain'));
      expect(chain.map((e) => e.version)).toEqual(Array.from({ length: count }, (_, v) => v));
      expect(chain.map(label).every((l, v) => l === `a${v}` || l === `b${v}`)).toBe(true);
    } finally {
      await other.close();
    }
  });
}

function subscriptions(get: () => InspectableEventStore, harness: ContractHarness): void {
  const stopAll = async (subs: Subscription[]) => Promise.all(subs.map((s) => s.stop()));

  it('catches up, then delivers live events, without skipping any while two writers commit', async () => {
    const store = get();
    await store.append('before', [event('b0'), event('b1'), event('b2')], 'no-stream');
    const seen = collector();
    const sub = store.subscribeAll({ onEvent: seen.onEvent });
    await sub.caughtUp;
    expect(seen.events.map(label)).toEqual(['b0', 'b1', 'b2']);
    const other = await harness.secondHandle(store);
    const write = async (handle: EventStore, stream: string) => {
      for (let i = 0; i < 30; i++) await handle.append(stream, [event(`${stream}${i}`), event(`${stream}${i}'`)], 'any');
    };
    try {
      await Promise.all([write(store, 'p'), write(other, 'q')]);
      await seen.until(3 + 120);
      const all = await collect(store.readAll());
      expect(seen.events.map((e) => e.globalPosition)).toEqual(all.map((e) => e.globalPosition));
    } finally {
      await stopAll([sub]);
      await other.close();
    }
  });

  it('starts after a checkpoint and stops delivering once stopped', async () => {
    const store = get();
    const first = await store.append('s', [event('0'), event('1')], 'no-stream');
    const seen = collector();
    const sub = store.subscribeAll({ afterPosition: first.globalPosition, onEvent: seen.onEvent });
    await sub.caughtUp;
    expect(seen.events).toEqual([]);
    await store.append('s', [event('2')], 1);
    await seen.until(1);
    expect(seen.events.map(label)).toEqual(['2']);
    await sub.stop();
    await store.append('s', [event('3')], 2);
    // a fresh subscriber sees the append, the stopped one never will
    const later = collector();
    const check = store.subscribeAll({ afterPosition: first.globalPosition, onEvent: later.onEvent });
    await later.until(2);
    await check.stop();
    expect(seen.events.map(label)).toEqual(['2']);
  });

  it('waits for each callback before delivering the next, and reports a failing callback', async () => {
    const store = get();
    await store.append('s', [event('0'), event('1'), event('2')], 'no-stream');
    const order: string[] = [];
    const failed = new Promise<unknown>((resolve) => {
      store.subscribeAll({
        onEvent: async (e) => {
          order.push(`start ${label(e)}`);
          await Promise.resolve();
          order.push(`end ${label(e)}`);
          if (label(e) === '1') throw new Error('projection broke');
        },
        onError: resolve,
      });
    });
    expect(String(await failed)).toMatch(/projection broke/);
    expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
  });
}

function sizes(get: () => InspectableEventStore, harness: ContractHarness): void {
  it('stores 1 MB records byte for byte', async () => {
    const store = get();
    const big = (seed: number) => Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31 + seed) & 0xff);
    const events = [0, 1, 2].map((seed) => ({ type: 'Big', schemaVersion: 0, data: big(seed) }));
    await store.append('big', events, 'no-stream');
    const read = await collect(store.readStream('big'));
    expect(read).toHaveLength(3);
    expect(read.map((e, seed) => Buffer.from(e.data).equals(Buffer.from(big(seed))))).toEqual([true, true, true]);
  }, 60_000);

  it('appends and reads a 100,000-event stream (batches of 1,000)', async () => {
    const store = get();
    const total = 100_000;
    const batch = 1_000;
    const payload = new Uint8Array(64).fill(7);
    const t0 = performance.now();
    for (let v = 0; v < total; v += batch) {
      const events = Array.from({ length: batch }, () => ({ type: 'Tick', schemaVersion: 1, data: payload }));
      await store.append('long', events, v === 0 ? 'no-stream' : v - 1);
    }
    const t1 = performance.now();
    let expected = 0;
    for await (const e of store.readStream('long')) {
      if (e.version !== expected) throw new Error(`version ${e.version} where ${expected} was due`);
      expected++;
    }
    const t2 = performance.now();
    expect(expected).toBe(total);
    expect(await store.streamVersion('long')).toBe(total - 1);
    const rate = (ms: number) => Math.round((total / ms) * 1000).toLocaleString('en');
    console.log(`[${harness.name}] 100k events: append ${rate(t1 - t0)}/s, read ${rate(t2 - t1)}/s`);
  }, 120_000);
}

function corruptRows(get: () => InspectableEventStore, harness: ContractHarness): void {
  const cases: Corruption[] = ['metadata-not-json', 'negative-version', 'data-not-bytes'];
  it.each(cases)('a row with %s is a CorruptRecord naming its stream and version, never skipped', async (kind) => {
    const store = get();
    await store.append('good', [event('g')], 'no-stream');
    await store.append('bad', [event('0'), event('1'), event('2'), event('3')], 'no-stream');
    await harness.corrupt(store, 'bad', 2, kind);
    // the stored version itself may be what is damaged, so either name is acceptable there
    const versions = kind === 'negative-version' ? [2, -1] : [2];
    const fromStream = await rejection(collect(store.readStream('bad')), CorruptRecord);
    expect(fromStream.stream).toBe('bad');
    expect(versions).toContain(fromStream.version);
    const fromAll = await rejection(collect(store.readAll()), CorruptRecord);
    expect(fromAll.stream).toBe('bad');
    expect(versions).toContain(fromAll.version);
    expect(fromAll.message).toMatch(/corrupt record in stream bad at version/);
    const reported = new Promise<unknown>((resolve) => {
      store.subscribeAll({ onEvent: () => undefined, onError: resolve }).caughtUp.catch(() => undefined);
    });
    expect(await reported).toBeInstanceOf(CorruptRecord);
  });
}
