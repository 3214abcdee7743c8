/**
 * The projection store contract against a real PostgreSQL (started by the int tier's globalSetup
 * when PHALANET_TEST_PG_URL is unset). Each store gets its own ledger schema name, so its
 * projections schema never meets another test's. Never skipped: without a server this fails.
 */
import { randomBytes } from 'node:crypto';
import { projectionsSchemaFor, postgresProjectionStore } from './postgresProjectionStore';
import { projectionStoreContract } from './projectionStore.contract';

const baseUrl = process.env.PHALANET_TEST_PG_URL;
const open = () => {
  if (!baseUrl) throw new Error(`no PostgreSQL for the int tests: PHALANET_TEST_PG_URL is unset (${process.env.PHALANET_TEST_PG_ERROR ?? 'no reason given'})`);
  const ledgerSchema = `t_${randomBytes(6).toString('hex')}`;
  return postgresProjectionStore({ connectionString: baseUrl, ledgerSchema, display: `pg:${ledgerSchema}` });
};

projectionStoreContract('postgres', open);

describe('postgres projection store', () => {
  it('keeps the projections of a ledger in their own schema', () => {
    expect(projectionsSchemaFor('public')).toBe('projections');
    expect(projectionsSchemaFor('run7')).toBe('run7_projections');
  });

  it('shares the lock between two pools on one schema (two processes)', async () => {
    if (!baseUrl) throw new Error('PHALANET_TEST_PG_URL is unset');
    const ledgerSchema = `t_${randomBytes(6).toString('hex')}`;
    const a = await postgresProjectionStore({ connectionString: baseUrl, ledgerSchema, display: 'a' });
    const b = await postgresProjectionStore({ connectionString: baseUrl, ledgerSchema, display: 'b' });
    await a.acquireRebuildLock('process A', 1_000, 60_000);
    await expect(b.acquireRebuildLock('process B', 1_500, 60_000)).rejects.toThrow(/^ProjectionLocked: rebuild already running \(holder process A, since /);
    await a.transaction((tx) => tx.put('t', 'k', 'from A'));
    expect(await b.get('t', 'k')).toBe('from A');
    await a.close();
    await b.close();
  });
});
