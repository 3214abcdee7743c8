/**
 * The bookkeeping of a placed consumer (`placementSource.ts`), apart from kafkajs so it can be
 * unit-tested: which partitions the group gave this member, which of them flow, and the host's
 * assignment work run in join order.
 *
 * kafkajs has no rebalance callback, only a "joined, here is your assignment" event, and
 * rebalances eagerly. So every join is diffed against what is held: the partitions that left stop
 * at once and are reported revoked once their message in flight is done; the new ones are paused
 * before their first fetch and flow only after the host claimed and restored them and said where
 * they start. Each arrival gets an incarnation number, so that the late end of an old arrival
 * (revoked and given back meanwhile) cannot resume the new one.
 */
import type { PlacedHandlers } from './placementSource';

/** What the tracker may do to the consumer */
export interface PartitionControls {
  pause(partitions: readonly number[]): void;
  resume(partitions: readonly number[]): void;
  /** the next fetch of `partition` starts at `offset` */
  seek(partition: number, offset: bigint): void;
}

/** The state of one placed consumer's partitions */
export interface PlacementTracker {
  /** a group join handed this member `assigned` */
  join(assigned: readonly number[]): void;
  /** true while messages of `partition` may be handled */
  isReady(partition: number): boolean;
  /** runs one message's handling, so a revocation waits for it */
  track<T>(partition: number, work: Promise<T>): Promise<T>;
  /**
   * The host lost the partition (fenced): stop it and report it revoked. If the group still
   * gives it to this member after `reclaimAfterMs` (no rebalance took it away: this member was
   * evicted and rejoined with the same partitions while another node claimed them), claim it
   * again.
   */
  lose(partition: number, reclaimAfterMs: number): void;
  /** pauses the partition at `offset` and resumes it after `delayMs` if it is still the same arrival */
  retryLater(partition: number, offset: bigint, delayMs: number): void;
  /** ready partitions, ascending */
  ready(): number[];
  /** the member is leaving: nothing resumes or is claimed any more */
  close(): void;
  /** reports every held partition revoked and waits for the host's work to finish */
  revokeAll(): Promise<void>;
}

/** A tracker driving `controls` and calling `handlers` (see the file's comment). */
export function placementTracker(controls: PartitionControls, handlers: Omit<PlacedHandlers, 'onMessage'>, log: (message: string, extra: Record<string, unknown>) => void): PlacementTracker {
  const held = new Map<number, number>();
  // the partitions of the latest join
  let assignedNow = new Set<number>();
  const ready = new Set<number>();
  const inFlight = new Map<number, Promise<unknown>>();
  let transitions = Promise.resolve();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  let incarnations = 0;
  let closed = false;

  // the host's work in join order; a failing step is logged and does not block the next
  const queue = (step: () => Promise<void>) => {
    transitions = transitions.then(step).catch((error: unknown) => log('partition transition failed', { error: String(error) }));
  };
  const revoke = (partitions: readonly number[]) => {
    if (partitions.length === 0) return;
    for (const p of partitions) {
      held.delete(p);
      ready.delete(p);
    }
    if (!closed) controls.pause(partitions);
    queue(async () => {
      await Promise.all(partitions.map((p) => inFlight.get(p)));
      await handlers.onRevoked(partitions);
    });
  };
  // retries the host's claim until it succeeds or the partitions are gone again
  const start = async (added: readonly [number, number][]) => {
    const stillHeld = () => added.filter(([p, incarnation]) => held.get(p) === incarnation).map(([p]) => p);
    for (let attempt = 0; !closed && stillHeld().length > 0; attempt++) {
      try {
        const starts = await handlers.onAssigned(stillHeld());
        const flowing = stillHeld().filter((p) => starts.has(p));
        for (const p of flowing) controls.seek(p, starts.get(p)!);
        for (const p of flowing) ready.add(p);
        if (flowing.length > 0) controls.resume(flowing);
        return;
      } catch (error) {
        log('assignment handler failed: retrying', { partitions: stillHeld(), error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      }
    }
  };

  const add = (partitions: readonly number[]) => {
    const added: [number, number][] = partitions.filter((p) => !held.has(p)).map((p) => [p, ++incarnations]);
    if (added.length === 0) return;
    // paused before the join's first fetch, which the event handler runs ahead of
    controls.pause(added.map(([p]) => p));
    for (const [p, incarnation] of added) held.set(p, incarnation);
    queue(() => start(added));
  };

  return {
    join(assigned) {
      if (closed) return;
      assignedNow = new Set(assigned);
      revoke([...held.keys()].filter((p) => !assignedNow.has(p)));
      add([...assignedNow]);
    },
    isReady: (partition) => !closed && ready.has(partition),
    track(partition, work) {
      inFlight.set(partition, work);
      return work.finally(() => inFlight.delete(partition));
    },
    lose(partition, reclaimAfterMs) {
      revoke([partition]);
      const joinedThen = assignedNow;
      later(reclaimAfterMs, () => {
        // a join since then decided anew; otherwise the group still says the partition is ours
        if (!closed && assignedNow === joinedThen && assignedNow.has(partition)) add([partition]);
      });
    },
    retryLater(partition, offset, delayMs) {
      const incarnation = held.get(partition);
      controls.pause([partition]);
      controls.seek(partition, offset);
      later(delayMs, () => {
        if (!closed && held.get(partition) === incarnation && ready.has(partition)) controls.resume([partition]);
      });
    },
    ready: () => [...ready].sort((a, b) => a - b),
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
    async revokeAll() {
      revoke([...held.keys()]);
      await transitions;
    },
  };
}
