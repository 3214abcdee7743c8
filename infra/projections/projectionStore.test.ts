/** The projection store port's contract, run against every adapter (STYLE.md tests, item 6). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inMemoryProjectionStore } from '../../projections/memoryStore';
import { projectionStoreContract } from './projectionStore.contract';
import { projectionsPathFor, sqliteProjectionStore } from './sqliteProjectionStore';

const tempFile = () => projectionsPathFor(join(mkdtempSync(join(tmpdir(), 'phalanet-pstore-')), 'ledger.db'));

projectionStoreContract('memory', () => inMemoryProjectionStore());
projectionStoreContract('sqlite', () => sqliteProjectionStore(tempFile()));

describe('sqlite projection store across connections', () => {
  it('shares rows and the lock between two connections to one file (two processes)', async () => {
    const path = tempFile();
    const a = sqliteProjectionStore(path);
    const b = sqliteProjectionStore(path);
    await a.acquireRebuildLock('process A', 1_000, 60_000);
    const started = process.hrtime.bigint();
    await expect(b.acquireRebuildLock('process B', 1_500, 60_000)).rejects.toThrow(/^ProjectionLocked: rebuild already running \(holder process A, since /);
    // fails fast: no waiting for the lock to expire
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
    await a.transaction((tx) => tx.put('t', 'k', 'from A'));
    expect(await b.get('t', 'k')).toBe('from A');
    await a.close();
    await b.close();
  });
});
