/**
 * A small stand-in for the computation pallet and the registry, implementing `ComputationApi` for
 * the stake-pool tests. It is faithful in states, transitions, error names and their order
 * (DOMAIN.md §5.3, §14 F16) and in the hooks (unfiltered settle list to `onReward`, `onUnbound`
 * after a notified unbind). Simplifications, each deliberate:
 * - the registry is a map set by a root call `force_register_worker(pubkey, operator, initial_score)`;
 *   `WorkerReregisterNeeded` (register time vs gatekeeper launch) is never raised;
 * - `start_computing` uses confidence level 1 and the default tokenomic parameters: `BenchmarkTooLow`
 *   below P = 50 (configurable: Phala's own pool tests run with P = 1), `InsufficientStake` below 100·√P PHA, `TooMuchStake` when 1.3·(S + 0.3·P) > 30000;
 *   V/Ve, the benchmark, `OnlineWorkers`, session ids and mq messages are not modelled;
 * - a settle report is a root call `settle(entries)`: bound workers get `SessionSettled` (no
 *   treasury share, no late-report drop), then the whole list goes to `onReward` (§14 F1);
 * - unresponsiveness is a root call `mark_unresponsive(pubkey)` (T3) and nothing brings it back.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { Enum, Option, Struct, u8, u32, u64, u128, Vector, type CodecType } from 'scale-ts';
import { AccountId } from '../../../runtime/codecs';
import { type Storage, type StorageReader, storageMap, storageValue } from '../../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, unreachable } from '../../../runtime/types';
import { type ComputationApi, isComputing, type SessionState, type StakePoolHooks } from '../computationApi';

/** Runtime name of the computation pallet. */
export const COMPUTATION = 'PhalaComputation';
const STATES: readonly SessionState[] = ['Ready', 'WorkerIdle', 'WorkerIdle', 'WorkerUnresponsive', 'WorkerCoolingDown'];
const stateIndex = (s: SessionState) => STATES.indexOf(s);

// events
const Session = Struct({ session: AccountId });
/** Events of the stand-in computation pallet. */
export const ComputationEvent = Enum({
  WorkerRegistered: Struct({ pubkey: AccountId, operator: Option(AccountId), initialScore: Option(u32) }),
  SessionBound: Struct({ session: AccountId, worker: AccountId }),
  SessionUnbound: Struct({ session: AccountId, worker: AccountId }),
  WorkerStarted: Struct({ session: AccountId, stake: u128 }),
  WorkerStopped: Struct({ session: AccountId, at: u64 }),
  WorkerReclaimed: Struct({ session: AccountId, originalStake: u128, slashed: u128 }),
  WorkerEnterUnresponsive: Session,
  SessionSettled: Struct({ session: AccountId, payoutBits: u128 }),
  CoolDownExpirationChanged: Struct({ period: u64 }),
});
/** One stand-in computation event. */
export type ComputationEvent = CodecType<typeof ComputationEvent>;

// state
const Registration = Struct({ operator: Option(AccountId), initialScore: Option(u32) });
const SessionInfo = Struct({ state: u8, coolDownStart: u64 });
const Workers = storageMap('PhalaRegistry', 'Workers', AccountId, Registration);
const Sessions = storageMap(COMPUTATION, 'Sessions', AccountId, SessionInfo);
const SessionBindings = storageMap(COMPUTATION, 'SessionBindings', AccountId, AccountId);
const WorkerBindings = storageMap(COMPUTATION, 'WorkerBindings', AccountId, AccountId);
const Stakes = storageMap(COMPUTATION, 'Stakes', AccountId, u128);
/** seconds; Phala's default genesis value is 7 days in the production runtimes */
export const CoolDownPeriod = storageValue(COMPUTATION, 'CoolDownPeriod', u64, 604800n);

const setState = (s: Storage, session: AccountIdHex, state: SessionState, coolDownStart: bigint) => Sessions.set(s, session, { state: stateIndex(state), coolDownStart });

