/**
 * The benchmark iteration counter of a simulated CPU. Phala's pRuntime runs a prime-counting loop
 * on a thread and bumps a global counter once per loop while the benchmark is resumed
 * (`crates/phactory/src/benchmark.rs`). Here the CPU has a speed, and the counter is a function of
 * virtual time computed lazily: only a pause or a resume records anything, so an idle worker costs
 * nothing per block.
 */

/** A simulated CPU: how many benchmark iterations it completes every 6 s (= the score it earns). */
export interface SimulatedCpu {
  readonly iterationsPer6s: bigint;
}

/**
 * Counter state. `base` = iterations counted up to `runningSinceMs`; while running, iterations
 * accrue at the CPU speed. Pausing folds the running segment into `base`.
 */
export interface BenchCounter {
  readonly base: bigint;
  /** virtual time (ms) the current running segment began; undefined while paused */
  readonly runningSinceMs: bigint | undefined;
}

/** The counter of a fresh pRuntime: zero, paused (`Flags::BENCH_PAUSED` at start). */
export const pausedCounter: BenchCounter = { base: 0n, runningSinceMs: undefined };

/** The counter's value at virtual time `nowMs` (which never goes back). */
export function iterationsAt(counter: BenchCounter, cpu: SimulatedCpu, nowMs: bigint): bigint {
  if (counter.runningSinceMs === undefined) return counter.base;
  if (nowMs < counter.runningSinceMs) throw new Error(`bench counter read at ${nowMs} ms, before its segment began at ${counter.runningSinceMs} ms`);
  return counter.base + ((nowMs - counter.runningSinceMs) * cpu.iterationsPer6s) / 6000n;
}

/** `benchmark::resume()`: a no-op when already running. */
export function resumeCounter(counter: BenchCounter, nowMs: bigint): BenchCounter {
  return counter.runningSinceMs === undefined ? { base: counter.base, runningSinceMs: nowMs } : counter;
}

/** `benchmark::pause()`: freezes the count reached at `nowMs`. */
export function pauseCounter(counter: BenchCounter, cpu: SimulatedCpu, nowMs: bigint): BenchCounter {
  return counter.runningSinceMs === undefined ? counter : { base: iterationsAt(counter, cpu, nowMs), runningSinceMs: undefined };
}
