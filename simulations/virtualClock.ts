/**
 * The virtual adapter of the Clock port: time and timers of a simulation, driven by the scheduler.
 * It is also an xstate `Clock`, so `createActor(machine, { clock })` runs machine delays in virtual
 * time.
 */
import type { Clock } from '../domain/ports/clock';
import type { Scheduler, TaskId } from './scheduler';

/** A Clock whose time is the scheduler's virtual time and whose timers are scheduler tasks */
export function virtualClock(scheduler: Scheduler): Clock {
  return {
    now: () => scheduler.now(),
    setTimeout(callback: () => void, delayMs: number): TaskId {
      // Like a JS timer, a missing, negative or NaN delay means "as soon as possible".
      const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
      return scheduler.schedule(scheduler.now() + delay, callback, 'timer');
    },
    clearTimeout(id: unknown): void {
      if (typeof id === 'number') scheduler.cancel(id);
    },
  };
}