function evolve(s: Storage, e: ComputationEvent): void {
  switch (e.tag) {
    case 'WorkerRegistered':
      Workers.set(s, e.value.pubkey, { operator: e.value.operator, initialScore: e.value.initialScore });
      return;
    case 'SessionBound':
      SessionBindings.set(s, e.value.session, e.value.worker);
      WorkerBindings.set(s, e.value.worker, e.value.session);
      setState(s, e.value.session, 'Ready', 0n);
      return;
    case 'SessionUnbound':
      SessionBindings.remove(s, e.value.session);
      WorkerBindings.remove(s, e.value.worker);
      return;
    case 'WorkerStarted':
      Stakes.set(s, e.value.session, e.value.stake);
      setState(s, e.value.session, 'WorkerIdle', 0n);
      return;
    case 'WorkerStopped':
      setState(s, e.value.session, 'WorkerCoolingDown', e.value.at);
      return;
    case 'WorkerReclaimed':
      Stakes.remove(s, e.value.session);
      setState(s, e.value.session, 'Ready', 0n);
      return;
    case 'WorkerEnterUnresponsive':
      setState(s, e.value.session, 'WorkerUnresponsive', 0n);
      return;
    case 'SessionSettled':
      return;
    case 'CoolDownExpirationChanged':
      CoolDownPeriod.set(s, e.value.period);
      return;
    default:
      unreachable(e);
  }
}

// commands
/** Calls of the stand-in (Phala's `set_cool_down_expiration` 0 and `unbind` 1; test-only calls from 100). */
export const ComputationCall = Enum(
  {
    set_cool_down_expiration: Struct({ period: u64 }),
    unbind: Struct({ session: AccountId }),
    force_register_worker: Struct({ pubkey: AccountId, operator: Option(AccountId), initialScore: Option(u32) }),
    settle: Struct({ entries: Vector(Struct({ pubkey: AccountId, payoutBits: u128 })) }),
    mark_unresponsive: Struct({ pubkey: AccountId }),
  },
  [0, 1, 100, 101, 102],
);
/** One stand-in computation call. */
export type ComputationCall = CodecType<typeof ComputationCall>;

const err = (error: string): Either<DispatchError, never> => left(dispatchError(COMPUTATION, error));
const emit = (ctx: DispatchContext, e: ComputationEvent) => ctx.emit(COMPUTATION, e);
const nowSec = (ctx: DispatchContext) => BigInt(Math.floor(ctx.block.timestampMs / 1000));
const stateOf = (s: StorageReader, session: AccountIdHex): SessionState | undefined => {
  const info = Sessions.get(s, session);
  return info === undefined ? undefined : STATES[info.state];
};

const PHA = 10n ** 12n;
function stakeCheck(p: number, stake: bigint, minInitP: number): string | undefined {
  if (p < minInitP) return 'BenchmarkTooLow';
  const minStake = 100n * PHA; // × √P, compared squared
  if (stake * stake < minStake * minStake * BigInt(p)) return 'InsufficientStake';
  // 1.3·(S/1e12 + 0.3·P) > 30000  ⇔  13·(10·S + 3·P·1e12) > 3·10^6·1e12
  if (13n * (10n * stake + 3n * BigInt(p) * PHA) > 3_000_000n * PHA) return 'TooMuchStake';
  return undefined;
}

