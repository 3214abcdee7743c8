/**
 * The computation pallet's mq handlers (DOMAIN.md §5.6, §14 F1, F9, F18, F25):
 * `phala/mining/report` (a worker's heartbeat updates the informational on-chain benchmark) and
 * `^phala/mining/update` (the gatekeepers' report: offline, recovered, settle, then `OnReward`).
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { toHex } from '../../codec/hex';
import type { Message } from '../../codec/mq.codec';
import { type SettleInfoRecord, type WorkerEvent, WorkingInfoUpdateEventScale, WorkingReportEventScale } from '../../codec/systemEvents.codec';
import { topics } from '../../codec/topics';
import { fixedToBalance } from '../../fixed/balance';
import { SUBSIDY_POOL_ACCOUNT } from '../../ids/accounts';
import { type DispatchContext, type DispatchError, dispatchError, type MessageHandler } from '../../runtime/types';
import { transfer } from './balances.pallet';
import { isComputing, type SettleEntry } from './computationApi';
import { type Benchmark, blockSecs, COMPUTATION, ComputationConfigValue, emitComputation, Sessions, WorkerBindings } from './computationState';
import { decodePayload } from './registryHandlers';
import { pushWorkerEvent } from './registryWorkers';
import { Workers } from './registryState';
import { RuntimePanic } from './runtimePanic';

const fail = (error: string): Either<DispatchError, never> => left(dispatchError(COMPUTATION, error));
const ok = right(undefined);
const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;

/**
 * `Benchmark::update` (times in seconds): a report not after the last challenge panics (§14 F9);
 * a lower counter means a restart; `p_instant = (Δiter·6/Δt) as u32`, then capped at 120 % of
 * `p_init` (u32 arithmetic, wrapping as Rust's release build does).
 */
export function updateBenchmark(b: Benchmark, nowSecs: bigint, iterations: bigint, challengeTimeSecs: bigint): Benchmark {
  if (nowSecs <= b.challengeTimeLast) throw new RuntimePanic('HeartbeatReportInvalid');
  const base = iterations < b.iterations ? iterations : b.iterations;
  const deltaTs = nowSecs - b.challengeTimeLast;
  const deltaIter = iterations - base;
  const raw = Number(((((deltaIter * 6n) & U64) / deltaTs) & U32));
  const cap = Number(((BigInt(b.pInit) * 12n) & U32) / 10n);
  return { ...b, iterations, challengeTimeLast: challengeTimeSecs, pInstant: Math.min(raw, cap) };
}

/** `on_working_message_received`: only `Worker` senders count; the worker must be bound. */
export const workingReportHandler: MessageHandler = {
  topic: topics.workingReport,
  handle(ctx, message) {
    const decoded = decodePayload(WorkingReportEventScale, message);
    if (isLeft(decoded)) return decoded;
    if (message.sender.tag !== 'Worker') return ok;
    const worker = toHex(message.sender.value);
    const session = WorkerBindings.get(ctx.storage, worker);
    if (session === undefined) return fail('WorkerNotBound');
    const info = Sessions.get(ctx.storage, session);
    // `expect("Bound worker; qed.")`: unreachable through the pallet's own transitions
    if (info === undefined || !Workers.has(ctx.storage, worker)) throw new RuntimePanic('BoundWorkerIncomplete');
    const { iterations, challengeTime } = decoded.right.value;
    const b = updateBenchmark(info.benchmark, blockSecs(ctx.block), iterations, challengeTime / 1000n);
    emitComputation(ctx, { tag: 'SessionBenchmarkRecorded', value: { session, iterations: b.iterations, challengeTimeLast: b.challengeTimeLast, pInstant: b.pInstant } });
    emitComputation(ctx, { tag: 'BenchmarkUpdated', value: { session, pInstant: b.pInstant } });
    return ok;
  },
};

/** T3/T4 for each listed worker that is bound and computing; re-emits for one already there (§14 F18). */
function markWorkers(ctx: DispatchContext, pubkeys: readonly Uint8Array[], tag: 'WorkerEnterUnresponsive' | 'WorkerExitUnresponsive'): void {
  const mq: WorkerEvent = tag === 'WorkerEnterUnresponsive' ? { tag: 'EnterUnresponsive', value: undefined } : { tag: 'ExitUnresponsive', value: undefined };
  for (const raw of pubkeys) {
    const worker = toHex(raw);
    const session = WorkerBindings.get(ctx.storage, worker);
    if (session === undefined) continue;
    const info = Sessions.get(ctx.storage, session);
    if (info === undefined || !isComputing(info.state)) continue;
    emitComputation(ctx, { tag, value: { session } });
    pushWorkerEvent(ctx, COMPUTATION, worker, mq);
  }
}

/**
 * `try_handle_settle`: an unbound worker is skipped; a late report (`v_updated_at ≥ emit_ts`) is
 * dropped; otherwise the session takes the new V and the treasury share leaves the subsidy pool.
 * A failed withdrawal leaves the session updated (F25) and is an error.
 */
function trySettle(ctx: DispatchContext, info: SettleInfoRecord, emitTs: bigint): Either<DispatchError, void> {
  const worker = toHex(info.pubkey);
  const session = WorkerBindings.get(ctx.storage, worker);
  if (session === undefined) return ok;
  const current = Sessions.get(ctx.storage, session);
  if (current === undefined) return fail('SessionNotFound');
  if (current.vUpdatedAt >= emitTs) {
    emitComputation(ctx, { tag: 'SessionSettlementDropped', value: { session, v: info.v, payout: info.payout } });
    return ok;
  }
  const treasury = ComputationConfigValue.get(ctx.storage).treasuryAccount;
  const paid = transfer(ctx, SUBSIDY_POOL_ACCOUNT, treasury, fixedToBalance(info.treasury));
  if (isLeft(paid)) {
    emitComputation(ctx, { tag: 'SessionVUpdatedUnsettled', value: { session, vBits: info.v, payoutBits: info.payout } });
    return paid;
  }
  emitComputation(ctx, { tag: 'SessionSettled', value: { session, vBits: info.v, payoutBits: info.payout } });
  return ok;
}

/** `on_gk_message_received` on `^phala/mining/update`; `onReward` gets the unfiltered settle list (§14 F1). */
export function gatekeeperReportHandler(onReward: (ctx: DispatchContext, settle: readonly SettleEntry[]) => void): MessageHandler {
  return {
    topic: topics.workingInfoUpdate,
    handle(ctx: DispatchContext, message: Message) {
      const decoded = decodePayload(WorkingInfoUpdateEventScale, message);
      if (isLeft(decoded)) return decoded;
      if (message.sender.tag !== 'Gatekeeper') return fail('BadSender');
      const report = decoded.right;
      if (report.offline.length === 0 && report.recoveredToOnline.length === 0 && report.settle.length === 0) return ok;
      markWorkers(ctx, report.offline, 'WorkerEnterUnresponsive');
      markWorkers(ctx, report.recoveredToOnline, 'WorkerExitUnresponsive');
      const emitTs = report.timestampMs / 1000n;
      for (const info of report.settle) {
        if (isLeft(trySettle(ctx, info, emitTs))) emitComputation(ctx, { tag: 'InternalErrorWorkerSettleFailed', value: { worker: toHex(info.pubkey) } });
      }
      onReward(
        ctx,
        report.settle.map((i) => ({ pubkey: toHex(i.pubkey), payoutBits: i.payout })),
      );
      return ok;
    },
  };
}
