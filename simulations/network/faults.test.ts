import type { BusMessage, DeliveredMessage } from '../../domain/ports/bus';
import { virtualScheduler } from '../scheduler';
import { seededRandom } from '../seededRandom';
import { type FaultConfig, faultLayer } from './faults';
import type { BusTraceEntry } from './networkContext';
import { simulatedBus } from './simulatedBus';

const utf8 = new TextEncoder();
const msg = (topic: string, key: string, id: string): BusMessage => ({ topic, key, id, value: utf8.encode(id) });

/** a network with `faults`, one topic `t` and a recording consumer per node in `consumers` */
async function faultyNetwork(seed: number, faults: FaultConfig, partitions = 1, consumers: readonly string[] = ['c']) {
  const root = seededRandom(seed);
  const scheduler = virtualScheduler({ random: root.fork('scheduler') });
  const trace: BusTraceEntry[] = [];
  const bus = simulatedBus({ scheduler, random: root.fork('bus'), latency: { baseMs: 2, jitterMs: 0 }, faults, onTrace: (e) => trace.push(e) });
  await bus.ensureTopics([{ name: 't', partitions }]);
  const received = new Map<string, Array<{ m: DeliveredMessage; atMs: number }>>();
  for (const node of consumers) {
    const got: Array<{ m: DeliveredMessage; atMs: number }> = [];
    received.set(node, got);
    await bus.forNode(node).consume({ groupId: `g-${node}`, topics: ['t'], fromBeginning: true, onMessage: async (m) => void got.push({ m, atMs: scheduler.now() }) });
  }
  const ids = (node = 'c') => received.get(node)!.map((r) => r.m.id);
  return { scheduler, bus, trace, received, ids, idle: () => scheduler.runUntilIdle(1_000_000) };
}

