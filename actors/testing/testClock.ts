/**
 * A tiny virtual clock for actor tests (actors/ may not import simulations/): timers ordered by
 * (due time, creation order), run only when the test advances time. Between timers it lets
 * pending promise continuations settle, so an invoked promise actor that resolves "now" finishes
 * before time moves on.
 */
import type { Clock } from '../../domain/ports/clock';

interface Timer {
  readonly id: number;
  readonly atMs: number;
  readonly callback: () => void;
}

/** A Clock whose time moves only through `advanceTo` / `advanceBy`. */
export interface TestClock extends Clock {
  /** runs every timer due at or before `timeMs`, in order, then sets the time to `timeMs` */
  advanceTo(timeMs: number): Promise<void>;
  advanceBy(deltaMs: number): Promise<void>;
  /** timers not yet run */
  pending(): number;
  /** due time of the next timer */
  nextAtMs(): number | undefined;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Creates a test clock starting at `startMs`. */
export function testClock(startMs = 0): TestClock {
  let nowMs = startMs;
  let sequence = 0;
  const timers = new Map<number, Timer>();
  const next = (): Timer | undefined => {
    let best: Timer | undefined;
    for (const t of timers.values()) if (best === undefined || t.atMs < best.atMs || (t.atMs === best.atMs && t.id < best.id)) best = t;
    return best;
  };
  const clock: TestClock = {
    now: () => nowMs,
    setTimeout(callback, delayMs) {
      const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
      sequence += 1;
      timers.set(sequence, { id: sequence, atMs: nowMs + delay, callback });
      return sequence;
    },
    clearTimeout(id) {
      if (typeof id === 'number') timers.delete(id);
    },
    async advanceTo(timeMs) {
      if (timeMs < nowMs) throw new Error(`testClock: cannot go back from ${nowMs} to ${timeMs} ms`);
      for (;;) {
        await settle();
        const t = next();
        if (t === undefined || t.atMs > timeMs) break;
        timers.delete(t.id);
        nowMs = t.atMs;
        t.callback();
      }
      nowMs = timeMs;
      await settle();
    },
    advanceBy: (deltaMs) => clock.advanceTo(nowMs + deltaMs),
    pending: () => timers.size,
    nextAtMs: () => next()?.atMs,
  };
  return clock;
}
