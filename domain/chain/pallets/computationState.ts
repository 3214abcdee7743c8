/**
 * PhalaComputation's events, storage, evolve and genesis
 * (`PB:pallets/phala/src/compute/computation.rs`, DOMAIN.md §5.1–5.2, §14 F16–F18, F25, F31).
 * Calls and hooks are in `computation.pallet.ts`, session transitions in `computationSessions.ts`,
 * mq handlers in `computationHandlers.ts`.
 *
 * Events 0–15 are Phala's with Phala's fields. Where Phala writes storage without an event that
 * says enough, phalanet adds a state event (indices 100+) emitted just before Phala's event:
 * e.g. `StakeRecorded` before `WorkerStarted`, `SessionBenchmarkRecorded` before
 * `BenchmarkUpdated`, `TokenomicParametersSet` before `TokenomicParametersChanged`.
 */
import { Struct, type CodecType, enhanceCodec } from 'scale-ts';
import { tokenomicParametersCodec } from '../../codec/gatekeeperEvents.codec';
import { bool, fixedBytes, option, u8, u32, u64, u128, unit, variant } from '../../codec/scale';
import { fixedToBalance } from '../../fixed/balance';
import { palletAccount } from '../../ids/accounts';
import { AccountId } from '../../runtime/codecs';
import { type Storage, type StorageReader, storageMap, storageValue } from '../../runtime/storage';
import { type BlockContext, type DispatchContext, unreachable } from '../../runtime/types';
import type { SessionState } from './computationApi';

/** The pallet's name (and its mq sender name). */
export const COMPUTATION = 'PhalaComputation';

const STATES: readonly (SessionState | '_Unused')[] = ['Ready', 'WorkerIdle', '_Unused', 'WorkerUnresponsive', 'WorkerCoolingDown'];
/** `WorkerState` by its SCALE index (Ready=0, WorkerIdle=1, _Unused=2, WorkerUnresponsive=3, WorkerCoolingDown=4). */
export const WorkerStateCodec = enhanceCodec<number, SessionState>(
  u8,
  (s) => STATES.indexOf(s),
  (i) => {
    const s = STATES[i];
    if (s === undefined || s === '_Unused') throw new RangeError(`WorkerState index ${i} is not a state`);
    return s;
  },
);

const Benchmark = Struct({ pInit: u32, pInstant: u32, iterations: u64, workingStartTime: u64, challengeTimeLast: u64 });
/** `SessionInfo`, field order as in Rust; `v`/`ve` are U64F64 bits, times are unix seconds. */
export const SessionInfo = Struct({
  state: WorkerStateCodec,
  ve: u128,
  v: u128,
  vUpdatedAt: u64,
  benchmark: Benchmark,
  coolDownStart: u64,
  /** `total_reward` in balance units (Phala converts the payout bits, §14 F31) */
  stats: Struct({ totalReward: u128 }),
});
/** A session's on-chain state. */
export type SessionInfo = CodecType<typeof SessionInfo>;
/** The informational on-chain benchmark of a session. */
export type Benchmark = CodecType<typeof Benchmark>;

const session = AccountId;
const worker = AccountId;

// events
/**
 * Chain-spec constants (Phala's `Config`): `ExpectedBlockTimeSec` 12, `MinInitP` 50,
 * `CheckWorkerRegisterTime` true (false on Khala), the treasury that receives the treasury
 * share, and the salt of the heartbeat seed (phalanet's stand-in for `RandomnessCollectiveFlip`).
 */
export const ComputationConfigCodec = Struct({
  expectedBlockTimeSec: u32,
  minInitP: u32,
  checkWorkerRegisterTime: bool,
  treasuryAccount: AccountId,
  heartbeatSeedSalt: fixedBytes(32),
});
/** The computation pallet's chain-spec constants. */
export type ComputationConfig = CodecType<typeof ComputationConfigCodec>;