describe('fault layer', () => {
  it('validates its configuration', () => {
    const r = seededRandom(1);
    expect(() => faultLayer({ drop: { probability: 1.5 } }, r)).toThrow(RangeError);
    expect(() => faultLayer({ delay: { probability: 1, delayMsMin: 5, delayMsMax: 1 } }, r)).toThrow(RangeError);
    expect(() => faultLayer({ reorder: { windowMs: 2.5 } }, r)).toThrow(RangeError);
    expect(() => faultLayer({ duplicate: { probability: 0.1, delayMsMax: -1 } }, r)).toThrow(RangeError);
    expect(() => faultLayer({ cuts: [{ kind: 'isolate', nodes: ['a'], fromMs: 5, untilMs: 5 }] }, r)).toThrow(RangeError);
  });

  it('drop: loses exactly the messages its seeded stream picks, reproducibly', async () => {
    const run = async () => {
      const n = await faultyNetwork(30, { drop: { probability: 0.3 } });
      for (let i = 0; i < 1000; i++) void n.bus.publish([msg('t', 'k', `m${i}`)]);
      await n.idle();
      return n;
    };
    const n = await run();
    // the same decisions, drawn from a replica of the drop stream
    const drops = seededRandom(30).fork('bus').fork('faults').fork('drop').fork('default');
    const expectedLost = Array.from({ length: 1000 }, (_, i) => `m${i}`).filter(() => drops.nextFloat() < 0.3);
    const delivered = new Set(n.ids());
    const lost = Array.from({ length: 1000 }, (_, i) => `m${i}`).filter((id) => !delivered.has(id));
    expect(lost).toEqual(expectedLost);
    expect(n.bus.stats().dropped).toBe(expectedLost.length);
    expect(expectedLost.length).toBeGreaterThan(250);
    expect(expectedLost.length).toBeLessThan(350);
    expect((await run()).ids()).toEqual(n.ids());
  });

  it('duplicate: copies arrive later with the same id, and an idempotent consumer applies each once', async () => {
    const n = await faultyNetwork(31, { duplicate: { probability: 0.4, delayMsMax: 30 } }, 3);
    const amounts = Array.from({ length: 200 }, (_, i) => i + 1);
    for (const [i, amount] of amounts.entries()) void n.bus.publish([{ ...msg('t', `acct-${i % 7}`, `tx-${i}`), headers: { amount: String(amount) } }]);
    await n.idle();
    const got = n.received.get('c')!;
    const duplicated = n.bus.stats().duplicated;
    expect(duplicated).toBeGreaterThan(50);
    expect(got.length).toBe(200 + duplicated);
    const applied = new Set<string>();
    let balance = 0;
    for (const { m } of got) {
      if (applied.has(m.id)) continue;
      applied.add(m.id);
      balance += Number(m.headers?.amount);
    }
    expect(balance).toBe(amounts.reduce((a, b) => a + b, 0));
    // every copy sits at a later offset than its original
    const firstOffset = new Map<string, bigint>();
    for (const { m } of got) {
      const first = firstOffset.get(m.id);
      if (first === undefined) firstOffset.set(m.id, m.offset);
      else expect(m.offset > first).toBe(true);
    }
  });

  it('reorder: messages published within the window may swap, none is lost; off means never', async () => {
    const inversions = async (faults: FaultConfig) => {
      const n = await faultyNetwork(32, faults);
      for (let i = 0; i < 100; i++) {
        void n.bus.publish([msg('t', 'same-key', String(i))]);
        await n.scheduler.runUntil(n.scheduler.now() + 1);
      }
      await n.idle();
      const order = n.ids().map(Number);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      return order.filter((v, i) => i > 0 && v < order[i - 1]!).length;
    };
    expect(await inversions({})).toBe(0);
    expect(await inversions({ reorder: { windowMs: 20 } })).toBeGreaterThan(10);
  });

  it('delay: deliveries wait the extra time and the partition keeps its order', async () => {
    const n = await faultyNetwork(33, { delay: { probability: 1, delayMsMin: 100, delayMsMax: 200 } });
    for (let i = 0; i < 20; i++) void n.bus.publish([msg('t', 'k', `m${i}`)]);
    await n.idle();
    const got = n.received.get('c')!;
    expect(got.map((r) => r.m.id)).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    const appendedAt = new Map(n.trace.flatMap((e) => (e.kind === 'appended' ? [[e.messageId, e.atMs] as const] : [])));
    for (const { m, atMs } of got) expect(atMs - appendedAt.get(m.id)!).toBeGreaterThanOrEqual(2 + 100);
    const gaps = got.map(({ atMs }, i) => atMs - (i > 0 ? got[i - 1]!.atMs : 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 + 200 + 2);
  });

  it('isolate: a consumer cut from the bus gets nothing until the cut heals (held, not lost)', async () => {
    const n = await faultyNetwork(34, { cuts: [{ kind: 'isolate', nodes: ['c'], fromMs: 100, untilMs: 500 }] }, 1, ['c', 'd']);
    await n.scheduler.runUntil(200);
    void n.bus.publish([msg('t', 'k', 'during-cut')]);
    await n.idle();
    const [toC] = n.received.get('c')!;
    const [toD] = n.received.get('d')!;
    expect(toD!.atMs).toBe(204);
    expect(toC!.atMs).toBe(500);
    expect(n.bus.stats().held).toBeGreaterThan(0);
  });

  it('isolate: a producer cut from the bus has its publish accepted only when the cut heals, in order', async () => {
    const n = await faultyNetwork(35, { cuts: [{ kind: 'isolate', nodes: ['p'], fromMs: 0, untilMs: 300 }] });
    const producer = n.bus.forNode('p');
    let acceptedAt = -1;
    void producer.publish([msg('t', 'k', 'a')]).then(() => (acceptedAt = n.scheduler.now()));
    void producer.publish([msg('t', 'k', 'b')]);
    void n.bus.publish([msg('t', 'k', 'from-elsewhere')]);
    await n.idle();
    expect(acceptedAt).toBe(300);
    expect(n.ids()).toEqual(['from-elsewhere', 'a', 'b']);
  });

  it('split: messages across the cut wait for it to heal; the same side is unaffected', async () => {
    const cut: FaultConfig = { cuts: [{ kind: 'split', sides: [['p', 'near'], ['far']], fromMs: 0, untilMs: 1000 }] };
    const n = await faultyNetwork(36, cut, 1, ['near', 'far']);
    void n.bus.forNode('p').publish([msg('t', 'k', 'x')]);
    await n.scheduler.runUntil(1);
    void n.bus.forNode('q').publish([msg('t', 'k2', 'y')]);
    await n.idle();
    expect(n.received.get('near')!.map((r) => [r.m.id, r.atMs])).toEqual([
      ['x', 4],
      ['y', 5],
    ]);
    // 'far' cannot get x before 1000, and y (from an uncut node) waits behind x in the partition
    expect(n.received.get('far')!.map((r) => [r.m.id, r.atMs])).toEqual([
      ['x', 1000],
      ['y', 1000],
    ]);
  });
});
