import { createActor, setup } from 'xstate';
import { virtualScheduler } from './scheduler';
import { seededRandom } from './seededRandom';
import { virtualClock } from './virtualClock';

/** a machine that times out after 1500 ms unless it is poked, with an explicit delayed-event id */
const heartbeat = setup({
  types: { events: {} as { type: 'poke' } },
  delays: { deadline: 1500 },
}).createMachine({
  id: 'heartbeat',
  initial: 'waiting',
  states: {
    waiting: {
      after: { deadline: { target: 'timedOut', id: 'heartbeat-deadline' } },
      on: { poke: { target: 'waiting', reenter: true } },
    },
    timedOut: { type: 'final' },
  },
});

describe('virtualClock', () => {
  it('tells virtual time and fires timers in virtual time', async () => {
    const scheduler = virtualScheduler({ random: seededRandom(1), startMs: 1_700_000_000_000 });
    const clock = virtualClock(scheduler);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 250);
    const cancelled = clock.setTimeout(() => fired.push(-1), 100);
    clock.clearTimeout(cancelled);
    clock.setTimeout(() => fired.push(clock.now()), -5);
    await scheduler.runUntilIdle(10);
    expect(fired).toEqual([1_700_000_000_000, 1_700_000_000_250]);
  });

  it('drives an xstate delayed transition exactly at its virtual time', async () => {
    const scheduler = virtualScheduler({ random: seededRandom(2) });
    const clock = virtualClock(scheduler);
    let timedOutAt: number | null = null;
    const actor = createActor(heartbeat, { clock });
    actor.subscribe((snapshot) => {
      if (snapshot.matches('timedOut') && timedOutAt === null) timedOutAt = clock.now();
    });
    actor.start();
    await scheduler.runUntil(1000);
    actor.send({ type: 'poke' }); // re-entering restarts the 1500 ms delay from t = 1000
    await scheduler.runUntil(2499);
    expect(actor.getSnapshot().value).toBe('waiting');
    await scheduler.runUntil(2500);
    expect(actor.getSnapshot().value).toBe('timedOut');
    expect(timedOutAt).toBe(2500);
    expect(scheduler.pending()).toBe(0);
  });
});
