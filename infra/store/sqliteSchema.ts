/**
 * The SQLite ledger's tables. `PRAGMA user_version` records the layout, so that a file written
 * by a newer phalanet, or a SQLite file that is not a ledger at all, is refused rather than
 * written into.
 */
import type Database from 'better-sqlite3';
import { StoreUnavailable } from '../../domain/ports/eventStoreErrors';

/** Layout version of the tables below. */
export const sqliteLayoutVersion = 1;

// No CHECK constraints on version or metadata: decoding on read is the one place that judges a
// row, so a row damaged by other tools is reported as `CorruptRecord` instead of hidden.
const createTables = `
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY,
  stream_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  data BLOB NOT NULL,
  metadata TEXT NOT NULL,
  UNIQUE (stream_id, version)
);
`;

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Sets the connection up (WAL) and checks or creates the tables; throws `StoreUnavailable`. */
export function openSqliteLedger(db: Database.Database, url: string, create: boolean): void {
  // WAL lets readers run beside the one writer; NORMAL sync is durable at every checkpoint and
  // safe against corruption, at a fraction of FULL's fsyncs.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const layout = Number(db.pragma('user_version', { simple: true }));
  if (layout === sqliteLayoutVersion) return;
  if (layout > sqliteLayoutVersion) {
    throw new StoreUnavailable(`${url}: written by a newer phalanet (layout ${layout}); upgrade phalanet`, false);
  }
  if (layout === 0 && hasTable(db, 'events') === false && hasTable(db, 'streams') === false) {
    if (!create) throw new StoreUnavailable(`${url}: the file is not a phalanet store (no ledger tables)`, false);
    db.transaction(() => {
      db.exec(createTables);
      db.pragma(`user_version = ${sqliteLayoutVersion}`);
    }).immediate();
    return;
  }
  throw new StoreUnavailable(`${url}: not a phalanet store (unknown tables, layout ${layout})`, false);
}
