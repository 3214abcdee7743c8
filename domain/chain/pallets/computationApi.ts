/**
 * What the stake pool needs from the computation pallet and the registry
 * (`PB:pallets/phala/src/compute/computation.rs`, `registry.rs`; DOMAIN.md §5.3, §14 F16). The
 * real computation pallet implements this; `testing/computationForTests.ts` is a small stand-in.
 * Every operation that changes state emits the computation pallet's own events through `ctx`.
 * Errors are the computation pallet's (`{ pallet: 'PhalaComputation', error }`), checked in the
 * order given, and stop before anything is emitted.
 */
import type { Either } from 'fp-ts/Either';
import type { StorageReader } from '../../runtime/storage';
import type { AccountIdHex, DispatchContext, DispatchError } from '../../runtime/types';

/** Session states in SCALE order (`Ready=0, WorkerIdle=1, _Unused=2, WorkerUnresponsive=3, WorkerCoolingDown=4`). */
export type SessionState = 'Ready' | 'WorkerIdle' | 'WorkerUnresponsive' | 'WorkerCoolingDown';

/** `WorkerState::is_computing`: Idle or Unresponsive. */
export const isComputing = (s: SessionState): boolean => s === 'WorkerIdle' || s === 'WorkerUnresponsive';

/** The registry facts the stake pool checks in `add_worker` (`WorkerInfoV2`). */
export interface WorkerRegistration {
  readonly operator: AccountIdHex | undefined;
  /** the benchmark's initial score; `undefined` = not benchmarked yet */
  readonly initialScore: number | undefined;
}

/** One settlement entry of a gatekeeper report, as `OnReward` receives it. */
export interface SettleEntry {
  readonly pubkey: AccountIdHex;
  /** U64F64 bits of the payout in PHA */
  readonly payoutBits: bigint;
}

/** The computation pallet as the stake pool sees it. */
export interface ComputationApi {
  /** `Registry::Workers[pubkey]`, or `undefined` if the worker is not registered */
  workerInfo(s: StorageReader, pubkey: AccountIdHex): WorkerRegistration | undefined;
  /**
   * T1 `bind(session, worker)`. Errors in order: `WorkerNotRegistered`, `WorkerReregisterNeeded`,
   * `BenchmarkMissing`, `DuplicateBoundSession`, `DuplicateBoundWorker`, `WorkerNotReady` (an
   * existing session must be Ready). Resets the session info; `SessionBound`.
   */
  bind(ctx: DispatchContext, session: AccountIdHex, worker: AccountIdHex): Either<DispatchError, void>;
  /**
   * T2 `start_computing(session, stake)`. Errors in order: `SessionNotFound` (also for an unbound
   * session), `WorkerNotReady`, `InternalErrorCannotStartWithExistingStake`, `BenchmarkMissing`,
   * `BenchmarkTooLow`, `InternalErrorBadTokenomicParameters`, `InsufficientStake`, `TooMuchStake`.
   * Records `Stakes[session] = stake`; `WorkerStarted`.
   */
  startComputing(ctx: DispatchContext, session: AccountIdHex, stake: bigint): Either<DispatchError, void>;
  /**
   * T5 `stop_computing(session)`. Errors in order: `SessionNotBound`, `SessionNotFound`,
   * `WorkerNotComputing`. Enters CoolingDown at `now`; `WorkerStopped`. (`OnStopped` is a no-op
   * in the stake pool, §14 F7, so it is not part of this contract.)
   */
  stopComputing(ctx: DispatchContext, session: AccountIdHex): Either<DispatchError, void>;
  /**
   * T6 `reclaim(session, check_cooldown)`. Errors in order: `SessionNotFound` (the session need
   * not be bound), `CoolDownNotReady` (any state but CoolingDown, or the cooldown not over when
   * checked). Back to Ready, `Stakes` removed; `WorkerReclaimed`. Returns the stake and the slash
   * (always 0: slashing is disabled).
   */
  reclaim(ctx: DispatchContext, session: AccountIdHex, checkCooldown: boolean): Either<DispatchError, { originalStake: bigint; slashed: bigint }>;
  /**
   * T7 `unbind_session(session, notify)`. Error: `SessionNotBound`. A computing session is
   * stopped first (T5); bindings are removed (the session info stays); `SessionUnbound`; with
   * `notify` the stake pool's `onUnbound(worker, force = true)` runs.
   */
  unbindSession(ctx: DispatchContext, session: AccountIdHex, notify: boolean): Either<DispatchError, void>;
  /** state of a session, or `undefined` if it never existed (`Sessions`) */
  sessionState(s: StorageReader, session: AccountIdHex): SessionState | undefined;
  /** `Stakes[session]` */
  stakeOf(s: StorageReader, session: AccountIdHex): bigint | undefined;
}

/** What the computation pallet calls back into the stake pool. */
export interface StakePoolHooks {
  /** `OnReward::on_reward` with the unfiltered settle list of a report (§14 F1) */
  onReward(ctx: DispatchContext, settle: readonly SettleEntry[]): void;
  /** `OnUnbound::on_unbound` after a notified unbind */
  onUnbound(ctx: DispatchContext, worker: AccountIdHex, force: boolean): void;
}
