/**
 * Opening the projection store that goes with a ledger: `memory:` gets a memory store, a SQLite
 * ledger its sibling file `<ledger>.projections.db`, a PostgreSQL ledger in schema `S` the schema
 * `projections` (for `public`) or `S_projections`.
 */
import { inMemoryProjectionStore } from '../../projections/memoryStore';
import type { ProjectionStore } from '../../projections/store';
import type { StoreUrl } from '../store/storeUrl';
import { postgresProjectionStore } from './postgresProjectionStore';
import { projectionsPathFor, sqliteProjectionStore } from './sqliteProjectionStore';
import { UsageError } from '../cli/errors';

export { postgresProjectionStore, projectionsSchemaFor } from './postgresProjectionStore';
export { projectionsPathFor, sqliteProjectionStore } from './sqliteProjectionStore';

/** The memory adapter of the projection store port. */
export const memoryProjectionStore = (): ProjectionStore => inMemoryProjectionStore('memory:');

/** The projection store beside the ledger at `ledger`. */
export async function openProjectionStore(ledger: StoreUrl): Promise<ProjectionStore> {
  switch (ledger.kind) {
    case 'memory':
      return memoryProjectionStore();
    case 'sqlite':
      return sqliteProjectionStore(projectionsPathFor(ledger.path));
    case 'postgres':
      return postgresProjectionStore({ connectionString: ledger.connectionString, ledgerSchema: ledger.schema, display: ledger.display });
    case 'kurrentdb':
      throw new UsageError(`projections of a KurrentDB ledger (${ledger.display}) are not supported yet: replay it into sqlite: or postgres:// to query it`);
    default: {
      const never: never = ledger;
      return never;
    }
  }
}
