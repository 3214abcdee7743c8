/**
 * `replay --rebuild-projections`: every projection dropped and folded again from block 0 under
 * the projection store's rebuild lock (a second concurrent rebuild fails fast with
 * `ProjectionLocked: …`). Only the projection store is written, never the ledger.
 */
import { hostname } from 'node:os';
import { allProjections, type ProjectionStatus, projectAll, resetProjection } from '../../../projections';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { openProjectionStore } from '../../projections';
import { decodeStoreUrl, openEventStore } from '../../store';
import { UsageError } from '../errors';

/** Rebuilds all projections of the ledger at `url` up to `toBlock` (default: the head). */
export async function rebuildProjections(url: string, toBlock?: number): Promise<ProjectionStatus[]> {
  const ledger = await openEventStore(url, { create: false });
  const parsed = decodeStoreUrl(url);
  if (typeof parsed === 'string') throw new UsageError(parsed);
  const store = await openProjectionStore(parsed);
  const holder = `phalanet replay --rebuild-projections, pid ${process.pid} on ${hostname()}`;
  try {
    await store.acquireRebuildLock(holder, Date.now(), 60_000);
    for (const p of allProjections) await resetProjection(p, store);
    return await projectAll(ledger, allProjections, store, {
      eventCodec: createPhalaRuntime().eventCodec,
      holder,
      now: Date.now,
      ...(toBlock === undefined ? {} : { toBlock }),
    });
  } finally {
    await store.releaseRebuildLock(holder);
    await store.close();
    await ledger.close();
  }
}
