/** The EventStore contract against the in-memory adapter. */
import type { EventStore } from '../domain/ports/eventStore';
import { type MemoryRow, memoryEventStore } from '../infra/store/memoryEventStore';
import { eventStoreContract } from './eventStore.contract';

const rowsOf = new WeakMap<EventStore, MemoryRow[]>();

describe('memoryEventStore', () => {
  eventStoreContract({
    name: 'memory',
    async open() {
      const rows: MemoryRow[] = [];
      const store = memoryEventStore({ rows });
      rowsOf.set(store, rows);
      return store;
    },
    // one process, one heap: the second handle is the same store, minus the right to close it
    async secondHandle(store) {
      return { ...store, close: async () => undefined };
    },
    async corrupt(store, stream, version, kind) {
      const row = rowsOf.get(store)!.find((r) => r.streamId === stream && r.version === version)!;
      if (kind === 'metadata-not-json') row.metadata = '{not json';
      else if (kind === 'negative-version') row.version = -1;
      else row.data = null;
    },
  });
});