/** Builds the stand-in computation pallet and its `ComputationApi`; hooks go to the stake pool. */
export function createComputationForTests(hooks: StakePoolHooks, options: { minInitP?: number } = {}): { pallet: Pallet; api: ComputationApi } {
  const minInitP = options.minInitP ?? 50;
  const api: ComputationApi = {
    workerInfo(s, pubkey) {
      const r = Workers.get(s, pubkey);
      return r === undefined ? undefined : { operator: r.operator, initialScore: r.initialScore };
    },
    bind(ctx, session, worker) {
      const r = Workers.get(ctx.storage, worker);
      if (r === undefined) return err('WorkerNotRegistered');
      if (r.initialScore === undefined) return err('BenchmarkMissing');
      if (SessionBindings.has(ctx.storage, session)) return err('DuplicateBoundSession');
      if (WorkerBindings.has(ctx.storage, worker)) return err('DuplicateBoundWorker');
      const state = stateOf(ctx.storage, session);
      if (state !== undefined && state !== 'Ready') return err('WorkerNotReady');
      emit(ctx, { tag: 'SessionBound', value: { session, worker } });
      return right(undefined);
    },
    startComputing(ctx, session, stake) {
      const worker = SessionBindings.get(ctx.storage, session);
      if (worker === undefined) return err('SessionNotFound');
      if (stateOf(ctx.storage, session) !== 'Ready') return err('WorkerNotReady');
      if (Stakes.has(ctx.storage, session)) return err('InternalErrorCannotStartWithExistingStake');
      const p = Workers.get(ctx.storage, worker)?.initialScore;
      if (p === undefined) return err('BenchmarkMissing');
      const failed = stakeCheck(p, stake, minInitP);
      if (failed !== undefined) return err(failed);
      emit(ctx, { tag: 'WorkerStarted', value: { session, stake } });
      return right(undefined);
    },
    stopComputing(ctx, session) {
      if (!SessionBindings.has(ctx.storage, session)) return err('SessionNotBound');
      const state = stateOf(ctx.storage, session);
      if (state === undefined) return err('SessionNotFound');
      if (!isComputing(state)) return err('WorkerNotComputing');
      emit(ctx, { tag: 'WorkerStopped', value: { session, at: nowSec(ctx) } });
      return right(undefined);
    },
    reclaim(ctx, session, checkCooldown) {
      const info = Sessions.get(ctx.storage, session);
      if (info === undefined) return err('SessionNotFound');
      const coolingDown = STATES[info.state] === 'WorkerCoolingDown';
      if (!coolingDown || (checkCooldown && nowSec(ctx) - info.coolDownStart < CoolDownPeriod.get(ctx.storage))) return err('CoolDownNotReady');
      const originalStake = Stakes.get(ctx.storage, session) ?? 0n;
      emit(ctx, { tag: 'WorkerReclaimed', value: { session, originalStake, slashed: 0n } });
      return right({ originalStake, slashed: 0n });
    },
    unbindSession(ctx, session, notify) {
      const worker = SessionBindings.get(ctx.storage, session);
      if (worker === undefined) return err('SessionNotBound');
      const state = stateOf(ctx.storage, session);
      if (state !== undefined && isComputing(state)) emit(ctx, { tag: 'WorkerStopped', value: { session, at: nowSec(ctx) } });
      emit(ctx, { tag: 'SessionUnbound', value: { session, worker } });
      if (notify) hooks.onUnbound(ctx, worker, true);
      return right(undefined);
    },
    sessionState: stateOf,
    stakeOf: (s, session) => Stakes.get(s, session),
  };

  const dispatch = (ctx: DispatchContext, origin: Origin, call: ComputationCall): Either<DispatchError, void> => {
    if (call.tag === 'unbind') {
      if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
      const worker = SessionBindings.get(ctx.storage, call.value.session);
      if (worker === undefined) return err('SessionNotBound');
      const r = Workers.get(ctx.storage, worker);
      if (r === undefined) return err('WorkerNotRegistered');
      if (r.operator !== origin.who) return err('BadSender');
      return api.unbindSession(ctx, call.value.session, true);
    }
    if (origin.type !== 'Root') return left(dispatchError('System', 'BadOrigin'));
    switch (call.tag) {
      case 'set_cool_down_expiration':
        emit(ctx, { tag: 'CoolDownExpirationChanged', value: call.value });
        return right(undefined);
      case 'force_register_worker':
        emit(ctx, { tag: 'WorkerRegistered', value: call.value });
        return right(undefined);
      case 'settle':
        for (const e of call.value.entries) {
          const session = WorkerBindings.get(ctx.storage, e.pubkey);
          if (session !== undefined) emit(ctx, { tag: 'SessionSettled', value: { session, payoutBits: e.payoutBits } });
        }
        hooks.onReward(ctx, call.value.entries);
        return right(undefined);
      case 'mark_unresponsive': {
        const session = WorkerBindings.get(ctx.storage, call.value.pubkey);
        const state = session === undefined ? undefined : stateOf(ctx.storage, session);
        if (session !== undefined && state !== undefined && isComputing(state)) emit(ctx, { tag: 'WorkerEnterUnresponsive', value: { session } });
        return right(undefined);
      }
      default:
        return unreachable(call);
    }
  };
  return { pallet: definePallet<ComputationCall, ComputationEvent>({ name: COMPUTATION, calls: ComputationCall, events: ComputationEvent, dispatch, evolve }), api };
}
