import fc from 'fast-check';
import type { Consumer, DeliveredMessage } from '../../domain/ports/bus';
import { virtualScheduler } from '../scheduler';
import { seededRandom } from '../seededRandom';
import { virtualClock } from '../virtualClock';
import { simulatedBus } from './simulatedBus';

type Op =
  | { kind: 'publish'; node: number; key: number }
  | { kind: 'join'; group: number; node: number }
  | { kind: 'stop'; pick: number }
  | { kind: 'crash'; node: number }
  | { kind: 'advance'; ms: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('publish' as const), node: fc.nat(2), key: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('join' as const), group: fc.nat(1), node: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), node: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.nat(30) }) },
);

interface Live {
  consumer: Consumer | undefined;
  readonly node: string;
  crashed: boolean;
}

/**
 * Runs random publishes, joins, graceful stops, crashes and time steps with slow, sometimes failing
 * handlers, then one fresh member per group, and checks: per (group, partition) the successful
 * handlings by live members are exactly offsets 0, 1, 2, … in order, and every offset is committed.
 */
async function check(seed: number, ops: readonly Op[]): Promise<void> {
  const root = seededRandom(seed);
  const scheduler = virtualScheduler({ random: root.fork('scheduler') });
  const clock = virtualClock(scheduler);
  const bus = simulatedBus({ scheduler, random: root.fork('bus'), latency: { baseMs: 1, jitterMs: 6 }, retryDelayMs: 7 });
  await bus.ensureTopics([{ name: 't', partitions: 3 }]);
  const handlerRandom = root.fork('handlers');
  const handled = new Map<string, bigint[]>(); // `${group}/${partition}` → offsets handled successfully
  const members: Live[] = [];
  let published = 0;
  const join = async (group: string, node: string) => {
    const live: Live = { consumer: undefined, node, crashed: false };
    const onMessage = async (m: DeliveredMessage) => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, handlerRandom.nextInt(0, 15)));
      if (handlerRandom.nextInt(0, 3) === 0) throw new Error('flaky');
      if (live.crashed) return; // a zombie's success is not the group's
      const key = `${group}/${m.partition}`;
      handled.set(key, [...(handled.get(key) ?? []), m.offset]);
    };
    live.consumer = await bus.forNode(node).consume({ groupId: group, topics: ['t'], fromBeginning: true, onMessage });
    members.push(live);
  };
  for (const op of ops) {
    if (op.kind === 'publish') void bus.forNode(`p${op.node}`).publish([{ topic: 't', key: `k${op.key}`, id: `m${published++}`, value: new Uint8Array(1) }]);
    else if (op.kind === 'join') await join(`g${op.group}`, `n${op.node}`);
    else if (op.kind === 'stop' && members.length > 0) void members.splice(op.pick % members.length, 1)[0]!.consumer?.stop();
    else if (op.kind === 'crash') {
      for (const m of members) if (m.node === `n${op.node}`) m.crashed = true;
      bus.crashNode(`n${op.node}`);
    } else if (op.kind === 'advance') await scheduler.runUntil(scheduler.now() + op.ms);
  }
  await join('g0', 'final');
  await join('g1', 'final');
  await scheduler.runUntilIdle(1_000_000);
  for (const group of ['g0', 'g1']) {
    for (let p = 0; p < 3; p++) {
      const end = bus.logEndOffset('t', p);
      const expected = Array.from({ length: Number(end) }, (_, i) => BigInt(i));
      expect(handled.get(`${group}/${p}`) ?? []).toEqual(expected);
      expect(bus.committedOffset(group, 't', p) ?? 0n).toBe(end);
    }
  }
  expect(bus.stats().appended).toBe(published);
}

describe('simulatedBus under random membership changes (property)', () => {
  it('handles every record once per group, in offset order, and commits it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(1_000_000), fc.array(opArbitrary, { maxLength: 60 }), (seed, ops) => check(seed, ops)),
      { numRuns: 60 },
    );
  });
});