/** PhalaComputation's events: Phala's 0–15, phalanet's state events 100+. */
export const ComputationEvent = variant(
  'ComputationEvent',
  {
    CoolDownExpirationChanged: Struct({ period: u64 }),
    WorkerStarted: Struct({ session, initV: u128, initP: u32 }),
    WorkerStopped: Struct({ session }),
    WorkerReclaimed: Struct({ session, originalStake: u128, slashed: u128 }),
    SessionBound: Struct({ session, worker }),
    SessionUnbound: Struct({ session, worker }),
    WorkerEnterUnresponsive: Struct({ session }),
    WorkerExitUnresponsive: Struct({ session }),
    SessionSettled: Struct({ session, vBits: u128, payoutBits: u128 }),
    InternalErrorWorkerSettleFailed: Struct({ worker }),
    SubsidyBudgetHalved: unit,
    InternalErrorWrongHalvingConfigured: unit,
    TokenomicParametersChanged: unit,
    SessionSettlementDropped: Struct({ session, v: u128, payout: u128 }),
    BenchmarkUpdated: Struct({ session, pInstant: u32 }),
    BudgetUpdated: Struct({ nonce: u64, budget: u128 }),
    /** phalanet: `Stakes[session] = stake` (before `WorkerStarted`) */
    StakeRecorded: Struct({ session, stake: u128 }),
    /** phalanet: `update_tokenomic` stored `ScheduledTokenomicUpdate` */
    TokenomicUpdateScheduled: Struct({ params: tokenomicParametersCodec }),
    /** phalanet: `TokenomicParameters` written; `fromSchedule` = the schedule was taken */
    TokenomicParametersSet: Struct({ params: tokenomicParametersCodec, fromSchedule: bool }),
    /** phalanet: the on-chain benchmark after a heartbeat (before `BenchmarkUpdated`) */
    SessionBenchmarkRecorded: Struct({ session, iterations: u64, challengeTimeLast: u64, pInstant: u32 }),
    /** phalanet: F25 — the session was updated but the treasury withdrawal failed (before `InternalErrorWorkerSettleFailed`) */
    SessionVUpdatedUnsettled: Struct({ session, vBits: u128, payoutBits: u128 }),
    /** phalanet: `BudgetUpdateNonce` and `LastBudgetUpdateBlock` */
    BudgetUpdateRecorded: Struct({ nonce: u64, blockNumber: u32 }),
    HeartbeatPausedSet: Struct({ paused: bool }),
    ContractAccountSet: Struct({ account: AccountId }),
    /** phalanet: Root set the pallet's chain-spec constants and `ExpectedHeartbeatCount` (genesis call `force_set_config`) */
    ConfigSet: Struct({ config: ComputationConfigCodec, expectedHeartbeatCount: option(u32) }),
  },
  {
    StakeRecorded: 100,
    TokenomicUpdateScheduled: 101,
    TokenomicParametersSet: 102,
    SessionBenchmarkRecorded: 103,
    SessionVUpdatedUnsettled: 104,
    BudgetUpdateRecorded: 105,
    HeartbeatPausedSet: 106,
    ContractAccountSet: 107,
    ConfigSet: 108,
  },
);
/** A PhalaComputation event. */
export type ComputationEvent = CodecType<typeof ComputationEvent>;

/** Emits a computation event (folded at once). */
export const emitComputation = (ctx: DispatchContext, e: ComputationEvent): void => ctx.emit(COMPUTATION, e);

