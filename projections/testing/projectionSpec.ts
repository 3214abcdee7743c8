/**
 * Projection spec helpers (STYLE.md tests, item 2): fold decoded blocks into a fresh memory
 * store, and check that applying a block a second time changes nothing.
 */
import type { Codec } from 'scale-ts';
import type { EventStore } from '../../domain/ports/eventStore';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { type DecodedBlock, decodeBlockRecord } from '../decodedBlock';
import { inMemoryProjectionStore } from '../memoryStore';
import { applyBlock, flushMemory, type Projection, resetProjection } from '../projection';
import type { ProjectionStore } from '../store';
import { dumpAll } from './storeDump';

/** Every block of a ledger, decoded. */
export async function decodedBlocks(ledger: EventStore, eventCodec: Codec<RuntimeEvent>): Promise<DecodedBlock[]> {
  const out: DecodedBlock[] = [];
  for await (const r of ledger.readStream('chain')) out.push(decodeBlockRecord(r, eventCodec));
  return out;
}

/** Folds blocks into a new memory store. */
export async function foldInto(p: Projection, blocks: readonly DecodedBlock[]): Promise<ProjectionStore> {
  const store = inMemoryProjectionStore();
  await resetProjection(p, store);
  for (const b of blocks) await applyBlock(p, b, store);
  await flushMemory(p, store);
  return store;
}

/**
 * The idempotency case: after folding `blocks`, applying each of them again reports
 * `already-applied` and leaves every row, snapshot and the checkpoint as they were.
 */
export async function expectIdempotent(p: Projection, blocks: readonly DecodedBlock[]): Promise<void> {
  const store = await foldInto(p, blocks);
  const before = await dumpAll(store, [p]);
  for (const b of blocks) {
    const outcome = await applyBlock(p, b, store);
    if (outcome !== 'already-applied') throw new Error(`block ${b.number} applied twice: ${outcome}`);
  }
  const after = await dumpAll(store, [p]);
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`applying blocks again changed ${p.name}`);
}
