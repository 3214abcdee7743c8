/**
 * Typed failures of the EventStore port. Infrastructure errors carry `retriable` (kafkajs model).
 */

/** Base class of every store failure. */
export class EventStoreError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** An append's expected version did not match: nothing was written. Not retriable as is. */
export class WrongExpectedVersion extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly expected: string,
    readonly actual: number | undefined,
  ) {
    super(
      `stream ${stream}: expected version ${expected}, but the stream is at ${actual === undefined ? 'no stream' : actual}`,
      false,
    );
  }
}

/** A stored row cannot be decoded. Names the stream and version; never skipped silently. */
export class CorruptRecord extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly version: number,
    detail: string,
  ) {
    super(`corrupt record in stream ${stream} at version ${version}: ${detail}`, false);
  }
}

/** The store cannot be reached or opened (server down, directory missing, bad credentials). */
export class StoreUnavailable extends EventStoreError {
  constructor(message: string, retriable: boolean) {
    super(message, retriable);
  }
}

/**
 * An append refused by its fence (a producer lease or partition ownership this writer no longer
 * holds): nothing was written. Not retriable: the writer has lost its right to write.
 */
export class FencedWrite extends EventStoreError {
  /** `message` replaces the default line (`append to <stream> refused by its fence: <detail>`) */
  constructor(
    readonly stream: string,
    detail: string,
    message = `append to ${stream} refused by its fence: ${detail}`,
  ) {
    super(message, false);
  }
}
