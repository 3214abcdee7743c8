/** The read models on the memory and SQLite projection stores (PostgreSQL: the int tier). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inMemoryProjectionStore } from '../../projections/memoryStore';
import { readModelsContract } from './testing/readModels.contract';
import { projectionsPathFor, sqliteProjectionStore } from './sqliteProjectionStore';

readModelsContract('memory', () => inMemoryProjectionStore());
readModelsContract('sqlite', () => sqliteProjectionStore(projectionsPathFor(join(mkdtempSync(join(tmpdir(), 'phalanet-models-')), 'ledger.db'))));
