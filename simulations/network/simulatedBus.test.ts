import type { BusMessage, DeliveredMessage } from '../../domain/ports/bus';
import { virtualScheduler } from '../scheduler';
import { seededRandom } from '../seededRandom';
import { virtualClock } from '../virtualClock';
import { murmur2, partitionOfKey } from './murmur2';
import type { BusTraceEntry, LatencyConfig } from './networkContext';
import { simulatedBus } from './simulatedBus';

const utf8 = new TextEncoder();
const msg = (topic: string, key: string, id: string): BusMessage => ({ topic, key, id, value: utf8.encode(id) });

function network(seed: number, latency: LatencyConfig = { baseMs: 5, jitterMs: 0 }) {
  const root = seededRandom(seed);
  const scheduler = virtualScheduler({ random: root.fork('scheduler') });
  const trace: BusTraceEntry[] = [];
  const bus = simulatedBus({ scheduler, random: root.fork('bus'), latency, onTrace: (e) => trace.push(e) });
  return { scheduler, bus, trace, clock: virtualClock(scheduler), idle: () => scheduler.runUntilIdle(100_000) };
}

describe('murmur2 partitioner', () => {
  it('matches Kafka’s murmur2 test vectors', () => {
    const vectors: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) expect(murmur2(utf8.encode(key))).toBe(hash);
    expect(partitionOfKey('foobar', 7)).toBe((-790332482 & 0x7fffffff) % 7);
    expect(() => partitionOfKey('x', 0)).toThrow(RangeError);
  });
});

