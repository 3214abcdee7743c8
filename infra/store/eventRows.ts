/**
 * What every adapter shares about rows: the expected-version rule, the checks on what is
 * appended, and decoding a stored row back into a `RecordedEvent` (io-ts at the boundary: a row
 * that does not decode is a `CorruptRecord` naming its stream and version, never skipped).
 */
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';
import type { EventData, ExpectedVersion, RecordedEvent } from '../../domain/ports/eventStore';
import { CorruptRecord, WrongExpectedVersion } from '../../domain/ports/eventStoreErrors';

/** Throws `WrongExpectedVersion` unless `current` (undefined = no stream) satisfies `expected`. */
export function checkExpectedVersion(stream: string, expected: ExpectedVersion, current: number | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && current === undefined) ||
    (expected === 'stream-exists' && current !== undefined) ||
    (typeof expected === 'number' && current === expected);
  if (!ok) throw new WrongExpectedVersion(stream, String(expected), current);
}

/**
 * Programming errors in an append (not store failures): they throw plain errors, as assertions.
 */
export function assertAppendable(stream: string, events: readonly EventData[], expected: ExpectedVersion): void {
  if (stream.length === 0) throw new TypeError('append: the stream id is empty');
  if (events.length === 0) throw new RangeError(`append to ${stream}: no events given`);
  if (typeof expected === 'number' && !(Number.isSafeInteger(expected) && expected >= 0)) {
    throw new RangeError(`append to ${stream}: expected version ${expected} is not a version`);
  }
  for (const event of events) {
    if (event.type.length === 0) throw new TypeError(`append to ${stream}: an event has an empty type`);
    if (!(Number.isSafeInteger(event.schemaVersion) && event.schemaVersion >= 0)) {
      throw new RangeError(`append to ${stream}: schemaVersion ${event.schemaVersion} of ${event.type} is not a version`);
    }
    if (!(event.data instanceof Uint8Array)) throw new TypeError(`append to ${stream}: data of ${event.type} is not bytes`);
  }
}

/** Metadata as stored: a JSON object of strings (`{}` when there is none). */
export function encodeMetadata(metadata: EventData['metadata']): string {
  return JSON.stringify(metadata ?? {});
}

/** A row as any adapter reads it, before decoding. Integers may arrive as number, bigint or text. */
export interface RawEventRow {
  readonly globalPosition: unknown;
  readonly streamId: unknown;
  readonly version: unknown;
  readonly type: unknown;
  readonly schemaVersion: unknown;
  readonly data: unknown;
  readonly metadata: unknown;
}

const NonNegativeInt = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInt');
const Metadata = t.record(t.string, t.string);

function toNumber(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return value;
}

function toPosition(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value > 0n ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  if (typeof value === 'string' && /^[1-9]\d*$/.test(value)) return BigInt(value);
  return undefined;
}

function parseMetadata(text: unknown): Record<string, string> | string {
  if (typeof text !== 'string') return 'metadata is not text';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'metadata is not valid JSON';
  }
  const decoded = Metadata.decode(parsed);
  if (isLeft(decoded) || Array.isArray(parsed)) return 'metadata is not an object of strings';
  return decoded.right;
}

/** Decodes one stored row; throws `CorruptRecord(stream, version)` on anything out of shape. */
export function decodeEventRow(row: RawEventRow): RecordedEvent {
  const streamId = typeof row.streamId === 'string' ? row.streamId : String(row.streamId);
  const rawVersion = toNumber(row.version);
  const shownVersion = typeof rawVersion === 'number' ? rawVersion : Number.NaN;
  const fail: (detail: string) => never = (detail) => {
    throw new CorruptRecord(streamId, shownVersion, detail);
  };
  if (typeof row.streamId !== 'string' || row.streamId.length === 0) fail('stream id is not a non-empty string');
  if (!NonNegativeInt.is(rawVersion)) fail(`version ${String(row.version)} is not a non-negative integer`);
  const globalPosition = toPosition(row.globalPosition) ?? fail(`global position ${String(row.globalPosition)} is not positive`);
  if (typeof row.type !== 'string' || row.type.length === 0) fail('type is not a non-empty string');
  const schemaVersion = toNumber(row.schemaVersion);
  if (!NonNegativeInt.is(schemaVersion)) fail(`schema version ${String(row.schemaVersion)} is not a non-negative integer`);
  const data = row.data;
  if (!(data instanceof Uint8Array)) return fail(data === null ? 'data is NULL' : 'data is not bytes');
  const metadata = parseMetadata(row.metadata);
  if (typeof metadata === 'string') return fail(metadata);
  return {
    streamId,
    version: rawVersion,
    globalPosition,
    type: row.type,
    schemaVersion,
    // a plain Uint8Array view (drivers hand out Buffers), without copying the bytes
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    metadata,
  };
}

/** Message and code of anything thrown (driver errors are not always `instanceof Error` here). */
export function describeError(error: unknown): { message: string; code: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error), code: '' };
  const message = 'message' in error && typeof error.message === 'string' ? error.message : String(error);
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  return { message, code };
}
