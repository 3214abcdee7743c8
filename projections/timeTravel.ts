/**
 * Time travel (`--at-block N`): a projection as it stood after block N, rebuilt in a scratch
 * in-memory store from the nearest snapshot at or below N plus the blocks after it, so the cost
 * is proportional to the blocks since that snapshot (and the snapshot's size), not to the chain.
 * A projection with in-memory state (`memory.ts`) stores that state in its snapshots too and
 * resumes it from there; only a snapshot written before it did (or without one) refolds it from
 * block 0.
 */
import type { Codec } from 'scale-ts';
import type { EventStore } from '../domain/ports/eventStore';
import type { RuntimeEvent } from '../domain/runtime/types';
import { decodeBlockRecord } from './decodedBlock';
import { inMemoryProjectionStore } from './memoryStore';
import { installMemory, resumeMemory } from './memory';
import { applyBlock, flushMemory, MEMORY_TABLE, type Projection, resetProjection, snapshotIndexTable, snapshotTable } from './projection';
import { CHAIN_STREAM } from './runner';
import { type ProjectionReader, type ProjectionStore, padBlock } from './store';

/** A projection's tables at a past block, and what it cost to get them. */
export interface PastView {
  readonly reader: ProjectionReader;
  readonly atBlock: number;
  /** the snapshot it started from (undefined: from block 0) */
  readonly snapshotBlock: number | undefined;
  /** blocks read from the ledger and folded */
  readonly foldedBlocks: number;
  /** blocks refolded from block 0 into in-memory state the snapshot did not hold (0 when it did) */
  readonly memoryRefolded: number;
}

/** `--at-block` beyond what the projection has folded, or a projection never built. */
export class BlockNotProjected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockNotProjected';
  }
}

async function seedFromSnapshot(p: Projection, store: ProjectionStore, scratch: ProjectionStore, at: number): Promise<number | undefined> {
  const found = await store.scan(snapshotIndexTable(p), { before: padBlock(at + 1), reverse: true, limit: 1 });
  if (found.length === 0) return undefined;
  const snap = Number(found[0]!.key);
  const prefix = `${padBlock(snap)}|`;
  const rows = await store.scan(snapshotTable(p), { prefix });
  const hash = (found[0]!.value as { blockHash: string }).blockHash;
  await scratch.transaction(async (tx) => {
    for (const r of rows) {
      const rest = r.key.slice(prefix.length);
      const bar = rest.indexOf('|');
      const table = rest.slice(0, bar);
      if (table === MEMORY_TABLE) {
        // the memory as it stood at the snapshot: no refold from block 0
        if (p.restoreMemory !== undefined) installMemory(p, scratch, p.restoreMemory(r.value));
        continue;
      }
      await tx.put(table, rest.slice(bar + 1), r.value);
    }
    await tx.setCheckpoint({ name: p.name, blockNumber: snap, blockHash: hash, version: p.version });
  });
  return snap;
}

/**
 * The projection `p` as of block `at`. When `at` is the projection's checkpoint the live store
 * answers directly; otherwise a scratch store is seeded from the nearest snapshot and the
 * ledger's blocks up to `at` are folded into it.
 */
export async function projectionAt(ledger: EventStore, eventCodec: Codec<RuntimeEvent>, p: Projection, store: ProjectionStore, at: number): Promise<PastView> {
  const cp = await store.checkpoint(p.name);
  if (cp === undefined || cp.version !== p.version) throw new BlockNotProjected(`projection ${p.name} is not built yet: run the projections first`);
  if (!Number.isInteger(at) || at < 0) throw new BlockNotProjected(`--at-block ${at} is not a block number`);
  if (at > cp.blockNumber) throw new BlockNotProjected(`--at-block ${at} is past the last block projected (${cp.blockNumber}): catch the projections up first`);
  if (at === cp.blockNumber) return { reader: store, atBlock: at, snapshotBlock: undefined, foldedBlocks: 0, memoryRefolded: 0 };
  const scratch = inMemoryProjectionStore();
  const snap = await seedFromSnapshot(p, store, scratch, at);
  if (snap === undefined) await resetProjection(p, scratch);
  // in-memory state (the workers' gatekeeper engine) resumed from the snapshot is already there;
  // without one it refolds up to the snapshot
  const memoryRefolded = await resumeMemory(p, scratch, ledger, eventCodec, await scratch.checkpoint(p.name));
  const from = snap === undefined ? 0 : snap + 1;
  let folded = 0;
  if (from <= at) {
    for await (const record of ledger.readStream(CHAIN_STREAM, { fromVersion: from, toVersion: at })) {
      await applyBlock(p, decodeBlockRecord(record, eventCodec), scratch);
      folded += 1;
    }
  }
  await flushMemory(p, scratch);
  return { reader: scratch, atBlock: at, snapshotBlock: snap, foldedBlocks: folded, memoryRefolded };
}