// state
/** `TokenomicParameters` (set at genesis). */
export const TokenomicParametersStore = storageValue(COMPUTATION, 'TokenomicParameters', option(tokenomicParametersCodec), undefined);
/** `ScheduledTokenomicUpdate`: applied at the end of the block. */
export const ScheduledTokenomicUpdate = storageValue(COMPUTATION, 'ScheduledTokenomicUpdate', option(tokenomicParametersCodec), undefined);
/** `OnlineWorkers`: sessions in WorkerIdle or WorkerUnresponsive. */
export const OnlineWorkers = storageValue(COMPUTATION, 'OnlineWorkers', u32, 0);
/** `ExpectedHeartbeatCount` (unset = 20). */
export const ExpectedHeartbeatCount = storageValue<number | undefined>(COMPUTATION, 'ExpectedHeartbeatCount', option(u32), undefined);
/** default true: a fresh chain sends no challenges until governance resumes them */
export const HeartbeatPaused = storageValue(COMPUTATION, 'HeartbeatPaused', bool, true);
/** U64F64 bits of 93.75 PHA */
export const MaxBudgetLimit = storageValue(COMPUTATION, 'MaxBudgetLimit', u128, 1729382256910270464000n);
/** `BudgetUpdateNonce` of `set_budget_per_block`. */
export const BudgetUpdateNonce = storageValue(COMPUTATION, 'BudgetUpdateNonce', u64, 0n);
/** `LastBudgetUpdateBlock` of `set_budget_per_block`. */
export const LastBudgetUpdateBlock = storageValue(COMPUTATION, 'LastBudgetUpdateBlock', u32, 0);
/** Phala's default `ContractAccount` (the budget-setting Phat contract). */
export const DEFAULT_CONTRACT_ACCOUNT = '0x9e6399cd577e8ac536bdc017675f747b2d1893ad9cc8c69fd17eef73d4e6e51e';
/** `ContractAccount`: the only signer of `set_budget_per_block`. */
export const ContractAccount = storageValue(COMPUTATION, 'ContractAccount', AccountId, DEFAULT_CONTRACT_ACCOUNT);
/** `Sessions[session]`: kept after an unbind, reset by the next bind. */
export const Sessions = storageMap(COMPUTATION, 'Sessions', AccountId, SessionInfo);
/** `SessionBindings[session] = worker`. */
export const SessionBindings = storageMap(COMPUTATION, 'SessionBindings', AccountId, AccountId);
/** `WorkerBindings[worker] = session`. */
export const WorkerBindings = storageMap(COMPUTATION, 'WorkerBindings', AccountId, AccountId);
/** `CoolDownPeriod` in seconds. */
export const CoolDownPeriod = storageValue(COMPUTATION, 'CoolDownPeriod', u64, 0n);
/** `NextSessionId`: the id the next started session gets. */
export const NextSessionId = storageValue(COMPUTATION, 'NextSessionId', u32, 0);
/** `Stakes[session]`: present for computing and cooling-down sessions. */
export const Stakes = storageMap(COMPUTATION, 'Stakes', AccountId, u128);

/** Phala's production constants; treasury = `PalletId(*b"py/trsry")`. */
export const productionComputationConfig: ComputationConfig = {
  expectedBlockTimeSec: 12,
  minInitP: 50,
  checkWorkerRegisterTime: true,
  treasuryAccount: palletAccount('py/trsry'),
  heartbeatSeedSalt: new Uint8Array(32),
};
/** The chain-spec constants as a storage value written at genesis. */
export const ComputationConfigValue = storageValue(COMPUTATION, 'Config', ComputationConfigCodec, productionComputationConfig);

/** Unix seconds of a block (`UnixTime::now().as_secs()`). */
export const blockSecs = (block: BlockContext): bigint => BigInt(Math.floor(block.timestampMs / 1000));

/** `SessionInfo` of a session (undefined if never bound). */
export const sessionOf = (s: StorageReader, account: string): SessionInfo | undefined => Sessions.get(s, account);

function updateSession(s: Storage, account: string, f: (info: SessionInfo) => SessionInfo): void {
  const info = Sessions.get(s, account);
  // a corrupt ledger must not make evolve throw; decide guarantees the session exists
  if (info !== undefined) Sessions.set(s, account, f(info));
}

const settled = (info: SessionInfo, vBits: bigint, payoutBits: bigint, now: bigint): SessionInfo => ({
  ...info,
  v: vBits,
  vUpdatedAt: now,
  stats: { totalReward: info.stats.totalReward + fixedToBalance(payoutBits) },
});

