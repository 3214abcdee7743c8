/**
 * What the gatekeeper economics engine consumes per block and what it reports (DOMAIN.md §6,
 * `phala-types` `SystemEvent`, `WorkingReportEvent`, `GatekeeperEvent`, `WorkingInfoUpdateEvent`).
 */
import type { Fixed } from '../fixed';
import type { TokenomicParameters } from './tokenomicParameters';

/**
 * One message the GK economics sees, in the order it appears on chain (§14 F10). Worker events
 * and the challenge come from the computation pallet; `Heartbeat` from the worker `pubkey`
 * (`nClusters` present ⇒ `HeartbeatV2`); `TokenomicParametersChanged` from a pallet origin.
 */
export type EconomicsMessage =
  | { readonly type: 'WorkerRegistered'; readonly pubkey: string; readonly confidenceLevel: number }
  | { readonly type: 'BenchScore'; readonly pubkey: string; readonly score: number }
  | { readonly type: 'WorkerStarted'; readonly pubkey: string; readonly sessionId: number; readonly initV: bigint; readonly initP: number }
  | { readonly type: 'WorkerStopped'; readonly pubkey: string }
  | { readonly type: 'WorkerEnterUnresponsive'; readonly pubkey: string }
  | { readonly type: 'WorkerExitUnresponsive'; readonly pubkey: string }
  | { readonly type: 'HeartbeatChallenge'; readonly seed: bigint; readonly onlineTarget: bigint }
  | {
      readonly type: 'Heartbeat';
      readonly pubkey: string;
      readonly sessionId: number;
      readonly challengeBlock: number;
      readonly challengeTimeMs: number;
      readonly iterations: bigint;
      readonly nClusters?: number;
    }
  | { readonly type: 'TokenomicParametersChanged'; readonly params: TokenomicParameters };

/** One settlement: the worker's V after this event and the payout / treasury cut (U64F64 PHA bits). */
export interface SettleInfo {
  readonly pubkey: string;
  readonly v: Fixed;
  readonly payout: Fixed;
  readonly treasury: Fixed;
}

/**
 * `WorkingInfoUpdateEvent`: emitted only when non-empty. `offline` and `recoveredToOnline` are in
 * pubkey byte order, `settle` in message-processing order (§14 F11).
 */
export interface WorkingInfoUpdate {
  readonly blockNumber: number;
  readonly timestampMs: number;
  readonly offline: string[];
  readonly recoveredToOnline: string[];
  readonly settle: SettleInfo[];
}

/** The per-worker view `Economics.worker()` returns. */
export interface WorkerEconomicsView {
  readonly v: Fixed;
  readonly vDeductible: Fixed;
  readonly pInstant: Fixed;
  readonly pBench: Fixed;
  readonly unresponsive: boolean;
  readonly challengeTimeLastMs: number;
  readonly iterationLast: bigint;
  /** in a computing session (the GK's `computing_state`) */
  readonly working: boolean;
  /** the last heartbeat said contracts run: `p()` is then `p_bench` */
  readonly contractRunning: boolean;
  readonly confidenceLevel: number;
  /** challenge blocks still owed a heartbeat, oldest first (`waiting_heartbeats`) */
  readonly waitingHeartbeats: readonly number[];
}

/** A block as the engine sees it: its number, timestamp and economics messages in chain order. */
export interface EconomicsBlock {
  readonly number: number;
  readonly timestampMs: number;
  readonly messages: readonly EconomicsMessage[];
}

/** The gatekeeper economics engine: a deterministic function of the blocks fed to it. */
export interface Economics {
  /** Processes one block (numbers strictly increasing) and returns its report if non-empty. */
  processBlock(block: EconomicsBlock): WorkingInfoUpdate | undefined;
  /** The worker's economic state; zero state if registered but never started; undefined if unknown. */
  worker(pubkey: string): WorkerEconomicsView | undefined;
}
