/**
 * EventStore port (ARCHITECTURE.md §3, §6): append-only streams with optimistic concurrency.
 *
 * Stream versions start at 0: the first event of a stream has version 0, so the chain stream's
 * version equals the block number (genesis = 0). "No stream yet" is its own expected-version value
 * (`'no-stream'`), distinct from any number. Every event also gets a global position, strictly
 * increasing in commit order across all streams of one store, which readers use as a checkpoint.
 *
 * Adapters: memory, sqlite (default), postgres, eventstoredb (`infra/store`). All of them pass
 * the same contract suite (`test/eventStore.contract.ts`).
 */

/** Name of a stream, e.g. `chain`, `worker-0x…`, `enclave-<machineId>`. */
export type StreamId = string;

/** What an append expects the stream's current version to be. */
export type ExpectedVersion =
  /** the stream must not exist yet (its first event gets version 0) */
  | 'no-stream'
  /** the stream must exist (any version) */
  | 'stream-exists'
  /** no check */
  | 'any'
  /** the stream's last event must have exactly this version */
  | number;

/** An event to append. `data` is opaque bytes (SCALE for the ledger, JSON elsewhere). */
export interface EventData {
  /** past-tense fact name, e.g. `BlockSealed` */
  readonly type: string;
  /** version of `data`'s format, so that old records can be upcast (issue 7) */
  readonly schemaVersion: number;
  readonly data: Uint8Array;
  /** small string map (correlation ids, producer id); never secrets */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** An event as stored. */
export interface RecordedEvent extends EventData {
  readonly streamId: StreamId;
  /** position inside its stream, from 0 */
  readonly version: number;
  /** position in the whole store, strictly increasing in commit order, from 1 */
  readonly globalPosition: bigint;
}

export interface AppendResult {
  /** version of the last appended event */
  readonly version: number;
  /** global position of the last appended event */
  readonly globalPosition: bigint;
}

/** Bounds for reading one stream; both ends inclusive. */
export interface StreamRange {
  readonly fromVersion?: number;
  readonly toVersion?: number;
  readonly maxCount?: number;
}

/** Reading everything after a checkpoint (exclusive), in global order. */
export interface AllRange {
  /** read events with globalPosition > afterPosition (0n = from the start) */
  readonly afterPosition?: bigint;
  readonly maxCount?: number;
}

/** A running subscription; `stop()` resolves once no more callbacks will run. */
export interface Subscription {
  stop(): Promise<void>;
  /** resolves once the subscription has caught up with everything committed when it started */
  readonly caughtUp: Promise<void>;
}

export interface SubscribeOptions {
  readonly afterPosition?: bigint;
  /** called in global order, one at a time; the next event waits for the returned promise */
  readonly onEvent: (event: RecordedEvent) => void | Promise<void>;
  /** called once if the subscription fails (e.g. a corrupt record); it is then stopped */
  readonly onError?: (error: unknown) => void;
}

/**
 * The port. All methods are async because the shared adapters are remote; the embedded ones
 * resolve immediately.
 */
export interface EventStore {
  /** a description with secrets (passwords) removed, e.g. `sqlite:/abs/path/ledger.db` */
  readonly url: string;
  /**
   * Appends atomically. Throws `WrongExpectedVersion` (see `eventStoreErrors.ts`) if the check
   * fails, in which case nothing is written.
   */
  append(stream: StreamId, events: readonly EventData[], expected: ExpectedVersion): Promise<AppendResult>;
  /** version of the stream's last event, or `undefined` if the stream does not exist */
  streamVersion(stream: StreamId): Promise<number | undefined>;
  /**
   * events of one stream in version order, within bounds; an undecodable row, or a version
   * missing below the stream's recorded version, throws `CorruptRecord`
   */
  readStream(stream: StreamId, range?: StreamRange): AsyncIterable<RecordedEvent>;
  /** every event after a checkpoint in global (commit) order; never skips a committed event */
  readAll(range?: AllRange): AsyncIterable<RecordedEvent>;
  /** catch up from a checkpoint, then deliver new events live, without skipping any */
  subscribeAll(options: SubscribeOptions): Subscription;
  /** global position of the last committed event (0n for an empty store) */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}
