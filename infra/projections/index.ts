/**
 * Opening the projection store that goes with a ledger: `memory:` gets a memory store, a SQLite
 * ledger gets its sibling file `<ledger>.projections.db`. PostgreSQL (a `projections` schema) is
 * not written yet and says so.
 */
import { inMemoryProjectionStore } from '../../projections/memoryStore';
import type { ProjectionStore } from '../../projections/store';
import { UsageError } from '../cli/errors';
import type { StoreUrl } from '../store/storeUrl';
import { projectionsPathFor, sqliteProjectionStore } from './sqliteProjectionStore';

export { projectionsPathFor, sqliteProjectionStore } from './sqliteProjectionStore';

/** The memory adapter of the projection store port. */
export const memoryProjectionStore = (): ProjectionStore => inMemoryProjectionStore('memory:');

/** The projection store beside the ledger at `ledger`. */
export function openProjectionStore(ledger: StoreUrl): ProjectionStore {
  switch (ledger.kind) {
    case 'memory':
      return memoryProjectionStore();
    case 'sqlite':
      return sqliteProjectionStore(projectionsPathFor(ledger.path));
    case 'postgres':
      throw new UsageError(`projections for ${ledger.display}: the PostgreSQL projection store is not implemented yet; use a sqlite: ledger`);
    default: {
      const never: never = ledger;
      return never;
    }
  }
}
