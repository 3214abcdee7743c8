/**
 * Resuming a projection's in-memory state (`memory.ts`) from the newest snapshot that stored it
 * (`MEMORY_TABLE`), then folding only the blocks after that snapshot — instead of refolding the
 * ledger from block 0 — when a reader restarts (a new `query` or `serve` process). Falls back to
 * the refold for a projection without such a snapshot.
 */
import type { Codec } from 'scale-ts';
import type { EventStore } from '../domain/ports/eventStore';
import type { RuntimeEvent } from '../domain/runtime/types';
import { decodeBlockRecord } from './decodedBlock';
import { installMemory, memoryOf, resumeMemory } from './memory';
import { MEMORY_TABLE, type Projection, snapshotIndexTable, snapshotTable } from './projection';
import { type Checkpoint, type ProjectionStore, padBlock } from './store';

/** The memory a snapshot at or below `atOrBelow` stored, with that snapshot's block; undefined if none did. */
async function storedMemory(p: Projection, store: ProjectionStore, atOrBelow: number): Promise<{ readonly block: number; readonly state: unknown } | undefined> {
  if (p.restoreMemory === undefined) return undefined;
  const snapshots = await store.scan(snapshotIndexTable(p), { before: padBlock(atOrBelow + 1), reverse: true });
  for (const s of snapshots) {
    const state = await store.get(snapshotTable(p), `${s.key}|${MEMORY_TABLE}|state`);
    if (state !== undefined) return { block: Number(s.key), state };
  }
  return undefined;
}

/**
 * Brings the memory of `p` over `store` to the checkpoint `upTo`: nothing when it is there, else
 * from the newest snapshot holding it plus the blocks since, else by the refold from block 0.
 * Returns the blocks folded.
 */
export async function resumeMemoryFromSnapshot(p: Projection, store: ProjectionStore, ledger: EventStore, eventCodec: Codec<RuntimeEvent>, upTo: Checkpoint | undefined): Promise<number> {
  if (p.createMemory === undefined || upTo === undefined) return 0;
  const current = memoryOf(p, store)?.at();
  if (current !== undefined && current.number === upTo.blockNumber && current.hash === upTo.blockHash) return 0;
  const stored = await storedMemory(p, store, upTo.blockNumber);
  if (stored === undefined || p.restoreMemory === undefined) return resumeMemory(p, store, ledger, eventCodec, upTo);
  const memory = p.restoreMemory(stored.state);
  let folded = 0;
  if (stored.block < upTo.blockNumber) {
    for await (const record of ledger.readStream('chain', { fromVersion: stored.block + 1, toVersion: upTo.blockNumber })) {
      memory.fold(decodeBlockRecord(record, eventCodec));
      folded += 1;
    }
  }
  if (memory.at()?.hash !== upTo.blockHash) return resumeMemory(p, store, ledger, eventCodec, upTo); // the ledger moved under the snapshot: start over
  installMemory(p, store, memory);
  return folded;
}
