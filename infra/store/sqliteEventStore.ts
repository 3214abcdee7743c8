/**
 * SQLite EventStore (the embedded default): one ledger per file, better-sqlite3, WAL.
 *
 * Appends run in one `BEGIN IMMEDIATE` transaction that takes SQLite's single write lock before
 * reading the stream's version, so the expected-version check and the inserts are atomic even
 * against other processes on the same file. Because writers are serialised by that lock,
 * `global_position` (the rowid) grows in commit order and a reader can never see a gap that a
 * slower writer fills later.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AllRange, EventData, ExpectedVersion, RecordedEvent, StreamRange } from '../../domain/ports/eventStore';
import { EventStoreError, StoreUnavailable } from '../../domain/ports/eventStoreErrors';
import { assertAppendable, checkExpectedVersion, decodeEventRow, describeError, encodeMetadata } from './eventRows';
import type { InspectableEventStore } from './inspectable';
import { pagedReadAll, pagedReadStream } from './paging';
import { pollingSubscription, subscriptionSet, wakeSignal } from './pollingSubscription';
import { openSqliteLedger } from './sqliteSchema';

/** Options of `sqliteEventStore`. */
export interface SqliteEventStoreOptions {
  /** create the file (not its directory) if missing; default true */
  readonly create?: boolean;
  /** how long a writer waits for another process's write lock before `StoreUnavailable`; default 5000 */
  readonly busyTimeoutMs?: number;
  /** `full` (default) syncs every commit; `normal` may lose the last commits on power loss */
  readonly synchronous?: 'full' | 'normal';
  /** how often subscriptions look for other processes' appends; default 50 */
  readonly pollIntervalMs?: number;
}

const columns = 'global_position AS globalPosition, stream_id AS streamId, version, type, schema_version AS schemaVersion, data, metadata';

/** Maps a driver error to the port's errors; our own errors pass through unchanged. */
export function sqliteFailure(error: unknown, where: string): unknown {
  if (error instanceof EventStoreError) return error;
  // duck-typed: driver errors may come from another realm (jest's sandbox), failing instanceof
  const { message, code } = describeError(error);
  const retriable = code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  return new StoreUnavailable(`${where}: ${message}${code ? ` (${code})` : ''}`, retriable);
}

function openFile(path: string, create: boolean, busyTimeoutMs: number): Database.Database {
  if (!existsSync(dirname(path))) {
    throw new StoreUnavailable(`sqlite:${path}: directory ${dirname(path)} does not exist`, false);
  }
  if (!create && !existsSync(path)) throw new StoreUnavailable(`sqlite:${path}: no such store file`, false);
  try {
    return new Database(path, { fileMustExist: !create, timeout: busyTimeoutMs });
  } catch (error) {
    throw sqliteFailure(error, `sqlite:${path}`);
  }
}

function prepare(db: Database.Database) {
  return {
    streamVersion: db.prepare<[string], { version: number }>('SELECT version FROM streams WHERE stream_id = ?'),
    insertEvent: db.prepare(
      'INSERT INTO events (stream_id, version, type, schema_version, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    upsertStream: db.prepare(
      'INSERT INTO streams (stream_id, version) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version',
    ),
    readStream: db.prepare<[string, number, number, number], Record<string, unknown>>(
      `SELECT ${columns} FROM events WHERE stream_id = ? AND version >= ? AND version <= ? ORDER BY version LIMIT ?`,
    ),
    readAll: db.prepare<[number, number], Record<string, unknown>>(
      `SELECT ${columns} FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?`,
    ),
    head: db.prepare<[], { head: number | null }>('SELECT max(global_position) AS head FROM events'),
    streamCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM streams'),
    eventCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events'),
  };
}

type Statements = ReturnType<typeof prepare>;

/** One append in one IMMEDIATE transaction (the caller runs it with `.immediate`). */
function appendTransaction(db: Database.Database, statements: Statements) {
  return db.transaction((stream: string, events: readonly EventData[], expected: ExpectedVersion) => {
    const current = statements.streamVersion.get(stream)?.version;
    checkExpectedVersion(stream, expected, current);
    let version = current ?? -1;
    let position = 0;
    for (const event of events) {
      version++;
      const info = statements.insertEvent.run(
        stream,
        version,
        event.type,
        event.schemaVersion,
        event.data,
        encodeMetadata(event.metadata),
      );
      position = Number(info.lastInsertRowid);
    }
    statements.upsertStream.run(stream, version);
    return { version, globalPosition: BigInt(position) };
  });
}

/** Opens (and with `create`, initialises) the ledger in the SQLite file at `path` (absolute). */
export function sqliteEventStore(path: string, options: SqliteEventStoreOptions = {}): InspectableEventStore {
  const url = `sqlite:${path}`;
  const db = openFile(path, options.create ?? true, options.busyTimeoutMs ?? 5000);
  try {
    openSqliteLedger(db, url, options.create ?? true, options.synchronous ?? 'full');
  } catch (error) {
    db.close();
    throw sqliteFailure(error, url);
  }
  const statements = prepare(db);
  const wake = wakeSignal();
  const subscriptions = subscriptionSet();

  const appendInTransaction = appendTransaction(db, statements);

  const guard = <T>(where: string, run: () => T): T => {
    try {
      return run();
    } catch (error) {
      throw sqliteFailure(error, `${url}: ${where}`);
    }
  };

  const headPosition = async () => BigInt(guard('head position', () => statements.head.get()?.head ?? 0));
  const readBatch = async (afterPosition: bigint, maxCount: number): Promise<RecordedEvent[]> =>
    guard('read all', () => statements.readAll.all(Number(afterPosition), maxCount)).map(decodeRow);

  return {
    url,
    async append(stream, events, expected) {
      assertAppendable(stream, events, expected);
      const result = guard(`append to ${stream}`, () => appendInTransaction.immediate(stream, events, expected));
      wake.notify();
      return result;
    },
    async streamVersion(stream) {
      return guard('stream version', () => statements.streamVersion.get(stream)?.version);
    },
    readStream: async function* (stream: string, range?: StreamRange) {
      const current = guard('stream version', () => statements.streamVersion.get(stream)?.version);
      yield* pagedReadStream(stream, range, current, async (from, to, maxCount) =>
        guard(`read ${stream}`, () => statements.readStream.all(stream, from, to, maxCount)).map(decodeRow),
      );
    },
    readAll: (range: AllRange = {}) => pagedReadAll(range, readBatch),
    subscribeAll(subscribe) {
      const source = { readBatch, headPosition, wake };
      return subscriptions.add(pollingSubscription(source, subscribe, { pollIntervalMs: options.pollIntervalMs ?? 50 }));
    },
    headPosition,
    async stats() {
      return guard('stats', () => ({ streams: statements.streamCount.get()!.n, events: statements.eventCount.get()!.n }));
    },
    async close() {
      await subscriptions.stopAll();
      if (db.open) db.close();
    },
  };
}

function decodeRow(row: Record<string, unknown>): RecordedEvent {
  return decodeEventRow({
    globalPosition: row.globalPosition,
    streamId: row.streamId,
    version: row.version,
    type: row.type,
    schemaVersion: row.schemaVersion,
    data: row.data,
    metadata: row.metadata,
  });
}
