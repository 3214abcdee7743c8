/**
 * The projection store port (ARCHITECTURE.md §6 "Store for projections"): read-model tables as
 * ordered key-value collections of JSON rows, a checkpoint per projection written in the same
 * transaction as the rows it covers, and a rebuild lock. Adapters: memory (`memoryStore.ts`, also
 * the scratch store of time travel), sqlite (`infra/projections`). Keys sort as plain strings, so
 * numbers inside keys are zero-padded (`padBlock`) and prefix scans give secondary indexes.
 */

/** A JSON value as stored in a row (bigints are written as decimal strings before this point). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** One row of a table. */
export interface Entry {
  readonly key: string;
  readonly value: Json;
}

/** Bounds of a scan; all optional. Keys compare as strings. */
export interface ScanRange {
  /** only keys starting with this */
  readonly prefix?: string;
  /** keys strictly greater than this (a pagination cursor) */
  readonly after?: string;
  /** keys strictly smaller than this */
  readonly before?: string;
  /** descending key order */
  readonly reverse?: boolean;
  readonly limit?: number;
}

/** Reads of the tables. */
export interface ProjectionReader {
  get(table: string, key: string): Promise<Json | undefined>;
  scan(table: string, range?: ScanRange): Promise<Entry[]>;
}

/** Where a projection stands: the last block folded into it, and by which code version. */
export interface Checkpoint {
  readonly name: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly version: number;
}

/** Writes inside one transaction; reads see the transaction's own writes. */
export interface ProjectionWriter extends ProjectionReader {
  put(table: string, key: string, value: Json): Promise<void>;
  delete(table: string, key: string): Promise<void>;
  /** deletes every row of a table */
  clear(table: string): Promise<void>;
  setCheckpoint(checkpoint: Checkpoint): Promise<void>;
  deleteCheckpoint(name: string): Promise<void>;
}

/** A held rebuild lock. */
export interface RebuildLock {
  readonly holder: string;
  readonly sinceMs: number;
  readonly expiresMs: number;
}

/** The port. */
export interface ProjectionStore extends ProjectionReader {
  /** a description without secrets, e.g. `sqlite:/path/ledger.db.projections.db` */
  readonly url: string;
  checkpoint(name: string): Promise<Checkpoint | undefined>;
  /**
   * Runs `fn` as one transaction: every write and checkpoint commits together, or none does (a
   * throw rolls back and rethrows). Transactions of one store never interleave.
   */
  transaction<T>(fn: (tx: ProjectionWriter) => Promise<T>): Promise<T>;
  /**
   * Takes the rebuild lock for `holder` until `nowMs + ttlMs`; throws `ProjectionLocked` at once
   * if another holder has it and it has not expired.
   */
  acquireRebuildLock(holder: string, nowMs: number, ttlMs: number): Promise<RebuildLock>;
  /** releases the lock if `holder` still has it */
  releaseRebuildLock(holder: string): Promise<void>;
  /** the current lock, expired or not, if any */
  rebuildLock(): Promise<RebuildLock | undefined>;
  close(): Promise<void>;
}

/** A second rebuild while one is running: fails fast, names who holds the lock and since when. */
export class ProjectionLocked extends Error {
  readonly retriable = true;
  constructor(readonly lock: RebuildLock) {
    super(`ProjectionLocked: rebuild already running (holder ${lock.holder}, since ${new Date(lock.sinceMs).toISOString()})`);
    this.name = 'ProjectionLocked';
  }
}

/** Width of a zero-padded block number in keys (u32 fits in 10 digits). */
const BLOCK_DIGITS = 10;
/** A block number (or any u32 index) as a key part that sorts numerically. */
export const padBlock = (n: number): string => n.toString().padStart(BLOCK_DIGITS, '0');

/** The rows whose key falls inside a range, in order: the shared filter of in-memory scans. */
export function selectRange(sortedKeys: readonly string[], range: ScanRange): string[] {
  const { prefix, after, before } = range;
  let keys = sortedKeys.filter(
    (k) => (prefix === undefined || k.startsWith(prefix)) && (after === undefined || k > after) && (before === undefined || k < before),
  );
  if (range.reverse === true) keys = keys.reverse();
  return range.limit === undefined ? keys : keys.slice(0, range.limit);
}
