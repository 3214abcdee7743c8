/**
 * Session transitions T1, T2, T5, T6, T7 of the computation pallet (DOMAIN.md §5.3), with
 * Phala's guard order and error names (§14 F16), as the `ComputationApi` the stake pool calls.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { initialV, minimumStake } from '../../economics/startChecks';
import type { StorageReader } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, dispatchError } from '../../runtime/types';
import { type ComputationApi, isComputing, type StakePoolHooks } from './computationApi';
import {
  blockSecs,
  COMPUTATION,
  ComputationConfigValue,
  CoolDownPeriod,
  emitComputation,
  NextSessionId,
  SessionBindings,
  Sessions,
  Stakes,
  TokenomicParametersStore,
  WorkerBindings,
} from './computationState';
import { pushWorkerEvent } from './registryWorkers';
import { isWorkerRegisteredAfterGkLaunched, Workers } from './registryState';

const fail = (error: string): Either<DispatchError, never> => left(dispatchError(COMPUTATION, error));
const ok = right(undefined);

function bind(ctx: DispatchContext, session: AccountIdHex, worker: AccountIdHex): Either<DispatchError, void> {
  const s = ctx.storage;
  const info = Workers.get(s, worker);
  if (info === undefined) return fail('WorkerNotRegistered');
  // `CheckWorkerRegisterTime` turns away workers registered before the current gatekeeper launch;
  // at genesis (block 0) the gatekeepers launch together with the genesis workers, so it cannot apply
  const checkTime = ctx.block.number > 0 && ComputationConfigValue.get(s).checkWorkerRegisterTime;
  if (checkTime && !isWorkerRegisteredAfterGkLaunched(s, worker)) return fail('WorkerReregisterNeeded');
  if (info.initialScore === undefined) return fail('BenchmarkMissing');
  if (SessionBindings.has(s, session)) return fail('DuplicateBoundSession');
  if (WorkerBindings.has(s, worker)) return fail('DuplicateBoundWorker');
  // never override a running session, even an unbound one
  const existing = Sessions.get(s, session);
  if (existing !== undefined && existing.state !== 'Ready') return fail('WorkerNotReady');
  emitComputation(ctx, { tag: 'SessionBound', value: { session, worker } });
  return ok;
}

function startComputing(ctx: DispatchContext, session: AccountIdHex, stake: bigint): Either<DispatchError, void> {
  const s = ctx.storage;
  const worker = SessionBindings.get(s, session);
  if (worker === undefined) return fail('SessionNotFound');
  if (Sessions.get(s, session)?.state !== 'Ready') return fail('WorkerNotReady');
  if (Stakes.has(s, session)) return fail('InternalErrorCannotStartWithExistingStake');
  const info = Workers.get(s, worker);
  if (info === undefined) throw new Error(`bound worker ${worker} must be registered`);
  const p = info.initialScore;
  if (p === undefined) return fail('BenchmarkMissing');
  if (p < ComputationConfigValue.get(s).minInitP) return fail('BenchmarkTooLow');
  const params = TokenomicParametersStore.get(s);
  if (params === undefined) return fail('InternalErrorBadTokenomicParameters');
  if (stake < minimumStake(params, p)) return fail('InsufficientStake');
  const ve = initialV(params, stake, p, info.confidenceLevel);
  if (ve > params.vMax) return fail('TooMuchStake');

  const sessionId = NextSessionId.get(s);
  emitComputation(ctx, { tag: 'StakeRecorded', value: { session, stake } });
  pushWorkerEvent(ctx, COMPUTATION, worker, { tag: 'Started', value: { sessionId, initV: ve, initP: p } });
  emitComputation(ctx, { tag: 'WorkerStarted', value: { session, initV: ve, initP: p } });
  return ok;
}

function stopComputing(ctx: DispatchContext, session: AccountIdHex): Either<DispatchError, void> {
  const worker = SessionBindings.get(ctx.storage, session);
  if (worker === undefined) return fail('SessionNotBound');
  const info = Sessions.get(ctx.storage, session);
  if (info === undefined) return fail('SessionNotFound');
  if (!isComputing(info.state)) return fail('WorkerNotComputing');
  // `OnStopped` is a no-op in the stake pool (§14 F7)
  pushWorkerEvent(ctx, COMPUTATION, worker, { tag: 'Stopped', value: undefined });
  emitComputation(ctx, { tag: 'WorkerStopped', value: { session } });
  return ok;
}

function reclaim(ctx: DispatchContext, session: AccountIdHex, checkCooldown: boolean): Either<DispatchError, { originalStake: bigint; slashed: bigint }> {
  const info = Sessions.get(ctx.storage, session);
  if (info === undefined) return fail('SessionNotFound');
  const cooled = !checkCooldown || blockSecs(ctx.block) - info.coolDownStart >= CoolDownPeriod.get(ctx.storage);
  if (info.state !== 'WorkerCoolingDown' || !cooled) return fail('CoolDownNotReady');
  const originalStake = Stakes.get(ctx.storage, session) ?? 0n;
  // `calc_final_stake` = (stake, 0): slashing is disabled
  emitComputation(ctx, { tag: 'WorkerReclaimed', value: { session, originalStake, slashed: 0n } });
  return right({ originalStake, slashed: 0n });
}

function unbindSession(ctx: DispatchContext, session: AccountIdHex, notify: boolean, hooks: Pick<StakePoolHooks, 'onUnbound'>): Either<DispatchError, void> {
  const worker = SessionBindings.get(ctx.storage, session);
  if (worker === undefined) return fail('SessionNotBound');
  const info = Sessions.get(ctx.storage, session);
  if (info === undefined) throw new Error(`bound session ${session} must have a SessionInfo`);
  const force = isComputing(info.state);
  if (force) {
    const stopped = stopComputing(ctx, session);
    if (isLeft(stopped)) return stopped;
  }
  emitComputation(ctx, { tag: 'SessionUnbound', value: { session, worker } });
  if (notify) hooks.onUnbound(ctx, worker, force);
  return ok;
}

/** The session transitions as `ComputationApi`; `onUnbound` runs after a notified unbind (`force` = it had to stop the session). */
export function createComputationApi(hooks: Pick<StakePoolHooks, 'onUnbound'>): ComputationApi {
  return {
    workerInfo(s: StorageReader, pubkey) {
      const w = Workers.get(s, pubkey);
      return w === undefined ? undefined : { operator: w.operator, initialScore: w.initialScore };
    },
    bind,
    startComputing,
    stopComputing,
    reclaim,
    unbindSession: (ctx, session, notify) => unbindSession(ctx, session, notify, hooks),
    sessionState: (s, session) => Sessions.get(s, session)?.state,
    stakeOf: (s, session) => Stakes.get(s, session),
  };
}

/**
 * The computation pallet's `ComputationApi` without a stake pool behind it: a notified unbind
 * (only the pallet's own `unbind` call notifies) throws here — use the `api` returned by
 * `createComputationPallet`, which is wired to the stake pool's hooks.
 */
export const computationApi: ComputationApi = createComputationApi({
  onUnbound() {
    throw new Error('computationApi: a notified unbind needs the api of createComputationPallet (wired to the stake pool)');
  },
});
