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

function isEmpty(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get() === undefined;
}

function checkOrCreate(db: Database.Database, url: string, create: boolean): void {
  const layout = Number(db.pragma('user_version', { simple: true }));
  if (layout === sqliteLayoutVersion) return;
  if (layout > sqliteLayoutVersion) {
    throw new StoreUnavailable(`${url}: written by a newer phalanet (layout ${layout}); upgrade phalanet`, false);
  }
  // only an empty database becomes a ledger: someone else's tables are never written into
  if (layout === 0 && isEmpty(db)) {
    if (!create) throw new StoreUnavailable(`${url}: the file is not a phalanet store (no ledger tables)`, false);
    db.transaction(() => {
      // a second process may have created the ledger since we looked
      if (Number(db.pragma('user_version', { simple: true })) === sqliteLayoutVersion) return;
      db.exec(createTables);
      db.pragma(`user_version = ${sqliteLayoutVersion}`);
    }).immediate();
    return;
  }
  throw new StoreUnavailable(`${url}: not a phalanet store (other tables, layout ${layout})`, false);
}

/**
 * Checks or creates the tables, then sets the connection up; throws `StoreUnavailable`.
 * WAL lets readers run beside the one writer. `synchronous`: FULL syncs every commit (a block
 * appended is a block kept); NORMAL never corrupts the file but a power loss may drop the last
 * commits — fine for throw-away simulation ledgers, not for a producer that publishes blocks.
 */
export function openSqliteLedger(db: Database.Database, url: string, create: boolean, synchronous: 'full' | 'normal'): void {
  checkOrCreate(db, url, create);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
}
