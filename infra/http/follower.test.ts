import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { allProjections } from '../../projections';
import { memoryProjectionStore } from '../projections';
import { memoryEventStore } from '../store/memoryEventStore';
import { ledgerFollower } from './follower';
import { appendSampleBlocks, sampleEvents } from './testing/sampleLedger';

describe('ledgerFollower', () => {
  it('skips a catch-up while another process rebuilds, reports it as rebuilding, and catches up once the lock is gone', async () => {
    const ledger = memoryEventStore();
    const store = memoryProjectionStore();
    await appendSampleBlocks(ledger);
    const now = 1_700_000_000_000;
    const follower = ledgerFollower({ ledger, store, eventCodec: createPhalaRuntime().eventCodec, projections: allProjections, now: () => now });
    await store.acquireRebuildLock('phalanet replay, pid 1', now, 60_000);
    const locked = await follower.catchUp();
    expect(locked.ran).toBe(false);
    expect(locked.folded).toBe(0);
    expect(locked.status.map((s) => s.state)).toEqual(allProjections.map(() => 'rebuilding'));
    await store.releaseRebuildLock('phalanet replay, pid 1');
    const done = await follower.catchUp();
    expect(done).toMatchObject({ ran: true, folded: sampleEvents.length });
    expect(done.status.map((s) => s.checkpoint)).toEqual(allProjections.map(() => sampleEvents.length - 1));
    expect((await follower.catchUp()).folded).toBe(0);
  });
});