describe('simulatedBus', () => {
  it('delivers to the partition its key hashes to, at publish time plus latency', async () => {
    const n = network(1, { baseMs: 5, jitterMs: 0 });
    await n.bus.ensureTopics([{ name: 't', partitions: 6 }]);
    const got: Array<[DeliveredMessage, number]> = [];
    await n.bus.consume({ groupId: 'g', topics: ['t'], onMessage: async (m) => void got.push([m, n.scheduler.now()]) });
    let publishedAt = -1;
    void n.bus.publish([msg('t', 'worker-7', 'a')]).then(() => (publishedAt = n.scheduler.now()));
    await n.idle();
    expect(publishedAt).toBe(5);
    expect(got.map(([m, at]) => [m.partition, m.offset, at])).toEqual([[n.bus.partitionOf('t', 'worker-7'), 0n, 10]]);
    expect(n.bus.partitionOf('t', 'worker-7')).toBe(partitionOfKey('worker-7', 6));
  });

  it('refuses unknown topics and bad partition counts', async () => {
    const n = network(1);
    await expect(n.bus.publish([msg('nope', 'k', 'a')])).rejects.toThrow(/unknown topic nope/);
    await expect(n.bus.consume({ groupId: 'g', topics: ['nope'], onMessage: async () => {} })).rejects.toThrow(/unknown topic/);
    await expect(n.bus.ensureTopics([{ name: 'z', partitions: 0 }])).rejects.toThrow(RangeError);
    // a refused call creates nothing, even the topics listed before the bad one
    await expect(n.bus.ensureTopics([{ name: 'y', partitions: 2 }, { name: 'y', partitions: 3 }])).rejects.toThrow(/partitions/);
    await expect(n.bus.publish([msg('y', 'k', 'a')])).rejects.toThrow(/unknown topic y/);
    const random = seededRandom(1);
    const scheduler = virtualScheduler({ random });
    expect(() => simulatedBus({ scheduler, random, latency: { baseMs: 1, jitterMs: 0.5 } })).toThrow(RangeError);
  });

  it('keeps per-node publish order under jitter even when publishes are not awaited', async () => {
    const n = network(3, { baseMs: 1, jitterMs: 50 });
    await n.bus.ensureTopics([{ name: 't', partitions: 1 }]);
    const seen: string[] = [];
    await n.bus.consume({ groupId: 'g', topics: ['t'], onMessage: async (m) => void seen.push(m.id) });
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (const id of ids) void n.bus.publish([msg('t', 'k', id)]);
    await n.idle();
    expect(seen).toEqual(ids);
  });

  it('waits for a slow handler before delivering the next message of the partition', async () => {
    const n = network(4, { baseMs: 1, jitterMs: 0 });
    await n.bus.ensureTopics([{ name: 't', partitions: 1 }]);
    const spans: Array<[string, number, number]> = [];
    await n.bus.consume({
      groupId: 'g',
      topics: ['t'],
      onMessage: async (m) => {
        const start = n.clock.now();
        await new Promise<void>((resolve) => n.clock.setTimeout(resolve, 50));
        spans.push([m.id, start, n.clock.now()]);
      },
    });
    void n.bus.publish([msg('t', 'k', 'a'), msg('t', 'k', 'b'), msg('t', 'k', 'c')]);
    await n.idle();
    expect(spans).toEqual([
      ['a', 2, 52],
      ['b', 52, 102],
      ['c', 102, 152],
    ]);
  });

  it('rebalances on join and stop; a record in flight finishes with its old owner and is not redelivered', async () => {
    const n = network(5, { baseMs: 1, jitterMs: 0 });
    await n.bus.ensureTopics([{ name: 't', partitions: 4 }]);
    const seen: Array<[string, string]> = [];
    const slow = (name: string) => async (m: DeliveredMessage) => {
      await new Promise<void>((resolve) => n.clock.setTimeout(resolve, 100));
      seen.push([name, m.id]);
    };
    const a = await n.bus.forNode('node-a').consume({ groupId: 'g', topics: ['t'], onMessage: slow('a') });
    expect(a.assignment().get('t')).toEqual([0, 1, 2, 3]);
    const keyOn = (p: number) => Array.from({ length: 100 }, (_, i) => `k${i}`).find((k) => n.bus.partitionOf('t', k) === p)!;
    void n.bus.publish([msg('t', keyOn(3), 'x1'), msg('t', keyOn(3), 'x2')]);
    await n.scheduler.runUntil(10); // a is now handling x1 on partition 3
    const b = await n.bus.forNode('node-b').consume({ groupId: 'g', topics: ['t'], onMessage: slow('b') });
    expect(a.assignment().get('t')).toEqual([0, 1]);
    expect(b.assignment().get('t')).toEqual([2, 3]);
    await n.idle();
    expect(seen).toEqual([
      ['a', 'x1'],
      ['b', 'x2'],
    ]);
    expect(n.bus.committedOffset('g', 't', 3)).toBe(2n);
    const stopped = a.stop();
    await n.idle();
    await stopped;
    expect(b.assignment().get('t')).toEqual([0, 1, 2, 3]);
    expect(a.assignment().size).toBe(0);
  });

  it('on a node crash, hands what it was handling to the next owner uncommitted', async () => {
    const n = network(7, { baseMs: 1, jitterMs: 0 });
    await n.bus.ensureTopics([{ name: 't', partitions: 1 }]);
    const handled: Array<[string, string, number]> = [];
    const slow = (name: string) => async (m: DeliveredMessage) => {
      await new Promise<void>((resolve) => n.clock.setTimeout(resolve, 100));
      handled.push([name, m.id, n.clock.now()]);
    };
    const a = await n.bus.forNode('node-a').consume({ groupId: 'g', topics: ['t'], fromBeginning: true, onMessage: slow('a') });
    await n.bus.forNode('node-b').consume({ groupId: 'g', topics: ['t'], fromBeginning: true, onMessage: slow('b') });
    void n.bus.publish([msg('t', 'k', 'x1'), msg('t', 'k', 'x2')]);
    await n.scheduler.runUntil(10); // node-a (first member, owns partition 0) is handling x1
    n.bus.crashNode('node-a');
    await a.stop(); // a crashed member's stop does not wait for its zombie handler
    await n.idle();
    // a's handler still ran to its end (it is JS), but its outcome was discarded
    expect(handled).toEqual([
      ['a', 'x1', 102],
      ['b', 'x1', 110],
      ['b', 'x2', 210],
    ]);
    expect(n.bus.committedOffset('g', 't', 0)).toBe(2n);
  });

  it('treats a handler that throws synchronously as a failure and redelivers', async () => {
    const n = network(8, { baseMs: 1, jitterMs: 0 });
    await n.bus.ensureTopics([{ name: 't', partitions: 1 }]);
    const attempts: number[] = [];
    await n.bus.consume({
      groupId: 'g',
      topics: ['t'],
      fromBeginning: true,
      onMessage: () => {
        attempts.push(n.scheduler.now());
        if (attempts.length === 1) throw new Error('sync failure');
        return Promise.resolve();
      },
    });
    void n.bus.publish([msg('t', 'k', 'once')]);
    await n.idle();
    expect(attempts).toEqual([2, 102]);
    expect(n.bus.stats()).toMatchObject({ delivered: 2, failed: 1 });
  });

  it('closes one node’s consumers without touching the others', async () => {
    const n = network(6);
    await n.bus.ensureTopics([{ name: 't', partitions: 2 }]);
    const a = await n.bus.forNode('a').consume({ groupId: 'g', topics: ['t'], onMessage: async () => {} });
    const b = await n.bus.forNode('b').consume({ groupId: 'g', topics: ['t'], onMessage: async () => {} });
    await n.bus.forNode('a').close();
    expect(a.assignment().size).toBe(0);
    expect(b.assignment().get('t')).toEqual([0, 1]);
    await n.bus.close();
    expect(b.assignment().size).toBe(0);
    await expect(n.bus.publish([msg('t', 'k', 'late')])).rejects.toThrow(/closed/);
  });
});

