/**
 * Opening an EventStore from a store URL: the one place where the CLI and the cluster pick an
 * adapter. A URL that cannot be opened is the user's input being wrong (`UsageError`, exit 2):
 * bad syntax, unknown scheme, missing directory, nonexistent store, unreachable server.
 */
import { StoreUnavailable } from '../../domain/ports/eventStoreErrors';
import { UsageError } from '../cli/errors';
import type { InspectableEventStore } from './inspectable';
import { kurrentEventStore } from './kurrentEventStore';
import { memoryEventStore } from './memoryEventStore';
import { postgresEventStore } from './postgresEventStore';
import { sqliteEventStore } from './sqliteEventStore';
import { decodeStoreUrl, type StoreUrl } from './storeUrl';

export type { InspectableEventStore, StoreStats } from './inspectable';
export { decodeStoreUrl, parseStoreUrl, type StoreUrl, StoreUrlFromString } from './storeUrl';

/** How to open. */
export interface OpenEventStoreOptions {
  /**
   * `false`: the store must already exist (readers: replay, query, store info). `true`: a missing
   * SQLite file or PostgreSQL schema is created (a KurrentDB ledger exists once it has an event); a missing directory is still an error.
   */
  readonly create: boolean;
  /** for PostgreSQL when the URL has no `connect_timeout`; default 5000 */
  readonly connectTimeoutMs?: number;
}

function advice(url: StoreUrl, error: StoreUnavailable, create: boolean): string {
  switch (url.kind) {
    case 'memory':
      return 'this should not happen with memory:';
    case 'sqlite':
      if (/directory .* does not exist/.test(error.message)) return 'create the directory first or choose another path';
      if (/no such store file/.test(error.message)) return 'check the path (a store is created by the commands that write one)';
      return create ? 'choose another file' : 'check that the path names a phalanet store';
    case 'postgres':
      if (/holds no phalanet ledger/.test(error.message)) return 'check the ?schema= of the URL';
      return 'check the host, port, database and credentials, and that the server is running';
    case 'kurrentdb':
      if (/holds no phalanet ledger/.test(error.message)) return 'check the ?ledger= of the URL';
      return 'check the hosts, credentials and tls= setting, and that the server is running';
    default: {
      const never: never = url;
      return never;
    }
  }
}

async function openDecoded(url: StoreUrl, options: OpenEventStoreOptions): Promise<InspectableEventStore> {
  switch (url.kind) {
    case 'memory':
      return memoryEventStore();
    case 'sqlite':
      return sqliteEventStore(url.path, { create: options.create });
    case 'postgres':
      return postgresEventStore({
        connectionString: url.connectionString,
        schema: url.schema,
        display: url.display,
        create: options.create,
        connectTimeoutMs: url.connectTimeoutMs ?? options.connectTimeoutMs ?? 5000,
      });
    case 'kurrentdb':
      return kurrentEventStore({ connectionString: url.connectionString, ledger: url.ledger, display: url.display, create: options.create });
    default: {
      const never: never = url;
      return never;
    }
  }
}

/** Opens the store a URL names; every reason it cannot be opened is a one-line `UsageError`. */
export async function openEventStore(text: string, options: OpenEventStoreOptions): Promise<InspectableEventStore> {
  const url = decodeStoreUrl(text);
  if (typeof url === 'string') throw new UsageError(url);
  try {
    return await openDecoded(url, options);
  } catch (error) {
    if (error instanceof StoreUnavailable) {
      throw new UsageError(`cannot open store ${error.message}: ${advice(url, error, options.create)}`);
    }
    throw error;
  }
}
