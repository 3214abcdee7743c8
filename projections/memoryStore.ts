/**
 * The in-memory projection store: the memory adapter (`infra/projections`) and the scratch store
 * that time travel folds into. Transactions keep an undo log, so a throw restores every row and
 * checkpoint it touched; a queue makes transactions run one after another.
 */
import {
  type Checkpoint,
  type Entry,
  type Json,
  ProjectionLocked,
  type ProjectionStore,
  type ProjectionWriter,
  type RebuildLock,
  type ScanRange,
  selectRange,
} from './store';

type Undo = () => void;

/** Builds an empty in-memory store. */
export function inMemoryProjectionStore(url = 'memory:'): ProjectionStore {
  const tables = new Map<string, Map<string, Json>>();
  const checkpoints = new Map<string, Checkpoint>();
  let lock: RebuildLock | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const table = (name: string) => {
    let t = tables.get(name);
    if (t === undefined) tables.set(name, (t = new Map()));
    return t;
  };
  const get = async (name: string, key: string) => tables.get(name)?.get(key);
  const scan = async (name: string, range: ScanRange = {}): Promise<Entry[]> => {
    const t = tables.get(name);
    if (t === undefined) return [];
    return selectRange([...t.keys()].sort(), range).map((key) => ({ key, value: t.get(key)! }));
  };

  const writer = (undo: Undo[]): ProjectionWriter => {
    const restoreRow = (name: string, key: string) => {
      const t = table(name);
      const had = t.has(key);
      const old = t.get(key);
      undo.push(() => (had ? t.set(key, old!) : t.delete(key)));
    };
    return {
      get,
      scan,
      async put(name, key, value) {
        restoreRow(name, key);
        table(name).set(key, value);
      },
      async delete(name, key) {
        restoreRow(name, key);
        table(name).delete(key);
      },
      async clear(name) {
        const old = tables.get(name);
        undo.push(() => (old === undefined ? tables.delete(name) : tables.set(name, old)));
        tables.set(name, new Map());
      },
      async setCheckpoint(c) {
        const old = checkpoints.get(c.name);
        undo.push(() => (old === undefined ? checkpoints.delete(c.name) : checkpoints.set(c.name, old)));
        checkpoints.set(c.name, c);
      },
      async deleteCheckpoint(name) {
        const old = checkpoints.get(name);
        undo.push(() => (old === undefined ? undefined : checkpoints.set(name, old)));
        checkpoints.delete(name);
      },
    };
  };

  const transaction = <T>(fn: (tx: ProjectionWriter) => Promise<T>): Promise<T> => {
    const run = async () => {
      const undo: Undo[] = [];
      try {
        return await fn(writer(undo));
      } catch (error) {
        for (const u of undo.reverse()) u();
        throw error;
      }
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    url,
    get,
    scan,
    checkpoint: async (name) => checkpoints.get(name),
    transaction,
    async acquireRebuildLock(holder, nowMs, ttlMs) {
      if (lock !== undefined && lock.holder !== holder && lock.expiresMs > nowMs) throw new ProjectionLocked(lock);
      // a renewal keeps the original start, so `since` tells how long the rebuild has run
      lock = { holder, sinceMs: lock?.holder === holder ? lock.sinceMs : nowMs, expiresMs: nowMs + ttlMs };
      return lock;
    },
    async releaseRebuildLock(holder) {
      if (lock?.holder === holder) lock = undefined;
    },
    rebuildLock: async () => lock,
    async close() {},
  };
}
