/**
 * The read models on a real PostgreSQL projection store (started by the int tier's globalSetup
 * when PHALANET_TEST_PG_URL is unset); each store in its own schema. Never skipped.
 */
import { randomBytes } from 'node:crypto';
import { postgresProjectionStore } from './postgresProjectionStore';
import { readModelsContract } from './testing/readModels.contract';

readModelsContract('postgres', () => {
  const baseUrl = process.env.PHALANET_TEST_PG_URL;
  if (!baseUrl) throw new Error(`no PostgreSQL for the int tests: PHALANET_TEST_PG_URL is unset (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`);
  const ledgerSchema = `t_${randomBytes(6).toString('hex')}`;
  return postgresProjectionStore({ connectionString: baseUrl, ledgerSchema, display: `pg:${ledgerSchema}` });
});
