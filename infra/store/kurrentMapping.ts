/**
 * The pure half of the KurrentDB adapter (`kurrentEventStore.ts`): expected versions to stream
 * states, log positions to our global positions, driver errors to the port's errors, and one
 * recorded KurrentDB event back to a `RecordedEvent`. Pure so that it is tested without a server.
 *
 * Positions. KurrentDB orders `$all` by (commit, prepare). The events of one append may share a
 * commit position while their prepare positions differ (and a prepare never lies before its
 * commit for the implicit transactions that `appendToStream` makes), so we pack both into one
 * bigint: `commit * 2^32 + (prepare - commit)`. It is strictly increasing in `$all` order, and
 * resuming "after g" starts reading at the commit part of g (the start of its append) and drops
 * what is not above g, so no event of a half-read append is skipped.
 */
import { ANY, NO_STREAM, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import type { AppendStreamState, Position } from '@kurrent/kurrentdb-client';
import type { ExpectedVersion, RecordedEvent } from '../../domain/ports/eventStore';
import { EventStoreError, StoreUnavailable, WrongExpectedVersion } from '../../domain/ports/eventStoreErrors';
import { decodeEventRow, describeError } from './eventRows';

const offsetBits = 32n;
const offsetLimit = 1n << offsetBits;

/** Our expected version as the client's `streamState` (versions and revisions both start at 0). */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return BigInt(expected);
  }
}

/** A KurrentDB log position as our global position; undefined when it cannot be packed. */
export function packPosition(position: Position): bigint | undefined {
  const offset = position.prepare - position.commit;
  if (position.commit < 0n || offset < 0n || offset >= offsetLimit) return undefined;
  return (position.commit << offsetBits) + offset + 1n;
}

/** Where to start reading so that every event above `globalPosition` is seen (0n = start). */
export function resumePosition(globalPosition: bigint): Position | undefined {
  if (globalPosition <= 0n) return undefined;
  const commit = (globalPosition - 1n) >> offsetBits;
  return { commit, prepare: commit };
}

const retriableTypes = new Set(['unavailable', 'timeout', 'deadline-exceeded', 'not-leader', 'cancelled']);

/** Maps a client error to the port's errors; ours pass through unchanged. Duck-typed (realms). */
export function kurrentFailure(error: unknown, where: string, stream?: string, expected?: ExpectedVersion): unknown {
  if (error instanceof EventStoreError) return error;
  const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : '';
  if (type === 'wrong-expected-version' && stream !== undefined && expected !== undefined) {
    const actual = (error as { actualState?: unknown }).actualState;
    return new WrongExpectedVersion(stream, String(expected), typeof actual === 'bigint' ? Number(actual) : undefined);
  }
  const { message, code } = describeError(error);
  const retriable = retriableTypes.has(type) || /ECONNREFUSED|ECONNRESET|ETIMEDOUT|UNAVAILABLE|deadline/i.test(`${message} ${code}`);
  // the client's messages are sometimes just its class name: say what kind of failure it is
  const reason = /^[A-Za-z]+Error$/.test(message) && type ? `${type.replace(/-/g, ' ')} (${message})` : message || type;
  return new StoreUnavailable(`${where}: ${reason || 'unknown error'}`, retriable);
}

const text = new TextDecoder();

/** What we keep in a KurrentDB event's metadata (JSON): our schema version and metadata. */
export function encodeEnvelope(schemaVersion: number, metadata: Readonly<Record<string, string>> | undefined): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ schemaVersion, metadata: metadata ?? {} }));
}

/** The fields of a KurrentDB recorded event that we read. */
export interface KurrentRecord {
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position | undefined;
}

function envelopeOf(metadata: unknown): { schemaVersion: unknown; metadata: unknown } {
  let parsed: unknown = metadata;
  if (metadata instanceof Uint8Array) {
    try {
      parsed = JSON.parse(text.decode(metadata));
    } catch {
      return { schemaVersion: undefined, metadata: '{not json' };
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return { schemaVersion: undefined, metadata: undefined };
  const inner = 'metadata' in parsed ? parsed.metadata : undefined;
  return {
    schemaVersion: 'schemaVersion' in parsed ? parsed.schemaVersion : undefined,
    metadata: inner === undefined ? undefined : JSON.stringify(inner),
  };
}

/** Decodes one event of our ledger (`prefix` stripped); anything out of shape is `CorruptRecord`. */
export function decodeKurrentRecord(record: KurrentRecord, prefix: string): RecordedEvent {
  const envelope = envelopeOf(record.metadata);
  const packed = record.position === undefined ? undefined : packPosition(record.position);
  return decodeEventRow({
    globalPosition: packed ?? 0n,
    streamId: record.streamId.startsWith(prefix) ? record.streamId.slice(prefix.length) : record.streamId,
    version: record.revision,
    type: record.type,
    schemaVersion: envelope.schemaVersion,
    data: record.data,
    metadata: envelope.metadata,
  });
}
