/**
 * The projection store port's contract (STYLE.md tests, item 6), run against every adapter:
 * `projectionStore.test.ts` (memory, sqlite) and `postgresProjectionStore.int.test.ts`.
 */
import { ProjectionLocked, type ProjectionStore } from '../../projections/store';

/** Registers the contract's cases for one adapter. */
export function projectionStoreContract(name: string, open: () => Promise<ProjectionStore> | ProjectionStore): void {
describe(`projection store contract: ${name}`, () => {
  let store: ProjectionStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(() => store.close());

  it('commits rows and checkpoint together, and rolls both back on a throw', async () => {
    await store.transaction(async (tx) => {
      await tx.put('t', 'a', { n: 1 });
      await tx.setCheckpoint({ name: 'p', blockNumber: 1, blockHash: '0x01', version: 1 });
    });
    const failing = store.transaction(async (tx) => {
      await tx.put('t', 'a', { n: 2 });
      await tx.put('t', 'b', [1, 'x', null, true]);
      await tx.delete('t', 'a');
      await tx.clear('t');
      await tx.setCheckpoint({ name: 'p', blockNumber: 2, blockHash: '0x02', version: 1 });
      expect(await tx.get('t', 'b')).toBeUndefined();
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await store.get('t', 'a')).toEqual({ n: 1 });
    expect(await store.get('t', 'b')).toBeUndefined();
    expect(await store.checkpoint('p')).toEqual({ name: 'p', blockNumber: 1, blockHash: '0x01', version: 1 });
  });

  it('scans by prefix, bounds, direction and limit in string order', async () => {
    await store.transaction(async (tx) => {
      for (const k of ['b/2', 'a/1', 'b/1', 'b/3', 'c', 'b']) await tx.put('t', k, k);
      await tx.put('other', 'b/9', 'x');
    });
    const keys = async (r: Parameters<ProjectionStore['scan']>[1]) => (await store.scan('t', r)).map((e) => e.key);
    expect(await keys({})).toEqual(['a/1', 'b', 'b/1', 'b/2', 'b/3', 'c']);
    expect(await keys({ prefix: 'b/' })).toEqual(['b/1', 'b/2', 'b/3']);
    expect(await keys({ prefix: 'b/', after: 'b/1' })).toEqual(['b/2', 'b/3']);
    expect(await keys({ before: 'b/2', reverse: true, limit: 2 })).toEqual(['b/1', 'b']);
    expect(await keys({ after: 'b', before: 'c', limit: 10 })).toEqual(['b/1', 'b/2', 'b/3']);
    expect(await store.scan('missing')).toEqual([]);
  });

  it('lets a transaction read its own puts, deletes and clears, in scans too', async () => {
    await store.transaction(async (tx) => {
      for (const k of ['a', 'b', 'c']) await tx.put('t', k, k);
    });
    await store.transaction(async (tx) => {
      await tx.delete('t', 'b');
      await tx.put('t', 'd', 'new');
      await tx.put('t', 'a', 'changed');
      expect(await tx.get('t', 'a')).toBe('changed');
      expect(await tx.get('t', 'b')).toBeUndefined();
      expect(await tx.scan('t', { limit: 3 })).toEqual([
        { key: 'a', value: 'changed' },
        { key: 'c', value: 'c' },
        { key: 'd', value: 'new' },
      ]);
      expect((await tx.scan('t', { reverse: true, limit: 1 }))[0]?.key).toBe('d');
      await tx.clear('t');
      await tx.put('t', 'z', 1);
      expect(await tx.scan('t')).toEqual([{ key: 'z', value: 1 }]);
      expect(await tx.get('t', 'c')).toBeUndefined();
    });
    expect(await store.scan('t')).toEqual([{ key: 'z', value: 1 }]);
  });

  it('gives the rebuild lock to one holder, fails fast for a second, renews and releases', async () => {
    await store.acquireRebuildLock('pid 1', 1_000, 10_000);
    const second = store.acquireRebuildLock('pid 2', 2_000, 10_000);
    await expect(second).rejects.toThrow(ProjectionLocked);
    await expect(store.acquireRebuildLock('pid 2', 2_000, 10_000)).rejects.toThrow(
      'ProjectionLocked: rebuild already running (holder pid 1, since 1970-01-01T00:00:01.000Z)',
    );
    expect(await store.acquireRebuildLock('pid 1', 5_000, 10_000)).toEqual({ holder: 'pid 1', sinceMs: 1_000, expiresMs: 15_000 });
    await store.releaseRebuildLock('pid 2');
    expect((await store.rebuildLock())?.holder).toBe('pid 1');
    await store.releaseRebuildLock('pid 1');
    expect(await store.rebuildLock()).toBeUndefined();
    await store.acquireRebuildLock('pid 2', 6_000, 1_000);
    // an expired lock (a crashed rebuild) can be taken over
    expect(await store.acquireRebuildLock('pid 3', 7_001, 1_000)).toEqual({ holder: 'pid 3', sinceMs: 7_001, expiresMs: 8_001 });
  });
});
}
