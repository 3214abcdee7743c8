/**
 * The runner: catches every projection up with the ledger under the rebuild lock, reading and
 * decoding each block once for all of them, and reports where each one stands.
 */
import type { Codec } from 'scale-ts';
import type { EventStore } from '../domain/ports/eventStore';
import type { RuntimeEvent } from '../domain/runtime/types';
import { decodeBlockRecord } from './decodedBlock';
import { resumeMemoryFromSnapshot } from './memorySnapshot';
import { applyBlock, flushMemory, type Projection, resetProjection } from './projection';
import type { ProjectionStore } from './store';

/** The ledger stream. */
export const CHAIN_STREAM = 'chain';

/** Options of `projectAll`. */
export interface ProjectAllOptions {
  /** the runtime's event codec, to decode each block's events */
  readonly eventCodec: Codec<RuntimeEvent>;
  /** who runs this rebuild (shown to a second one), e.g. `pid 4242 on host` */
  readonly holder: string;
  /** milliseconds since the epoch, from the Clock port */
  readonly now: () => number;
  /** stop after this block (inclusive); default: the ledger head */
  readonly toBlock?: number;
  /** lock lifetime, renewed as blocks are folded; default 60 s */
  readonly lockTtlMs?: number;
  /** called after each block with its number */
  readonly onBlock?: (blockNumber: number) => void;
}

/** Where a projection stands against the ledger head. */
export type ProjectionState =
  | { readonly state: 'caught-up' }
  | { readonly state: 'lagging'; readonly lagBlocks: number }
  | { readonly state: 'rebuilding'; readonly lagBlocks: number; readonly holder: string; readonly sinceMs: number };

/** A projection's status as `meta` reports it. */
export type ProjectionStatus = ProjectionState & {
  readonly name: string;
  readonly version: number;
  /** the last block folded (undefined: nothing yet, or a version to rebuild) */
  readonly checkpoint: number | undefined;
  readonly head: number | undefined;
};

const RENEW_EVERY_BLOCKS = 256;

async function nextBlock(p: Projection, store: ProjectionStore, ledger: EventStore, eventCodec: Codec<RuntimeEvent>): Promise<number> {
  const cp = await store.checkpoint(p.name);
  if (cp !== undefined && cp.version === p.version) {
    await resumeMemoryFromSnapshot(p, store, ledger, eventCodec, cp);
    return cp.blockNumber + 1;
  }
  await resetProjection(p, store);
  return 0;
}

/**
 * Catches every projection up to `toBlock` (default: the head) under the rebuild lock; a
 * projection whose stored version differs from its code is dropped and rebuilt from block 0. A
 * projection's in-memory state is refolded from the ledger first if it is not at the checkpoint
 * (a restart), and flushed at the end.
 * Throws `ProjectionLocked` at once if another rebuild holds the lock, `CorruptBlock` naming the
 * block if a record does not decode (everything before it stays committed).
 */
export async function projectAll(ledger: EventStore, projections: readonly Projection[], store: ProjectionStore, options: ProjectAllOptions): Promise<ProjectionStatus[]> {
  const ttl = options.lockTtlMs ?? 60_000;
  await store.acquireRebuildLock(options.holder, options.now(), ttl);
  try {
    const head = await ledger.streamVersion(CHAIN_STREAM);
    const to = Math.min(options.toBlock ?? head ?? -1, head ?? -1);
    const next = new Map<Projection, number>();
    for (const p of projections) next.set(p, await nextBlock(p, store, ledger, options.eventCodec));
    const from = Math.min(...next.values());
    if (to >= from) {
      for await (const record of ledger.readStream(CHAIN_STREAM, { fromVersion: from, toVersion: to })) {
        const block = decodeBlockRecord(record, options.eventCodec);
        for (const p of projections) if (next.get(p)! <= block.number) await applyBlock(p, block, store);
        options.onBlock?.(block.number);
        if (block.number % RENEW_EVERY_BLOCKS === 0) await store.acquireRebuildLock(options.holder, options.now(), ttl);
      }
    }
    for (const p of projections) await flushMemory(p, store);
  } finally {
    await store.releaseRebuildLock(options.holder);
  }
  return projectionStatus(ledger, projections, store, options.now());
}

/** Each projection's state: caught up, lagging by N blocks, or being rebuilt by a lock holder. */
export async function projectionStatus(ledger: EventStore, projections: readonly Projection[], store: ProjectionStore, nowMs: number): Promise<ProjectionStatus[]> {
  const head = await ledger.streamVersion(CHAIN_STREAM);
  const lock = await store.rebuildLock();
  const live = lock !== undefined && lock.expiresMs > nowMs ? lock : undefined;
  const out: ProjectionStatus[] = [];
  for (const p of projections) {
    const cp = await store.checkpoint(p.name);
    const checkpoint = cp !== undefined && cp.version === p.version ? cp.blockNumber : undefined;
    const lagBlocks = (head ?? -1) - (checkpoint ?? -1);
    const base = { name: p.name, version: p.version, checkpoint, head };
    if (lagBlocks <= 0) out.push({ ...base, state: 'caught-up' });
    else if (live !== undefined) out.push({ ...base, state: 'rebuilding', lagBlocks, holder: live.holder, sinceMs: live.sinceMs });
    else out.push({ ...base, state: 'lagging', lagBlocks });
  }
  return out;
}
