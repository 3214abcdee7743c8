/**
 * Following a ledger that is still being written (issue 7 item 4): the projections are caught up
 * in bounded chunks, and every answer runs between two chunks, never during one. After a chunk
 * every projection stands at the same block, so an answer always reflects one block of the
 * ledger; a chunk bound keeps a long catch-up from starving the readers.
 */
import { hostname } from 'node:os';
import type { Codec } from 'scale-ts';
import type { EventStore } from '../../domain/ports/eventStore';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { type Projection, ProjectionLocked, type ProjectionStatus, type ProjectionStore, projectAll, projectionStatus } from '../../projections';

/** Options of `ledgerFollower`. */
export interface FollowerOptions {
  readonly ledger: EventStore;
  readonly store: ProjectionStore;
  readonly eventCodec: Codec<RuntimeEvent>;
  readonly projections: readonly Projection[];
  /** milliseconds since the epoch (the wall clock: serve is a driving adapter) */
  readonly now: () => number;
  /** blocks folded per chunk before readers get a turn; default 256 */
  readonly chunkBlocks?: number;
  /** who folds, as the rebuild lock names it; default `phalanet serve, pid … on …` */
  readonly holder?: string;
}

/** What one catch-up did. */
export interface CatchUpResult {
  /** blocks folded by this call */
  readonly folded: number;
  /** false when another process holds the rebuild lock (its rebuild is reported in `status`) */
  readonly ran: boolean;
  readonly status: readonly ProjectionStatus[];
}

/** The follower: catch-up and reads, serialized. */
export interface LedgerFollower {
  /** folds every block the ledger has and the projections lack, chunk by chunk */
  catchUp(): Promise<CatchUpResult>;
  /** runs `fn` while no chunk is being folded; `fn` gets the current projection status */
  read<T>(fn: (status: readonly ProjectionStatus[]) => Promise<T>): Promise<T>;
  /** the ledger's chain head (undefined: no block yet) */
  ledgerHead(): Promise<number | undefined>;
}

const CHAIN = 'chain';

/** A follower over an open ledger and its projection store. */
export function ledgerFollower(options: FollowerOptions): LedgerFollower {
  const { ledger, store, eventCodec, projections, now } = options;
  const chunk = options.chunkBlocks ?? 256;
  const holder = options.holder ?? `phalanet serve, pid ${process.pid} on ${hostname()}`;
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn, fn);
    queue = result.catch(() => undefined);
    return result;
  };
  const lowestCheckpoint = async (): Promise<number> => {
    let low = Number.POSITIVE_INFINITY;
    for (const p of projections) {
      const cp = await store.checkpoint(p.name);
      low = Math.min(low, cp !== undefined && cp.version === p.version ? cp.blockNumber : -1);
    }
    return low;
  };
  const foldChunk = (): Promise<{ folded: number; ran: boolean }> =>
    exclusive(async () => {
      const head = await ledger.streamVersion(CHAIN);
      const from = (await lowestCheckpoint()) + 1;
      if (head === undefined || from > head) return { folded: 0, ran: true };
      const toBlock = Math.min(head, from + chunk - 1);
      try {
        await projectAll(ledger, projections, store, { eventCodec, holder, now, toBlock });
      } catch (error) {
        if (error instanceof ProjectionLocked) return { folded: 0, ran: false };
        throw error;
      }
      return { folded: toBlock - from + 1, ran: true };
    });
  return {
    async catchUp() {
      let folded = 0;
      for (;;) {
        const step = await foldChunk();
        folded += step.folded;
        if (!step.ran || step.folded === 0) {
          const status = await projectionStatus(ledger, projections, store, now());
          return { folded, ran: step.ran, status };
        }
      }
    },
    read: (fn) => exclusive(async () => fn(await projectionStatus(ledger, projections, store, now()))),
    ledgerHead: () => ledger.streamVersion(CHAIN),
  };
}
