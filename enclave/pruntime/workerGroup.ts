/**
 * The hot path: all the worker pRuntimes of one process, fed one verified block view at a time
 * (ARCHITECTURE.md §4). Per block the view's messages are walked once; a `WorkerEvent` goes to
 * the one worker it names; a `HeartbeatChallenge` is a tight loop over the dense list of
 * challengeable workers' hashes (typed arrays, no allocation per worker) and only hit workers do
 * any work; bench reports are checked only for workers with a benchmark running. Egress produced
 * in the block is returned per worker, each worker's messages in processing order (F11).
 */
import type { MessageOrigin, SignedMessage } from '../../domain/codec/mq.codec';
import { toHexPlain } from '../../domain/codec/hex';
import type { VerifiedBlockView } from './blockView';
import { createLotteryIndex } from './lotteryIndex';
import { applyWorkerEvent, type BlockContext, isChallengeable, onBlockProcessed, purgeEgress, sendHeartbeat, type WorkerRuntime } from './workerRuntime';

/** The messages one worker produced in a block. */
export interface WorkerEgress {
  readonly worker: number;
  readonly pubkey: Uint8Array;
  readonly messages: readonly SignedMessage[];
}

/** A process's worker pRuntimes. Indices are stable: a worker keeps the index `add` returned. */
export interface WorkerGroup {
  add(worker: WorkerRuntime): number;
  /** puts a restored runtime of the same worker at `index` (a pRuntime restarted from its checkpoint and caught up) */
  replace(index: number, worker: WorkerRuntime): void;
  worker(index: number): WorkerRuntime;
  indexOf(pubkey: Uint8Array): number | undefined;
  readonly size: number;
  /** the last block processed (−1 before the first) */
  readonly lastBlock: number;
  /** runs one block; blocks must come in order without gaps once the first is processed */
  processBlock(view: VerifiedBlockView): readonly WorkerEgress[];
  /** indices (ascending) the challenge `(seed, target)` hits among the challengeable workers */
  lottery(seed: bigint, onlineTarget: bigint): number[];
  /** `purge_mq` for every worker holding egress */
  purge(nextSequenceFor: (origin: MessageOrigin) => bigint): void;
}

const holdsEgress = (w: WorkerRuntime): boolean => [...w.egress.values()].some((c) => c.messages.length > 0);

/** An empty group that will process blocks from `firstBlock` on (any block when omitted). */
export function createWorkerGroup(firstBlock?: number): WorkerGroup {
  const workers: WorkerRuntime[] = [];
  const byPubkey = new Map<string, number>();
  const index = createLotteryIndex();
  const benching = new Set<number>();
  const holdingEgress = new Set<number>();
  let lastBlock = firstBlock === undefined ? -1 : firstBlock - 1;

  const refresh = (i: number): void => {
    const machine = workers[i]!.machine;
    index.setChallengeable(i, isChallengeable(machine));
    if (machine.benchState !== undefined) benching.add(i);
  };
  const lottery = (seed: bigint, onlineTarget: bigint): number[] => index.hits(seed, onlineTarget);

  return {
    add(worker) {
      const key = toHexPlain(worker.pubkey);
      if (byPubkey.has(key)) throw new Error(`worker ${key} is already in this group`);
      const i = workers.length;
      workers.push(worker);
      byPubkey.set(key, i);
      index.add(i, worker.pubkeyHash);
      refresh(i);
      if (holdsEgress(worker)) holdingEgress.add(i);
      return i;
    },
    replace(i, worker) {
      const old = workers[i];
      if (old === undefined) throw new RangeError(`no worker ${i} in a group of ${workers.length}`);
      if (toHexPlain(old.pubkey) !== toHexPlain(worker.pubkey)) throw new Error(`worker ${i}: a replacement must be the same worker`);
      workers[i] = worker;
      benching.delete(i);
      refresh(i);
      if (holdsEgress(worker)) holdingEgress.add(i);
    },
    worker: (i) => {
      const w = workers[i];
      if (w === undefined) throw new RangeError(`no worker ${i} in a group of ${workers.length}`);
      return w;
    },
    indexOf: (pubkey) => byPubkey.get(toHexPlain(pubkey)),
    get size() {
      return workers.length;
    },
    get lastBlock() {
      return lastBlock;
    },
    lottery,
    processBlock(view) {
      if (lastBlock >= 0 && view.number !== lastBlock + 1) throw new Error(`worker group expected block ${lastBlock + 1}, got ${view.number}`);
      const produced = new Map<number, SignedMessage[]>();
      const record = (i: number, m: SignedMessage | undefined): void => {
        if (m === undefined) return;
        const list = produced.get(i);
        if (list === undefined) produced.set(i, [m]);
        else list.push(m);
        holdingEgress.add(i);
      };
      const block: BlockContext = { number: view.number, nowMs: view.nowMs };
      for (const { systemEvent } of view.messages) {
        if (systemEvent === undefined) continue;
        if (systemEvent.tag === 'WorkerEvent') {
          const i = byPubkey.get(toHexPlain(systemEvent.value.pubkey));
          if (i === undefined) continue;
          applyWorkerEvent(workers[i]!, block, systemEvent.value.event);
          refresh(i);
        } else {
          for (const i of lottery(systemEvent.value.seed, systemEvent.value.onlineTarget)) record(i, sendHeartbeat(workers[i]!, block));
        }
      }
      for (const i of benching) {
        record(i, onBlockProcessed(workers[i]!, block));
        if (workers[i]!.machine.benchState === undefined) benching.delete(i);
      }
      lastBlock = view.number;
      return [...produced.entries()].map(([worker, messages]) => ({ worker, pubkey: workers[worker]!.pubkey, messages }));
    },
    purge(nextSequenceFor) {
      for (const i of holdingEgress) {
        const w = workers[i]!;
        purgeEgress(w, nextSequenceFor);
        if (!holdsEgress(w)) holdingEgress.delete(i);
      }
    },
  };
}
