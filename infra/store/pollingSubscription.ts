/**
 * `subscribeAll` for every adapter: catch up from a checkpoint, then keep polling. The poll is
 * the truth; a wake-up signal (an append in this process, a NOTIFY) only cuts the wait short.
 * No event can be skipped as long as `readBatch` never returns an event while an earlier
 * position may still commit (each adapter's own guarantee, see the PostgreSQL adapter).
 */
import type { RecordedEvent, SubscribeOptions, Subscription } from '../../domain/ports/eventStore';
import { StoreUnavailable } from '../../domain/ports/eventStoreErrors';

/** Where a subscription reads from. */
export interface PollSource {
  /** committed events with globalPosition > afterPosition, in global order, at most maxCount */
  readBatch(afterPosition: bigint, maxCount: number): Promise<readonly RecordedEvent[]>;
  headPosition(): Promise<bigint>;
  readonly wake: WakeSignal;
}

/** Lets writers in this process wake idle subscribers before their poll interval is over. */
export interface WakeSignal {
  notify(): void;
  /** resolves on the next `notify()` or after `timeoutMs`, whichever is first */
  wait(timeoutMs: number): { readonly done: Promise<void>; cancel(): void };
}

/** A wake signal backed by timers (infra only: domain code never sees timers). */
export function wakeSignal(): WakeSignal {
  const waiters = new Set<() => void>();
  return {
    notify() {
      for (const wake of [...waiters]) wake();
    },
    wait(timeoutMs) {
      let finish: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(() => finish(), timeoutMs);
        finish = () => {
          clearTimeout(timer);
          waiters.delete(finish);
          resolve();
        };
        waiters.add(finish);
      });
      return { done, cancel: () => finish() };
    },
  };
}

export interface PollingOptions {
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  /** consecutive retriable failures tolerated before the subscription gives up */
  readonly retriesMax: number;
  /** test hook: called each time the subscription has delivered all it can see and goes idle */
  readonly onIdle?: () => void;
}

const defaults: PollingOptions = { pollIntervalMs: 50, batchSize: 500, retriesMax: 5 };

/** A promise settled at most once; `settle` says whether this call settled it. */
function settleOnce() {
  let settled = false;
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // a caller that never awaits the promise must not get an unhandled rejection from it
  promise.catch(() => undefined);
  return {
    promise,
    settle(error?: unknown): boolean {
      if (settled) return false;
      settled = true;
      if (error === undefined) resolve();
      else reject(error);
      return true;
    },
  };
}

/** Starts a subscription over `source`; see `EventStore.subscribeAll`. */
export function pollingSubscription(
  source: PollSource,
  options: SubscribeOptions,
  tuning: Partial<PollingOptions> = {},
): Subscription {
  const { pollIntervalMs, batchSize, retriesMax, onIdle } = { ...defaults, ...tuning };
  let stopped = false;
  let inCallback = false;
  let pendingWait: { cancel(): void } | undefined;
  const { promise: caughtUp, settle: settleCaughtUp } = settleOnce();

  const idle = async (ms: number) => {
    const waiting = source.wake.wait(ms);
    pendingWait = waiting;
    await waiting.done;
    pendingWait = undefined;
  };

  const fail = (error: unknown) => {
    stopped = true;
    const rejected = settleCaughtUp(error);
    if (options.onError) options.onError(error);
    else if (!rejected) process.emitWarning(`event store subscription stopped: ${String(error)}`);
  };

  const loop = async () => {
    let position = options.afterPosition ?? 0n;
    let failures = 0;
    let target: bigint | undefined;
    while (!stopped) {
      try {
        target ??= await source.headPosition();
        const batch = await source.readBatch(position, batchSize);
        failures = 0;
        for (const event of batch) {
          if (stopped) return;
          inCallback = true;
          try {
            await options.onEvent(event);
          } finally {
            inCallback = false;
          }
          position = event.globalPosition;
        }
        if (position >= target) settleCaughtUp();
        if (batch.length < batchSize && !stopped) {
          onIdle?.();
          await idle(pollIntervalMs);
        }
      } catch (error) {
        if (stopped) return; // a read cut short by stop() or close() is not a failure
        if (error instanceof StoreUnavailable && error.retriable && failures < retriesMax) {
          failures++;
          await idle(pollIntervalMs * 2 ** failures);
          continue;
        }
        fail(error);
      }
    }
  };
  const running = loop();

  return {
    caughtUp,
    async stop() {
      stopped = true;
      settleCaughtUp(new Error('subscription stopped before it caught up'));
      pendingWait?.cancel();
      // stop() from inside onEvent: the loop ends as soon as that callback returns
      if (inCallback) return;
      await running;
    },
  };
}

/** The live subscriptions of one store, so that `close()` can stop them first. */
export function subscriptionSet() {
  const live = new Set<Subscription>();
  return {
    add(subscription: Subscription): Subscription {
      live.add(subscription);
      return {
        caughtUp: subscription.caughtUp,
        async stop() {
          live.delete(subscription);
          await subscription.stop();
        },
      };
    },
    async stopAll(): Promise<void> {
      const all = [...live];
      live.clear();
      await Promise.all(all.map((subscription) => subscription.stop()));
    },
  };
}
