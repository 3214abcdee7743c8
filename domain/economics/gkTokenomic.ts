/**
 * The gatekeeper's per-worker V arithmetic (`gk.rs` module `tokenomic`, DOMAIN.md §6.5–6.6),
 * one function per Rust method, each mutating the worker's `TokenomicInfo` in place. The order
 * of every fixed-point operation follows the Rust expression, because truncation makes it matter.
 */
import {
  FIXED_ONE,
  type Fixed,
  fixedAdd,
  fixedDiv,
  fixedDivInt,
  fixedFromDecimal,
  fixedFromInt,
  fixedMin,
  fixedMul,
  fixedMulInt,
  fixedSqrt,
  fixedSub,
} from '../fixed';
import type { TokenomicParameters } from './tokenomicParameters';

/** `TokenomicInfo`: the economic state the GK keeps per worker. */
export interface TokenomicInfo {
  v: Fixed;
  vInit: Fixed;
  vDeductible: Fixed;
  vUpdateAtMs: number;
  vUpdateBlock: number;
  iterationLast: bigint;
  challengeTimeLastMs: number;
  pBench: Fixed;
  pInstant: Fixed;
  confidenceLevel: number;
  contractRunning: boolean;
}

/** `TokenomicInfo::default()`: all zero. */
export function zeroTokenomicInfo(): TokenomicInfo {
  return {
    v: 0n,
    vInit: 0n,
    vDeductible: 0n,
    vUpdateAtMs: 0,
    vUpdateBlock: 0,
    iterationLast: 0n,
    challengeTimeLastMs: 0,
    pBench: 0n,
    pInstant: 0n,
    confidenceLevel: 0,
    contractRunning: false,
  };
}

const TWO = fixedFromInt(2);
const P_INSTANT_CAP = fixedFromDecimal('1.2');
const GK_SCORE_08 = fixedFromDecimal('0.8');
const GK_SCORE_07 = fixedFromDecimal('0.7');

/** The GK's confidence score: 1|2|3|128 → 1; 4 → 0.8; 5 → 0.7; anything else → 0. */
export function gkConfidenceScore(confidenceLevel: number): Fixed {
  switch (confidenceLevel) {
    case 1:
    case 2:
    case 3:
    case 128:
      return FIXED_ONE;
    case 4:
      return GK_SCORE_08;
    case 5:
      return GK_SCORE_07;
    default:
      return 0n;
  }
}

/** `p()`: the benchmark score while contracts run, the measured one otherwise. */
export function effectiveP(info: TokenomicInfo): Fixed {
  return info.contractRunning ? info.pBench : info.pInstant;
}

/** `share = sqrt(v² + (2 · p() · conf)²)`. */
export function share(info: TokenomicInfo): Fixed {
  const perf = fixedMul(fixedMul(TWO, effectiveP(info)), gkConfidenceScore(info.confidenceLevel));
  return fixedSqrt(fixedAdd(fixedMul(info.v, info.v), fixedMul(perf, perf)));
}

/** Case 1, an idle block: V grows by `perf · ((ρ−1)·V + cost_k·P_bench + cost_b)`, capped at v_max. */
export function updateVIdle(info: TokenomicInfo, params: TokenomicParameters): void {
  const costIdle = fixedAdd(fixedMul(params.costK, info.pBench), params.costB);
  const perfMultiplier = info.pBench === 0n ? FIXED_ONE : fixedDiv(effectiveP(info), info.pBench);
  const deltaV = fixedMul(perfMultiplier, fixedAdd(fixedMul(fixedSub(params.rho, FIXED_ONE), info.v), costIdle));
  info.v = fixedMin(fixedAdd(info.v, deltaV), params.vMax);
  // Deliberately not capped (§6.6): it keeps growing while V sits at v_max.
  info.vDeductible = fixedAdd(info.vDeductible, deltaV);
}

/** A payout and the treasury's cut, both U64F64 PHA. */
export interface Payout {
  readonly payout: Fixed;
  readonly treasury: Fixed;
}

const NO_PAYOUT: Payout = { payout: 0n, treasury: 0n };

/**
 * Case 2, a heartbeat from a responsive worker: pays `share/sum_share · budget · blocks since the
 * last update`, 1−treasury_ratio to the worker, and takes back at most what V gained since.
 */
export function updateVHeartbeat(info: TokenomicInfo, params: TokenomicParameters, sumShare: Fixed, nowMs: number, blockNumber: number): Payout {
  if (sumShare === 0n || info.vDeductible === 0n) return NO_PAYOUT;
  // A second heartbeat of the same worker in the same block gets nothing.
  if (blockNumber <= info.vUpdateBlock) return NO_PAYOUT;
  const s = share(info);
  if (s === 0n) return NO_PAYOUT;
  const blocks = fixedFromInt(blockNumber - info.vUpdateBlock);
  const budget = fixedMul(fixedMul(fixedDiv(s, sumShare), params.budgetPerBlock), blocks);
  const payout = fixedMul(budget, fixedSub(FIXED_ONE, params.treasuryRatio));
  const treasury = fixedMul(budget, params.treasuryRatio);
  info.v = fixedSub(info.v, fixedMin(info.vDeductible, payout));
  info.vDeductible = 0n;
  info.vUpdateAtMs = nowMs;
  info.vUpdateBlock = blockNumber;
  return { payout, treasury };
}

/** Case 5, a heartbeat from an unresponsive worker: no payout, the accrual restarts here. */
export function updateVRecover(info: TokenomicInfo, nowMs: number, blockNumber: number): void {
  info.vDeductible = 0n;
  info.vUpdateAtMs = nowMs;
  info.vUpdateBlock = blockNumber;
}

/** Cases 3 and 4, an unresponsive block: `V −= V · slash_rate`. */
export function updateVSlash(info: TokenomicInfo, params: TokenomicParameters): void {
  info.v = fixedSub(info.v, fixedMul(info.v, params.slashRate));
  info.vDeductible = 0n;
}

/**
 * `update_p_instant`: iterations per 6 s since the last challenge, capped at 1.2 · p_bench; a
 * counter that went backwards (worker restart) resets the baseline.
 */
export function updatePInstant(info: TokenomicInfo, nowMs: number, iterations: bigint, contractRunning: boolean): void {
  info.contractRunning = contractRunning;
  if (nowMs <= info.challengeTimeLastMs) return;
  if (iterations < info.iterationLast) info.iterationLast = iterations;
  const dt = fixedDivInt(fixedFromInt(nowMs - info.challengeTimeLastMs), 1000);
  const p = fixedMulInt(fixedDiv(fixedFromInt(iterations - info.iterationLast), dt), 6);
  info.pInstant = fixedMin(p, fixedMul(info.pBench, P_INSTANT_CAP));
}
