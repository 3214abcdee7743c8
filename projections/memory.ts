/**
 * State a projection keeps in memory beside its tables, folded from the same blocks — the
 * gatekeeper economics engine of the workers projection, which changes every worker every block
 * and would cost a row per worker per block to store. It is not checkpointed: after a restart (a
 * new process, a new store object) it is rebuilt by refolding the ledger up to the projection's
 * checkpoint (`resumeMemory`), and the projection's `flush` writes what the rows lag behind on at
 * the end of every fold pass and before every snapshot, so what a reader sees is exact as of the
 * checkpoint. One memory per (store, projection): two stores never share one.
 */
import type { Codec } from 'scale-ts';
import type { EventStore } from '../domain/ports/eventStore';
import type { RuntimeEvent } from '../domain/runtime/types';
import { type DecodedBlock, decodeBlockRecord } from './decodedBlock';
import type { ProjectionStore, ProjectionWriter } from './store';

/** The in-memory side of a projection. */
export interface ProjectionMemory {
  /** the last block folded in (undefined: none) */
  at(): { readonly number: number; readonly hash: string } | undefined;
  /** folds the next block (block 0 first) */
  fold(block: DecodedBlock): void;
  /** writes every row the memory has moved on since it was last written */
  flush(tx: ProjectionWriter): Promise<void>;
  /** the whole memory as JSON, stored beside the projection's snapshots (time travel starts there) */
  exportState?(): unknown;
}

/** A projection with memory: how to make an empty one, and how to resume a stored one. */
export interface WithMemory {
  readonly name: string;
  createMemory?(): ProjectionMemory;
  /** the memory `exportState()` stored (a malformed state throws) */
  restoreMemory?(state: unknown): ProjectionMemory;
}

/** The memory is not at the block before the one applied: the caller must `resumeMemory` first. */
export class MemoryBehind extends Error {
  constructor(projection: string, at: number | undefined, block: number) {
    super(`projection ${projection}: its in-memory state is at block ${at ?? 'none'}, block ${block} needs ${block - 1}: resume it from the ledger first`);
    this.name = 'MemoryBehind';
  }
}

const memories = new WeakMap<ProjectionStore, Map<string, ProjectionMemory>>();

/** The memory of `p` over `store` (created empty on first use); undefined for a projection without one. */
export function memoryOf(p: WithMemory, store: ProjectionStore): ProjectionMemory | undefined {
  if (p.createMemory === undefined) return undefined;
  let byName = memories.get(store);
  if (byName === undefined) {
    byName = new Map();
    memories.set(store, byName);
  }
  let m = byName.get(p.name);
  if (m === undefined) {
    m = p.createMemory();
    byName.set(p.name, m);
  }
  return m;
}

/** Makes `memory` the memory of `p` over `store` (one resumed from a snapshot). */
export function installMemory(p: WithMemory, store: ProjectionStore, memory: ProjectionMemory): void {
  let byName = memories.get(store);
  if (byName === undefined) {
    byName = new Map();
    memories.set(store, byName);
  }
  byName.set(p.name, memory);
}

/** Drops the memory of `p` over `store` (a reset projection starts from an empty one). */
export function forgetMemory(p: WithMemory, store: ProjectionStore): void {
  memories.get(store)?.delete(p.name);
}

/** Throws `MemoryBehind` unless `memory` is right before `block` (or empty before block 0). */
export function assertMemoryBefore(p: WithMemory, memory: ProjectionMemory, block: DecodedBlock): void {
  const at = memory.at();
  const ready = at === undefined ? block.number === 0 : at.number === block.number - 1 && at.hash === block.parentHash;
  if (!ready) throw new MemoryBehind(p.name, at?.number, block.number);
}

/**
 * Brings the memory of `p` over `store` to `upTo` (a checkpoint's block and hash) by refolding the
 * ledger from block 0 when it is anywhere else; returns the blocks folded (0 when it was there).
 */
export async function resumeMemory(
  p: WithMemory,
  store: ProjectionStore,
  ledger: EventStore,
  eventCodec: Codec<RuntimeEvent>,
  upTo: { readonly blockNumber: number; readonly blockHash: string } | undefined,
): Promise<number> {
  const current = memoryOf(p, store)?.at();
  if (p.createMemory === undefined || upTo === undefined) return 0;
  if (current !== undefined && current.number === upTo.blockNumber && current.hash === upTo.blockHash) return 0;
  forgetMemory(p, store);
  const memory = memoryOf(p, store)!;
  let folded = 0;
  for await (const record of ledger.readStream('chain', { fromVersion: 0, toVersion: upTo.blockNumber })) {
    memory.fold(decodeBlockRecord(record, eventCodec));
    folded += 1;
  }
  const at = memory.at();
  if (at?.hash !== upTo.blockHash) throw new Error(`projection ${p.name}: the ledger's block ${upTo.blockNumber} is not the one its checkpoint names (${upTo.blockHash}): rebuild the projections`);
  return folded;
}
