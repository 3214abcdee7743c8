/**
 * The Bus port contract (ARCHITECTURE.md §6), one suite for every adapter (Emmett's `features.ts`
 * pattern): the simulated network runs it in virtual time, the Kafka adapter with real time.
 *
 * The suite never sleeps. It waits for conditions with `eventually`, which lets the harness
 * `settle()` (finish the work due now) and `advance(ms)` (let time pass: virtual time in a
 * simulation, a real wait against a broker) until the condition holds or `timeoutMs` of harness
 * time has passed. Every promise of the bus is awaited through `drive`, because in virtual time a
 * publish only resolves when someone moves time forward.
 */
import type { Bus, BusMessage, Consumer, ConsumerOptions, DeliveredMessage } from '../domain/ports/bus';

/** What an adapter gives the suite, fresh for every test */
export interface BusHarness {
  readonly bus: Bus;
  /** let `ms` of (virtual or real) time pass */
  advance(ms: number): Promise<void> | void;
  /** finish the work that is due now, without moving virtual time */
  settle(): Promise<void>;
}

/** Tuning of the suite for an adapter */
export interface BusContractOptions {
  /** harness time `eventually` waits before failing; default 10 000 ms */
  readonly timeoutMs?: number;
  /** time advanced per `eventually` round; default 10 ms */
  readonly stepMs?: number;
  /** topic and group name prefix (unique per run against a shared broker); default 'contract' */
  readonly namePrefix?: string;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** runs the Bus contract against the adapter `factory` builds */
export function busContract(adapter: string, factory: () => Promise<BusHarness>, options: BusContractOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const stepMs = options.stepMs ?? 10;
  let names = 0;
  const unique = (label: string): string => `${options.namePrefix ?? 'contract'}-${++names}-${label}`;

  async function eventually(h: BusHarness, predicate: () => boolean, what: string): Promise<void> {
    let waitedMs = 0;
    for (;;) {
      if (predicate()) return;
      await h.settle();
      if (predicate()) return;
      if (waitedMs >= timeoutMs) throw new Error(`${adapter}: not true after ${timeoutMs} ms: ${what}`);
      await h.advance(stepMs);
      waitedMs += stepMs;
    }
  }

  async function drive<T>(h: BusHarness, promise: Promise<T>, what: string): Promise<T> {
    let done = false;
    const tracked = promise.finally(() => {
      done = true;
    });
    await eventually(h, () => done, what);
    return tracked;
  }

  const message = (topic: string, key: string, id: string, headers?: Record<string, string>): BusMessage =>
    headers === undefined ? { topic, key, id, value: utf8.encode(id) } : { topic, key, id, value: utf8.encode(id), headers };

  /** publishes one message per call, in order, each awaited (order across calls is then defined) */
  async function publishEach(h: BusHarness, messages: readonly BusMessage[]): Promise<void> {
    for (const m of messages) await drive(h, h.bus.publish([m]), `publish ${m.id}`);
  }

  /** a consumer that records what it received */
  async function recorder(h: BusHarness, opts: Omit<ConsumerOptions, 'onMessage'>, onMessage?: (m: DeliveredMessage) => void) {
    const received: DeliveredMessage[] = [];
    const consumer: Consumer = await drive(
      h,
      h.bus.consume({
        ...opts,
        onMessage: async (m) => {
          onMessage?.(m);
          received.push(m);
        },
      }),
      `consume ${opts.groupId}`,
    );
    return { consumer, received, ids: () => received.map((m) => m.id) };
  }

  async function withHarness(body: (h: BusHarness) => Promise<void>): Promise<void> {
    const h = await factory();
    try {
      await body(h);
    } finally {
      await drive(h, h.bus.close(), 'close');
    }
  }

  describe(`Bus contract: ${adapter}`, () => {
    it('creates topics with a fixed partition count and refuses a different count', () =>
      withHarness(async (h) => {
        const topic = unique('topics');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 3 }]), 'ensure');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 3 }]), 'ensure again');
        await expect(drive(h, h.bus.ensureTopics([{ name: topic, partitions: 4 }]), 'mismatch')).rejects.toThrow(/partitions/);
        const r = await recorder(h, { groupId: unique('g'), topics: [topic], fromBeginning: true });
        await eventually(h, () => (r.consumer.assignment().get(topic) ?? []).length === 3, 'all 3 partitions assigned');
        await publishEach(h, Array.from({ length: 12 }, (_, i) => message(topic, `key-${i}`, `m${i}`)));
        await eventually(h, () => r.received.length === 12, '12 delivered');
        expect(r.received.every((m) => m.partition >= 0 && m.partition < 3)).toBe(true);
        expect(new Set(r.received.map((m) => m.partition)).size).toBeGreaterThan(1);
      }));

    it('maps a key to one stable partition', () =>
      withHarness(async (h) => {
        const topic = unique('keys');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 8 }]), 'ensure');
        const r = await recorder(h, { groupId: unique('g'), topics: [topic], fromBeginning: true });
        const keys = ['alice', 'bob', 'carol'];
        await publishEach(h, Array.from({ length: 15 }, (_, i) => message(topic, keys[i % 3]!, `m${i}`)));
        await eventually(h, () => r.received.length === 15, '15 delivered');
        for (const key of keys) {
          expect(new Set(r.received.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);
        }
      }));

    it('keeps the order of messages with the same key', () =>
      withHarness(async (h) => {
        const topic = unique('order');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 4 }]), 'ensure');
        const r = await recorder(h, { groupId: unique('g'), topics: [topic], fromBeginning: true });
        const sent = Array.from({ length: 30 }, (_, i) => message(topic, `k${i % 5}`, `m${i}`, { seq: String(i) }));
        await publishEach(h, sent);
        await eventually(h, () => r.received.length === 30, '30 delivered');
        for (let k = 0; k < 5; k++) {
          const seqs = r.received.filter((m) => m.key === `k${k}`).map((m) => Number(m.headers?.seq));
          expect(seqs).toEqual(sent.filter((m) => m.key === `k${k}`).map((m) => Number(m.headers?.seq)));
          const offsets = r.received.filter((m) => m.key === `k${k}`).map((m) => m.offset);
          expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
        }
        expect(text.decode(r.received[0]!.value)).toBe(r.received[0]!.id);
      }));

    it('splits partitions among the members of a group and gives each message to exactly one member', () =>
      withHarness(async (h) => {
        const topic = unique('split');
        const groupId = unique('g');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 4 }]), 'ensure');
        const a = await recorder(h, { groupId, topics: [topic], fromBeginning: true });
        const b = await recorder(h, { groupId, topics: [topic], fromBeginning: true });
        const parts = (r: typeof a) => r.consumer.assignment().get(topic) ?? [];
        await eventually(
          h,
          () => parts(a).length > 0 && parts(b).length > 0 && [...parts(a), ...parts(b)].sort().join() === '0,1,2,3',
          'both members assigned, partitions split',
        );
        const assignedA = new Set(parts(a));
        await publishEach(h, Array.from({ length: 40 }, (_, i) => message(topic, `key-${i}`, `m${i}`)));
        await eventually(h, () => a.received.length + b.received.length === 40, '40 delivered');
        await h.settle();
        const all = [...a.ids(), ...b.ids()];
        expect(new Set(all).size).toBe(40);
        expect(all.length).toBe(40);
        expect(a.received.length).toBeGreaterThan(0);
        expect(b.received.length).toBeGreaterThan(0);
        expect(a.received.every((m) => assignedA.has(m.partition))).toBe(true);
        expect(b.received.every((m) => !assignedA.has(m.partition))).toBe(true);
      }));

    it('gives every message to each of two groups', () =>
      withHarness(async (h) => {
        const topic = unique('fanout');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 2 }]), 'ensure');
        const a = await recorder(h, { groupId: unique('ga'), topics: [topic], fromBeginning: true });
        const b = await recorder(h, { groupId: unique('gb'), topics: [topic], fromBeginning: true });
        await publishEach(h, Array.from({ length: 10 }, (_, i) => message(topic, `k${i}`, `m${i}`)));
        await eventually(h, () => a.received.length === 10 && b.received.length === 10, 'both groups got 10');
        expect(new Set(a.ids())).toEqual(new Set(b.ids()));
      }));

    it('redelivers a message whose handler failed, and holds back the rest of its partition', () =>
      withHarness(async (h) => {
        const topic = unique('retry');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 1 }]), 'ensure');
        const attempts: string[] = [];
        const handled: string[] = [];
        let failedOnce = false;
        await drive(
          h,
          h.bus.consume({
            groupId: unique('g'),
            topics: [topic],
            fromBeginning: true,
            onMessage: async (m) => {
              attempts.push(m.id);
              if (m.id === 'm1' && !failedOnce) {
                failedOnce = true;
                throw new Error('transient');
              }
              handled.push(m.id);
            },
          }),
          'consume',
        );
        await publishEach(h, ['m0', 'm1', 'm2'].map((id) => message(topic, 'same', id)));
        await eventually(h, () => handled.length === 3, 'all 3 handled');
        expect(handled).toEqual(['m0', 'm1', 'm2']);
        expect(attempts).toEqual(['m0', 'm1', 'm1', 'm2']);
      }));

    it('resumes a group from its committed offset: no replay of committed, no loss of uncommitted', () =>
      withHarness(async (h) => {
        const topic = unique('resume');
        const groupId = unique('g');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 1 }]), 'ensure');
        const attemptsA: string[] = [];
        const first = await drive(
          h,
          h.bus.consume({
            groupId,
            topics: [topic],
            fromBeginning: true,
            onMessage: async (m) => {
              attemptsA.push(m.id);
              if (m.id === 'm2') throw new Error('cannot handle m2 yet');
            },
          }),
          'consume A',
        );
        await publishEach(h, ['m0', 'm1', 'm2'].map((id) => message(topic, 'k', id)));
        await eventually(h, () => attemptsA.includes('m2'), 'A tried m2');
        await drive(h, first.stop(), 'stop A');
        await publishEach(h, ['m3', 'm4'].map((id) => message(topic, 'k', id)));
        const b = await recorder(h, { groupId, topics: [topic], fromBeginning: true });
        await eventually(h, () => b.received.length >= 3, 'B got the rest');
        await h.settle();
        expect(b.ids()).toEqual(['m2', 'm3', 'm4']);
        expect(attemptsA.filter((id) => id === 'm0' || id === 'm1')).toEqual(['m0', 'm1']);
        expect(attemptsA).not.toContain('m3');
      }));

    it('moves partitions to the remaining member when one stops, losing no message', () =>
      withHarness(async (h) => {
        const topic = unique('rebalance');
        const groupId = unique('g');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 4 }]), 'ensure');
        const a = await recorder(h, { groupId, topics: [topic], fromBeginning: true });
        await eventually(h, () => (a.consumer.assignment().get(topic) ?? []).length === 4, 'A owns all partitions');
        await publishEach(h, Array.from({ length: 10 }, (_, i) => message(topic, `key-${i}`, `before-${i}`)));
        await eventually(h, () => a.received.length === 10, 'A got the first 10');
        const b = await recorder(h, { groupId, topics: [topic], fromBeginning: true });
        await eventually(h, () => (b.consumer.assignment().get(topic) ?? []).length > 0, 'B got partitions');
        await drive(h, a.consumer.stop(), 'stop A');
        await eventually(h, () => (b.consumer.assignment().get(topic) ?? []).length === 4, 'B owns all partitions');
        await publishEach(h, Array.from({ length: 10 }, (_, i) => message(topic, `key-${i}`, `after-${i}`)));
        await eventually(h, () => new Set(b.ids().filter((id) => id.startsWith('after-'))).size === 10, 'B got the last 10');
        await h.settle();
        // committed messages are not replayed to B
        expect(b.ids().filter((id) => id.startsWith('before-'))).toEqual([]);
        expect(a.ids().filter((id) => id.startsWith('after-'))).toEqual([]);
      }));

    it('lets an idempotent consumer apply a message published twice only once (dedupe by id)', () =>
      withHarness(async (h) => {
        const topic = unique('dedupe');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 2 }]), 'ensure');
        const applied = new Map<string, number>();
        const r = await recorder(h, { groupId: unique('g'), topics: [topic], fromBeginning: true }, (m) => {
          if (!applied.has(m.id)) applied.set(m.id, Number(m.headers?.amount));
        });
        // a producer that retried: the same message (same id) is on the bus twice
        const credit = message(topic, 'acct', 'credit-1', { amount: '5' });
        await publishEach(h, [credit, message(topic, 'acct', 'credit-2', { amount: '7' }), credit]);
        await eventually(h, () => r.received.length === 3, '3 deliveries');
        expect(r.ids()).toEqual(['credit-1', 'credit-2', 'credit-1']);
        expect([...applied.values()].reduce((a, b) => a + b, 0)).toBe(12);
      }));

    it('starts a group with no committed offset at the beginning only with fromBeginning', () =>
      withHarness(async (h) => {
        const topic = unique('from');
        await drive(h, h.bus.ensureTopics([{ name: topic, partitions: 2 }]), 'ensure');
        await publishEach(h, ['old0', 'old1', 'old2'].map((id, i) => message(topic, `k${i}`, id)));
        const early = await recorder(h, { groupId: unique('early'), topics: [topic], fromBeginning: true });
        const late = await recorder(h, { groupId: unique('late'), topics: [topic], fromBeginning: false });
        await eventually(h, () => (late.consumer.assignment().get(topic) ?? []).length === 2, 'late assigned');
        await eventually(h, () => early.received.length === 3, 'early got the old messages');
        await publishEach(h, ['new0', 'new1'].map((id, i) => message(topic, `k${i}`, id)));
        await eventually(h, () => early.received.length === 5 && late.received.length === 2, 'both got the new ones');
        await h.settle();
        expect(new Set(late.ids())).toEqual(new Set(['new0', 'new1']));
        expect(new Set(early.ids())).toEqual(new Set(['old0', 'old1', 'old2', 'new0', 'new1']));
      }));
  });
}
