/**
 * The chain's own estimate of every computing worker's share, kept for the emission audit. The
 * gatekeeper pays a worker `share / Σshare · budget · blocks` where `share = sqrt(V² + (2·P·conf)²)`
 * (DOMAIN.md §6.5) and Σshare is over computing, responsive workers. The chain sees almost the same
 * numbers: V from `WorkerStarted.initV` and every settlement's `v`, P from `WorkerStarted.initP`
 * and then the on-chain benchmark (`SessionBenchmarkRecorded.pInstant`, the heartbeat's measured
 * score with the same 1.2·P cap), the confidence level from the registry. Differences: the chain's
 * V misses the idle growth since the last settlement (ρ−1 ≈ 6.7e-7 per block), its P is measured
 * in whole seconds, and a worker running contracts is paid on its benchmark score. A few percent.
 *
 * Kept event by event (no storage scan): one record per worker and the running Σshare over the
 * responsive ones, as floating point (an estimate compared with a tolerance; deterministic, since
 * the same events always run the same operations in the same order).
 */
import { COMPUTATION } from '../../domain/chain/pallets/computationState';
import { Workers } from '../../domain/chain/pallets/registryState';
import { gkConfidenceScore } from '../../domain/economics';
import type { StorageReader } from '../../domain/runtime/storage';
import type { RuntimeEvent } from '../../domain/runtime/types';

const TWO64 = 2 ** 64;
const fixedToFloat = (bits: bigint): number => Number(bits) / TWO64;

/** What the audit knows of one worker. */
export interface WorkerShare {
  v: number;
  p: number;
  conf: number;
  /** responsive and computing: counted in Σshare */
  live: boolean;
  /** gatekeeper block the worker's accrual restarted at (start, payout, recovery), if known */
  accrualFrom: number | undefined;
  share: number;
}

/** Every worker's estimated share and the running Σshare. */
export class ShareBook {
  private readonly byWorker = new Map<string, WorkerShare>();
  private readonly workerOfSession = new Map<string, string>();
  private sum = 0;

  /** Σshare over responsive computing workers. */
  get sumShare(): number {
    return this.sum;
  }

  worker(pubkey: string): WorkerShare | undefined {
    return this.byWorker.get(pubkey);
  }

  /** Folds one chain event (block `n`); `state` is read for a starting worker's confidence level. */
  apply(n: number, e: RuntimeEvent, state: StorageReader): void {
    if (e.tag === 'PhalaMq' && (e.value as { tag: string }).tag === 'HeldMessagesDispatched') {
      // genesis's sessions reach the gatekeepers only now (mq's genesis hold): their accrual starts here
      for (const w of this.byWorker.values()) if (w.accrualFrom !== undefined && w.accrualFrom < n) w.accrualFrom = n;
      return;
    }
    if (e.tag !== COMPUTATION) return;
    const { tag, value } = e.value as { tag: string; value: Record<string, unknown> };
    const session = value.session as string | undefined;
    if (tag === 'SessionBound') {
      this.workerOfSession.set(session!, value.worker as string);
      return;
    }
    const pubkey = session === undefined ? undefined : this.workerOfSession.get(session);
    if (pubkey === undefined) return;
    if (tag === 'WorkerStarted') {
      const conf = Number(gkConfidenceScore(Workers.get(state, pubkey)?.confidenceLevel ?? 0)) / TWO64;
      const p = Number(value.initP);
      this.update(pubkey, { v: fixedToFloat(value.initV as bigint), p, conf, live: true, accrualFrom: n, share: 0 });
      return;
    }
    const w = this.byWorker.get(pubkey);
    if (w === undefined) return;
    if (tag === 'SessionSettled' || tag === 'SessionVUpdatedUnsettled') this.update(pubkey, { ...w, v: fixedToFloat(value.vBits as bigint) });
    else if (tag === 'SessionBenchmarkRecorded') this.update(pubkey, { ...w, p: Number(value.pInstant) });
    else if (tag === 'WorkerEnterUnresponsive') this.update(pubkey, { ...w, live: false });
    else if (tag === 'WorkerExitUnresponsive') this.update(pubkey, { ...w, live: true });
    else if (tag === 'WorkerStopped') this.update(pubkey, { ...w, live: false, accrualFrom: undefined });
    else if (tag === 'SessionUnbound') this.workerOfSession.delete(session!);
  }

  /** The gatekeeper restarted the worker's accrual at its block `b` (a paid settlement or a recovery). */
  restartAccrual(pubkey: string, b: number): void {
    const w = this.byWorker.get(pubkey);
    // never back in time: a restart in the same chain block is later than the report's block
    if (w !== undefined && w.accrualFrom !== undefined) w.accrualFrom = Math.max(w.accrualFrom, b);
  }

  private update(pubkey: string, next: WorkerShare): void {
    const old = this.byWorker.get(pubkey);
    if (old?.live === true) this.sum -= old.share;
    next.share = Math.sqrt(next.v * next.v + (2 * next.p * next.conf) ** 2);
    if (next.live) this.sum += next.share;
    this.byWorker.set(pubkey, next);
  }
}