/** the delivery trace of a fixed workload: three producers, two groups (one with two members) */
async function deliveryTrace(seed: number, jitterMs: number): Promise<string[]> {
  const n = network(seed, { baseMs: 3, jitterMs });
  await n.bus.ensureTopics([{ name: 'ext', partitions: 4 }, { name: 'blocks', partitions: 1 }]);
  for (const [node, group] of [['gk-1', 'gatekeepers'], ['w-1', 'workers'], ['w-2', 'workers']] as const) {
    await n.bus.forNode(node).consume({ groupId: group, topics: ['ext', 'blocks'], fromBeginning: true, onMessage: async () => {} });
  }
  for (let round = 0; round < 10; round++) {
    for (const producer of ['p-1', 'p-2', 'p-3']) {
      void n.bus.forNode(producer).publish([msg('ext', `${producer}-${round % 3}`, `${producer}-${round}`)]);
    }
    void n.bus.publish([msg('blocks', 'chain', `block-${round}`)]);
    await n.scheduler.runUntil(n.scheduler.now() + 4);
  }
  await n.idle();
  return n.trace
    .filter((e) => e.kind === 'delivered')
    .map((e) => (e.kind === 'delivered' ? `${e.atMs} ${e.topic}/${e.partition}@${e.offset} ${e.memberId} ${e.messageId}` : ''));
}

describe('simulatedBus determinism', () => {
  it('gives identical delivery traces for the same seed, different ones for another seed', async () => {
    const first = await deliveryTrace(77, 10);
    expect(first.length).toBe(80); // 40 messages, two groups
    expect(await deliveryTrace(77, 10)).toEqual(first);
    expect(await deliveryTrace(78, 10)).not.toEqual(first);
  });

  it('with no jitter, timing does not depend on the seed (only same-time tie-breaks may)', async () => {
    const times = (trace: string[]) => trace.map((line) => line.split(' ')[0]).sort();
    expect(times(await deliveryTrace(1, 0))).toEqual(times(await deliveryTrace(2, 0)));
  });

  it('does not shift one group’s timing when another group or producer joins (per-stream forks)', async () => {
    const timingOfGroupA = async (extra: boolean) => {
      const n = network(90, { baseMs: 3, jitterMs: 20 });
      await n.bus.ensureTopics([{ name: 't', partitions: 3 }, { name: 'other', partitions: 2 }]);
      if (extra) await n.bus.forNode('x').consume({ groupId: 'b', topics: ['t', 'other'], fromBeginning: true, onMessage: async () => {} });
      await n.bus.consume({ groupId: 'a', topics: ['t'], fromBeginning: true, onMessage: async () => {} });
      for (let i = 0; i < 30; i++) {
        void n.bus.forNode('p').publish([msg('t', `k${i % 4}`, `m${i}`)]);
        if (extra) void n.bus.forNode('q').publish([msg('other', `k${i}`, `o${i}`)]);
        await n.scheduler.runUntil(n.scheduler.now() + 7);
      }
      await n.idle();
      return n.trace.flatMap((e) => (e.kind === 'delivered' && e.groupId === 'a' ? [`${e.atMs} ${e.partition}@${e.offset}`] : []));
    };
    const alone = await timingOfGroupA(false);
    expect(alone.length).toBe(30);
    expect(await timingOfGroupA(true)).toEqual(alone);
  });
});

describe('simulatedBus onPublish (what the leak scan reads)', () => {
  it('shows every published message with its node, a dropped one included', async () => {
    const root = seededRandom(4);
    const scheduler = virtualScheduler({ random: root.fork('scheduler') });
    const seen: string[] = [];
    const bus = simulatedBus({ scheduler, random: root.fork('bus'), faults: { drop: { probability: 1 } }, onPublish: (node, m) => seen.push(`${node}:${m.id}:${Buffer.from(m.value).toString()}`) });
    await bus.ensureTopics([{ name: 't', partitions: 2 }]);
    const sent = bus.forNode('n1').publish([msg('t', 'k', 'a'), msg('t', 'k', 'b')]);
    scheduler.runUntilIdle(1000);
    await sent;
    expect(seen).toEqual(['n1:a:a', 'n1:b:b']);
    expect(bus.stats().dropped).toBe(2);
  });
});
