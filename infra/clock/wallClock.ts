/**
 * The wall-clock adapter of the Clock port (a cluster node's actors run on real time; a
 * simulation's on the scheduler's virtual clock).
 */
import type { Clock } from '../../domain/ports/clock';

export const wallClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, Math.max(0, delayMs)),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};
