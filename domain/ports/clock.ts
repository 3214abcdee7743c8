/**
 * Clock port: one clock drives domain time and machine timers. A superset of xstate's `Clock`
 * (`setTimeout`/`clearTimeout`), so an xstate actor can be given the same clock.
 * Adapters: virtual (simulation scheduler) and wall (`infra/clock`).
 */
export type TimerId = unknown;

export interface Clock {
  /** milliseconds since the unix epoch (virtual in a simulation) */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerId;
  clearTimeout(id: TimerId): void;
}
