import fc from 'fast-check';
import { virtualScheduler } from './scheduler';
import { seededRandom } from './seededRandom';

const make = (seed = 1, startMs = 0) => virtualScheduler({ random: seededRandom(seed), startMs });

/** the order in which ten tasks scheduled at the same time run, for a seed */
async function sameTimeOrder(seed: number): Promise<number[]> {
  const s = make(seed);
  const order: number[] = [];
  for (let i = 0; i < 10; i++) s.schedule(5, () => order.push(i));
  await s.runUntilIdle(100);
  return order;
}

describe('virtualScheduler', () => {
  it('runs tasks in virtual-time order and moves time only when tasks run', async () => {
    const s = make(1, 1000);
    const seen: Array<[string, number]> = [];
    s.schedule(1300, () => seen.push(['c', s.now()]));
    s.schedule(1100, () => seen.push(['a', s.now()]));
    s.schedule(1200, () => seen.push(['b', s.now()]));
    expect(s.now()).toBe(1000);
    expect(await s.runUntil(1250)).toBe(2);
    expect(seen).toEqual([
      ['a', 1100],
      ['b', 1200],
    ]);
    expect(s.now()).toBe(1250);
    expect(s.pending()).toBe(1);
    expect(s.nextAtMs()).toBe(1300);
    expect(await s.step()).toBe(true);
    expect(s.now()).toBe(1300);
    expect(await s.step()).toBe(false);
  });

  it('orders tasks due at the same time by the seed, reproducibly', async () => {
    const first = await sameTimeOrder(11);
    expect(await sameTimeOrder(11)).toEqual(first);
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const others = await Promise.all([12, 13, 14, 15].map(sameTimeOrder));
    expect(others.some((o) => o.join() !== first.join())).toBe(true);
  });

  it('cancels tasks that have not run', async () => {
    const s = make();
    const ran: string[] = [];
    const a = s.schedule(10, () => ran.push('a'));
    const b = s.schedule(20, () => ran.push('b'));
    expect(s.cancel(a)).toBe(true);
    expect(s.cancel(a)).toBe(false);
    await s.runUntilIdle(10);
    expect(ran).toEqual(['b']);
    expect(s.cancel(b)).toBe(false);
  });

  it('refuses to schedule in the past and to run backwards', async () => {
    const s = make(1, 100);
    expect(() => s.schedule(99, () => {})).toThrow(RangeError);
    expect(() => s.schedule(Number.NaN, () => {})).toThrow(RangeError);
    await expect(s.runUntil(50)).rejects.toThrow(RangeError);
  });

  it('stops an endless timer chain at maxSteps', async () => {
    const s = make();
    const tick = (): void => {
      s.schedule(s.now() + 1, tick, 'tick');
    };
    s.schedule(0, tick, 'tick');
    await expect(s.runUntilIdle(50)).rejects.toThrow(/still busy after 50 steps.*tick/);
  });

  it('lets promise continuations run at the virtual time they were released', async () => {
    const s = make();
    const seen: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    void (async () => {
      await gate;
      await Promise.resolve();
      seen.push(s.now());
      s.schedule(s.now() + 5, () => seen.push(s.now()));
    })();
    s.schedule(30, release);
    s.schedule(100, () => seen.push(s.now()));
    await s.runUntilIdle(10);
    expect(seen).toEqual([30, 35, 100]);
  });

  it('refuses to be driven from inside a task', async () => {
    const s = make();
    let inner: Promise<unknown> | undefined;
    s.schedule(1, () => {
      inner = s.runUntilIdle(5).catch((error: unknown) => error);
    });
    await s.runUntilIdle(5);
    expect(await inner).toEqual(new Error('scheduler is already running (a task or handler tried to drive it)'));
  });

  it('pops in (time, tiebreak) order under any mix of schedules and cancels', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.boolean()), { maxLength: 200 }),
        async (ops) => {
          const s = make(3);
          const ran: number[] = [];
          let kept = 0;
          for (const [at, cancelIt] of ops) {
            const id = s.schedule(at, () => ran.push(s.now()));
            if (cancelIt) s.cancel(id);
            else kept += 1;
          }
          expect(s.pending()).toBe(kept);
          await s.runUntilIdle(1000);
          expect(ran.length).toBe(kept);
          expect(ran).toEqual([...ran].sort((a, b) => a - b));
        },
      ),
      { numRuns: 50 },
    );
  });
});
