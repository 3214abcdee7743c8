/**
 * The read models on a projection store adapter (run by `../readModels.stores.test.ts` for memory
 * and SQLite and `readModels.postgres.int.test.ts` for PostgreSQL): the computing chain folded
 * by `projectAll` equals the fold into the memory store, block-by-block catch-up equals a
 * rebuild, and a projection whose version changed rebuilds itself.
 */
import type { EventStore } from '../../../domain/ports/eventStore';
import { allProjections, gatekeepersProjection, type Projection, poolsProjection, projectAll, projectionAt, queryPool, queryWorker, workersProjection } from '../../../projections';
import { inMemoryProjectionStore } from '../../../projections/memoryStore';
import type { ProjectionStore } from '../../../projections/store';
import { actors, computingChainEvents } from '../../../projections/testing/computingChain';
import { dumpTables } from '../../../projections/testing/storeDump';
import { ev, phalaEventCodec, sealedChain } from '../../../projections/testing/syntheticChain';
import { memoryEventStore } from '../../store/memoryEventStore';

const MODELS: readonly Projection[] = allProjections.filter((p) => !['blocks', 'events', 'accounts', 'rewards'].includes(p.name));
const options = (toBlock?: number) => ({ eventCodec: phalaEventCodec, holder: 'read models contract', now: () => 1_000, ...(toBlock === undefined ? {} : { toBlock }) });

async function computingLedger(): Promise<EventStore> {
  const events = computingChainEvents();
  events[1]!.push(ev('PhalaRegistry', 'GatekeeperAdded', { pubkey: `0x${'11'.repeat(32)}` }));
  const ledger = memoryEventStore();
  for (const [n, data] of sealedChain(events).entries()) await ledger.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data }], n === 0 ? 'no-stream' : n - 1);
  return ledger;
}

/** Registers the read-model cases for one adapter. */
export function readModelsContract(name: string, open: () => Promise<ProjectionStore> | ProjectionStore): void {
  describe(`read models on the ${name} projection store`, () => {
    let ledger: EventStore;
    let expected: Record<string, unknown>;
    beforeAll(async () => {
      ledger = await computingLedger();
      const memory = inMemoryProjectionStore();
      await projectAll(ledger, MODELS, memory, options());
      expected = await dumpTables(memory, MODELS);
    });

    it('catching up block by block gives the rows of the memory fold', async () => {
      const store = await open();
      try {
        for (let n = 0; n <= 12; n += 5) await projectAll(ledger, MODELS, store, options(n));
        const status = await projectAll(ledger, MODELS, store, options());
        expect(status.every((s) => s.state === 'caught-up' && s.checkpoint === 12)).toBe(true);
        expect(await dumpTables(store, MODELS)).toEqual(expected);
        expect((await queryWorker(store, actors.w1))?.state).toBe('WorkerIdle');
        expect((await queryPool(store, 0))?.workers).toEqual([actors.w1]);
      } finally {
        await store.close();
      }
    });

    it('rebuilds a projection whose version changed, and travels back in time from it', async () => {
      const store = await open();
      try {
        await projectAll(ledger, MODELS, store, options());
        await store.transaction((tx) => tx.put('workers', 'junk-left-by-v1', { junk: true }));
        const next = workersProjection.version + 1;
        const v2 = [{ ...workersProjection, version: next }, poolsProjection, gatekeepersProjection];
        const [workers] = await projectAll(ledger, v2, store, options());
        expect(workers).toMatchObject({ name: 'workers', version: next, state: 'caught-up', checkpoint: 12 });
        expect(await store.get('workers', 'junk-left-by-v1')).toBeUndefined();
        expect((await dumpTables(store, [workersProjection])).workers).toEqual(expected.workers);
        const past = await projectionAt(ledger, phalaEventCodec, poolsProjection, store, 9);
        expect((await queryPool(past.reader, 0))?.coolingDown).toEqual([actors.w2]);
      } finally {
        await store.close();
      }
    });
  });
}
