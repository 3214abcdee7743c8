/**
 * The gatekeeper economics API shared by the reference engine and the fast engine
 * (phalanet issue 3). Fixed-point values are U64F64 bits (`x · 2^64`) as bigint.
 */

/** Tokenomic parameters as pushed by the chain (`TokenomicParametersChanged`); all U64F64 bits but the window. */
export interface TokenomicParameters {
  readonly phaRate: bigint;
  readonly rho: bigint;
  readonly budgetPerBlock: bigint;
  readonly vMax: bigint;
  readonly costK: bigint;
  readonly costB: bigint;
  readonly slashRate: bigint;
  readonly treasuryRatio: bigint;
  readonly heartbeatWindow: number;
  readonly rigK: bigint;
  readonly rigB: bigint;
  readonly re: bigint;
  readonly k: bigint;
  readonly kappa: bigint;
}

/** A message the gatekeeper's economics consume, in on-chain order within a block. */
export type EconomicsMessage =
  | { readonly type: 'WorkerRegistered'; readonly pubkey: string; readonly confidenceLevel: number }
  | { readonly type: 'BenchScore'; readonly pubkey: string; readonly score: number }
  | {
      readonly type: 'WorkerStarted';
      readonly pubkey: string;
      readonly sessionId: number;
      readonly initV: bigint;
      readonly initP: number;
    }
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

/** One settlement line of a gatekeeper report. */
export interface SettleInfo {
  readonly pubkey: string;
  readonly v: bigint;
  readonly payout: bigint;
  readonly treasury: bigint;
}

/** The gatekeeper report of one block (`WorkingInfoUpdateEvent`), emitted only when non-empty. */
export interface WorkingInfoUpdate {
  readonly blockNumber: number;
  readonly timestampMs: number;
  readonly offline: string[];
  readonly recoveredToOnline: string[];
  readonly settle: SettleInfo[];
}

/** The observable tokenomic state of one worker. */
export interface WorkerEconomics {
  readonly v: bigint;
  readonly vDeductible: bigint;
  readonly pInstant: bigint;
  readonly pBench: bigint;
  readonly unresponsive: boolean;
  readonly challengeTimeLastMs: number;
  readonly iterationLast: bigint;
}

/** One block as the gatekeeper sees it. */
export interface EconomicsBlock {
  readonly number: number;
  readonly timestampMs: number;
  readonly messages: readonly EconomicsMessage[];
}

/** A gatekeeper economics engine: feed it every block in order. */
export interface Economics {
  processBlock(block: EconomicsBlock): WorkingInfoUpdate | undefined;
  worker(pubkey: string): WorkerEconomics | undefined;
}
