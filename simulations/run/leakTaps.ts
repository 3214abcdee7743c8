/**
 * What the "no secret leaked" scan reads besides the blocks and the log (issue 5: no secret ever
 * reaches the bus, the store or the logs): every record an actor persists (snapshots, sealed
 * checkpoints) is handed to `tap` as it is appended. The store itself is untouched.
 */
import type { EventStore } from '../../domain/ports/eventStore';

/** `store`, with every appended record's data shown to `tap` first (named by stream and type). */
export function tappedStore(store: EventStore, tap: (where: string, bytes: Uint8Array) => void): EventStore {
  return {
    get url() {
      return store.url;
    },
    append(stream, events, expected) {
      for (const e of events) tap(`store stream ${stream} record ${e.type}`, e.data);
      return store.append(stream, events, expected);
    },
    streamVersion: (stream) => store.streamVersion(stream),
    readStream: (stream, range) => store.readStream(stream, range),
    readAll: (range) => store.readAll(range),
    subscribeAll: (options) => store.subscribeAll(options),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
}
