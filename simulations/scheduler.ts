/**
 * The discrete-event scheduler of a simulation (ARCHITECTURE.md §7): tasks at virtual times, run in
 * the order (virtual time, seeded tiebreak, sequence).
 *
 * * Virtual time only moves when a task runs: `now()` is the due time of the task being run (or the
 *   bound given to `runUntil`). Nothing here reads the wall clock.
 * * Tasks due at the same virtual time run in an order chosen by the seed, not by scheduling order:
 *   each task draws a 32-bit tiebreak from the scheduler's own fork of the Random (`'tiebreak'`),
 *   and the scheduling sequence number breaks the (2^-32-rare) tie of equal tiebreaks. Another seed
 *   explores another interleaving of simultaneous events; the same seed replays the same one.
 * * Between two tasks the runner lets pending promise continuations settle (it yields to the event
 *   loop with `setImmediate`, which runs every queued microtask first). So an async handler that a
 *   task started, and that only awaits other simulated work, resumes at the virtual time it was
 *   released, before virtual time moves on. Simulated code must not wait on real I/O.
 */
import type { Random } from '../domain/ports/random';
import { type TaskEntry, TaskHeap } from './taskHeap';

/** Identifies a scheduled task, for `cancel` */
export type TaskId = number;

/** A discrete-event scheduler over virtual time */
export interface Scheduler {
  /** the current virtual time in ms */
  now(): number;
  /** runs `task` at virtual time `atMs` (>= now); `label` names it in errors */
  schedule(atMs: number, task: () => void, label?: string): TaskId;
  /** removes a task that has not run; false if it already ran or was cancelled */
  cancel(id: TaskId): boolean;
  /** runs the next task, if any; false when nothing is scheduled */
  step(): Promise<boolean>;
  /** runs every task due at or before `timeMs`, then sets the time to `timeMs`; returns the steps run */
  runUntil(timeMs: number): Promise<number>;
  /** runs tasks until none is left; throws after `maxSteps` (a guard against endless timers) */
  runUntilIdle(maxSteps: number): Promise<number>;
  /** number of tasks waiting */
  pending(): number;
  /** due time of the next task, if any */
  nextAtMs(): number | undefined;
}

/** Options of `virtualScheduler` */
export interface SchedulerOptions {
  /** the scheduler forks `'tiebreak'` from it */
  readonly random: Random;
  /** virtual time at start, ms (e.g. the genesis timestamp); default 0 */
  readonly startMs?: number;
}

/** lets every queued promise continuation run (see the file comment) */
const settleMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A discrete-event scheduler over virtual time with seeded tie-breaks */
export function virtualScheduler(options: SchedulerOptions): Scheduler {
  const tiebreaks = options.random.fork('tiebreak');
  const heap = new TaskHeap();
  const byId = new Map<TaskId, TaskEntry>();
  let nowMs = options.startMs ?? 0;
  let sequence = 0;
  let running = false;

  async function runWhile(due: (entry: TaskEntry) => boolean, maxSteps: number): Promise<number> {
    if (running) throw new Error('scheduler is already running (a task or handler tried to drive it)');
    running = true;
    let steps = 0;
    try {
      for (;;) {
        await settleMicrotasks();
        const next = heap.peek();
        if (next === undefined || !due(next)) return steps;
        if (steps >= maxSteps) {
          throw new Error(`scheduler: still busy after ${maxSteps} steps at ${nowMs} ms (next: ${next.label})`);
        }
        heap.pop();
        byId.delete(next.id);
        nowMs = next.atMs;
        steps += 1;
        next.task();
      }
    } finally {
      running = false;
    }
  }

  return {
    now: () => nowMs,
    schedule(atMs, task, label = 'task') {
      if (!Number.isFinite(atMs) || atMs < nowMs) {
        throw new RangeError(`cannot schedule ${label} at ${atMs} ms: now is ${nowMs} ms`);
      }
      sequence += 1;
      const entry: TaskEntry = { id: sequence, atMs, tiebreak: tiebreaks.nextU32(), sequence, task, label, slot: -1 };
      heap.push(entry);
      byId.set(entry.id, entry);
      return entry.id;
    },
    cancel(id) {
      const entry = byId.get(id);
      if (entry === undefined) return false;
      byId.delete(id);
      heap.remove(entry);
      return true;
    },
    step: async () => (await runWhile(() => true, 1)) === 1,
    async runUntil(timeMs) {
      if (!(timeMs >= nowMs)) throw new RangeError(`runUntil(${timeMs}): now is already ${nowMs} ms`);
      const steps = await runWhile((next) => next.atMs <= timeMs, Number.POSITIVE_INFINITY);
      nowMs = timeMs;
      return steps;
    },
    runUntilIdle: (maxSteps) => runWhile(() => true, maxSteps),
    pending: () => heap.size,
    nextAtMs: () => heap.peek()?.atMs,
  };
}