// evolve
/** Folds one computation event into storage (total). */
export function evolveComputation(s: Storage, e: ComputationEvent, block: BlockContext): void {
  const now = blockSecs(block);
  switch (e.tag) {
    case 'SessionBound': {
      const { session: account, worker: pubkey } = e.value;
      SessionBindings.set(s, account, pubkey);
      WorkerBindings.set(s, pubkey, account);
      const benchmark = { pInit: 0, pInstant: 0, iterations: 0n, workingStartTime: now, challengeTimeLast: 0n };
      Sessions.set(s, account, { state: 'Ready', ve: 0n, v: 0n, vUpdatedAt: now, benchmark, coolDownStart: 0n, stats: { totalReward: 0n } });
      return;
    }
    case 'SessionUnbound':
      SessionBindings.remove(s, e.value.session);
      WorkerBindings.remove(s, e.value.worker);
      return;
    case 'StakeRecorded':
      Stakes.set(s, e.value.session, e.value.stake);
      return;
    case 'WorkerStarted': {
      const { initV, initP } = e.value;
      updateSession(s, e.value.session, (i) => ({ ...i, state: 'WorkerIdle', ve: initV, v: initV, vUpdatedAt: now, benchmark: { ...i.benchmark, pInit: initP } }));
      OnlineWorkers.set(s, OnlineWorkers.get(s) + 1);
      NextSessionId.set(s, NextSessionId.get(s) + 1);
      return;
    }
    case 'WorkerStopped':
      updateSession(s, e.value.session, (i) => ({ ...i, state: 'WorkerCoolingDown', coolDownStart: now }));
      OnlineWorkers.set(s, Math.max(0, OnlineWorkers.get(s) - 1));
      return;
    case 'WorkerReclaimed':
      updateSession(s, e.value.session, (i) => ({ ...i, state: 'Ready', coolDownStart: 0n }));
      Stakes.remove(s, e.value.session);
      return;
    case 'WorkerEnterUnresponsive':
      updateSession(s, e.value.session, (i) => ({ ...i, state: 'WorkerUnresponsive' }));
      return;
    case 'WorkerExitUnresponsive':
      updateSession(s, e.value.session, (i) => ({ ...i, state: 'WorkerIdle' }));
      return;
    case 'SessionSettled':
    case 'SessionVUpdatedUnsettled':
      updateSession(s, e.value.session, (i) => settled(i, e.value.vBits, e.value.payoutBits, now));
      return;
    case 'SessionBenchmarkRecorded': {
      const { iterations, challengeTimeLast, pInstant } = e.value;
      updateSession(s, e.value.session, (i) => ({ ...i, benchmark: { ...i.benchmark, iterations, challengeTimeLast, pInstant } }));
      return;
    }
    default:
      evolveSettings(s, e);
  }
}

type SettingsEvent = Exclude<
  ComputationEvent,
  { tag: 'SessionBound' | 'SessionUnbound' | 'StakeRecorded' | 'WorkerStarted' | 'WorkerStopped' | 'WorkerReclaimed' | 'WorkerEnterUnresponsive' | 'WorkerExitUnresponsive' | 'SessionSettled' | 'SessionVUpdatedUnsettled' | 'SessionBenchmarkRecorded' }
>;

function evolveSettings(s: Storage, e: SettingsEvent): void {
  switch (e.tag) {
    case 'CoolDownExpirationChanged':
      CoolDownPeriod.set(s, e.value.period);
      return;
    case 'TokenomicUpdateScheduled':
      ScheduledTokenomicUpdate.set(s, e.value.params);
      return;
    case 'TokenomicParametersSet':
      TokenomicParametersStore.set(s, e.value.params);
      if (e.value.fromSchedule) ScheduledTokenomicUpdate.reset(s);
      return;
    case 'BudgetUpdateRecorded':
      BudgetUpdateNonce.set(s, e.value.nonce);
      LastBudgetUpdateBlock.set(s, e.value.blockNumber);
      return;
    case 'HeartbeatPausedSet':
      HeartbeatPaused.set(s, e.value.paused);
      return;
    case 'ConfigSet':
      ComputationConfigValue.set(s, e.value.config);
      if (e.value.expectedHeartbeatCount === undefined) ExpectedHeartbeatCount.reset(s);
      else ExpectedHeartbeatCount.set(s, e.value.expectedHeartbeatCount);
      return;
    case 'ContractAccountSet':
      ContractAccount.set(s, e.value.account);
      return;
    // facts without state of their own
    case 'InternalErrorWorkerSettleFailed':
    case 'SubsidyBudgetHalved':
    case 'InternalErrorWrongHalvingConfigured':
    case 'TokenomicParametersChanged':
    case 'SessionSettlementDropped':
    case 'BenchmarkUpdated':
    case 'BudgetUpdated':
      return;
    default:
      unreachable(e);
  }
}
