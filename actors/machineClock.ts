/**
 * What a timed machine reads of the Clock port. Timed states keep an absolute deadline in context
 * (domain state, persisted with the snapshot) and compute their `after` delay as "deadline − now",
 * so re-entering the state after a restore (`phalanet.restored`) re-arms the timer for exactly the
 * time that was left, and a deadline that passed while the actor was down fires at once.
 */
import type { Clock } from '../domain/ports/clock';

/** The part of the Clock port a machine definition may read (timers go through xstate's clock). */
export type MachineClock = Pick<Clock, 'now'>;

/** Milliseconds from now until `deadlineMs`, never negative. */
export function msUntil(clock: MachineClock, deadlineMs: number): number {
  return Math.max(0, deadlineMs - clock.now());
}
