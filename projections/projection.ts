/**
 * A projection: a read model folded from blocks (ARCHITECTURE.md §6, issue 7). It owns a set of
 * tables, applies one decoded block at a time inside a transaction that also moves its
 * checkpoint, and carries a version: a stored version that differs from the code's means the
 * tables are dropped and rebuilt from block 0.
 */
import type { DecodedBlock } from './decodedBlock';
import { assertMemoryBefore, forgetMemory, memoryOf, type ProjectionMemory } from './memory';
import { type Json, type ProjectionStore, type ProjectionWriter, padBlock } from './store';

/** A read model over the ledger. */
export interface Projection {
  readonly name: string;
  /** bump when `apply` or the row shapes change: the projection then rebuilds itself */
  readonly version: number;
  /** the tables this projection owns (dropped on rebuild, copied into snapshots) */
  readonly tables: readonly string[];
  /** take a snapshot of the tables after every block whose number is a multiple of this (time travel) */
  readonly snapshotEveryBlocks?: number;
  /** runs once on an empty projection, in the transaction that drops the old tables */
  init?(tx: ProjectionWriter): Promise<void>;
  /** folds one block; only ever called with the block after the checkpoint (and `memory` already past it) */
  apply(block: DecodedBlock, tx: ProjectionWriter, memory?: ProjectionMemory): Promise<void>;
  /** state kept in memory beside the tables (`memory.ts`): rebuilt by refolding, flushed at the end of each pass */
  createMemory?(): ProjectionMemory;
  /** the memory a snapshot stored (`ProjectionMemory.exportState`), resumed */
  restoreMemory?(state: unknown): ProjectionMemory;
}

/** Table of a projection's snapshot rows: key `<block>|<table>|<row key>`. */
export const snapshotTable = (p: Projection) => `${p.name}__snapshot`;
/** Table listing a projection's snapshots: key = padded block number. */
export const snapshotIndexTable = (p: Projection) => `${p.name}__snapshots`;

/** Every table of a projection, its snapshots included. */
export const ownedTables = (p: Projection): string[] => [...p.tables, snapshotTable(p), snapshotIndexTable(p)];

/** Drops a projection's tables and checkpoint and runs its `init`, in one transaction. */
export async function resetProjection(p: Projection, store: ProjectionStore): Promise<void> {
  forgetMemory(p, store);
  await store.transaction(async (tx) => {
    for (const t of ownedTables(p)) await tx.clear(t);
    await tx.deleteCheckpoint(p.name);
    await p.init?.(tx);
  });
}

/** The pseudo-table of a snapshot holding the projection's memory (`memory.ts`), if it has one. */
export const MEMORY_TABLE = '__memory';

async function writeSnapshot(p: Projection, block: DecodedBlock, tx: ProjectionWriter, memory: ProjectionMemory | undefined): Promise<void> {
  const at = padBlock(block.number);
  for (const t of p.tables) {
    for (const e of await tx.scan(t)) await tx.put(snapshotTable(p), `${at}|${t}|${e.key}`, e.value);
  }
  const state = memory?.exportState?.();
  if (state !== undefined) await tx.put(snapshotTable(p), `${at}|${MEMORY_TABLE}|state`, state as Json);
  await tx.put(snapshotIndexTable(p), at, { blockNumber: block.number, blockHash: block.hash });
}

/** What applying one block did. */
export type ApplyOutcome = 'applied' | 'already-applied';

/**
 * Applies one block to one projection: a no-op when the checkpoint is at or past the block
 * (idempotent), the rows, the due snapshot and the new checkpoint in one transaction otherwise.
 * A gap (the block is not the checkpoint's successor) is a bug in the caller and throws; so is a
 * memory that is not at the checkpoint (`MemoryBehind`: `resumeMemory` first). A failed
 * transaction leaves the memory one block ahead, which the next attempt reports the same way.
 */
export async function applyBlock(p: Projection, block: DecodedBlock, store: ProjectionStore): Promise<ApplyOutcome> {
  return store.transaction(async (tx) => {
    const cp = await store.checkpoint(p.name);
    if (cp !== undefined && cp.version !== p.version) throw new Error(`projection ${p.name} is at version ${cp.version}, code is ${p.version}: reset it first`);
    const next = cp === undefined ? 0 : cp.blockNumber + 1;
    if (block.number < next) return 'already-applied';
    if (block.number > next) throw new Error(`projection ${p.name}: block ${block.number} applied after block ${next - 1} (gap)`);
    if (cp !== undefined && block.parentHash !== cp.blockHash) {
      throw new Error(`projection ${p.name}: block ${block.number}'s parent ${block.parentHash} is not the checkpoint's block ${cp.blockHash}`);
    }
    const memory = memoryOf(p, store);
    if (memory !== undefined) {
      assertMemoryBefore(p, memory, block);
      memory.fold(block);
    }
    await p.apply(block, tx, memory);
    const every = p.snapshotEveryBlocks;
    if (every !== undefined && block.number % every === 0) {
      // a snapshot is exact as of its block: what only memory knows is written first
      await memory?.flush(tx);
      await writeSnapshot(p, block, tx, memory);
    }
    await tx.setCheckpoint({ name: p.name, blockNumber: block.number, blockHash: block.hash, version: p.version });
    return 'applied';
  });
}

/** Writes what the memory of `p` over `store` holds beyond the rows, in one transaction (the end of a fold pass). */
export async function flushMemory(p: Projection, store: ProjectionStore): Promise<void> {
  const memory = memoryOf(p, store);
  if (memory === undefined || memory.at() === undefined) return;
  await store.transaction((tx) => memory.flush(tx));
}
