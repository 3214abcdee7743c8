/**
 * What the adapters offer beyond the port, for operators (`phalanet store info`): counts that
 * would otherwise need a full scan through the port.
 */
import type { EventStore } from '../../domain/ports/eventStore';

/** Sizes of a store. */
export interface StoreStats {
  readonly streams: number;
  readonly events: number;
}

/** An EventStore that can also report its sizes. Every adapter in `infra/store` returns one. */
export interface InspectableEventStore extends EventStore {
  stats(): Promise<StoreStats>;
}

/** Bounds of a stream read, resolved to numbers (both ends inclusive). */
export function streamBounds(range: { fromVersion?: number; toVersion?: number; maxCount?: number } = {}) {
  const from = Math.max(0, range.fromVersion ?? 0);
  const to = range.toVersion ?? Number.MAX_SAFE_INTEGER;
  const maxCount = range.maxCount ?? Number.MAX_SAFE_INTEGER;
  return { from, to, maxCount };
}
