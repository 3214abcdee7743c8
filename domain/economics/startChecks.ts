/**
 * The pallet's start-of-computing formulas (`computation.rs` struct `Tokenomic`, DOMAIN.md §6.2):
 * minimum stake `k·√P` and initial `Ve = ((re−1)·conf + 1)·(S + rig_k·P + rig_b)`.
 */
import {
  type Balance,
  balanceToFixed,
  FIXED_ONE,
  type Fixed,
  fixedAdd,
  fixedFromDecimal,
  fixedFromInt,
  fixedMul,
  fixedSqrt,
  fixedSub,
  fixedToBalance,
} from '../fixed';
import type { TokenomicParameters } from './tokenomicParameters';

const PALLET_SCORES: readonly Fixed[] = ['1', '1', '1', '0.8', '0.7'].map(fixedFromDecimal);

/**
 * The pallet's confidence score: levels 1–5 → 1, 1, 1, 0.8, 0.7; any other level → 1 (unlike the
 * gatekeeper's table, which gives 0).
 */
export function palletConfidenceScore(confidenceLevel: number): Fixed {
  return PALLET_SCORES[confidenceLevel - 1] ?? FIXED_ONE;
}

function assertScore(score: number): bigint {
  if (!Number.isInteger(score) || score < 0 || score > 0xffffffff) throw new RangeError(`performance score must be a u32, got ${score}`);
  return BigInt(score);
}

/** `minimal_stake(P) = from_fixed(k · sqrt(P))`, in balance units. */
export function minimumStake(params: TokenomicParameters, score: number): Balance {
  return fixedToBalance(fixedMul(params.k, fixedSqrt(fixedFromInt(assertScore(score)))));
}

/** `rig_cost(P) = rig_k · P + rig_b` (PHA). */
export function rigCost(params: TokenomicParameters, score: number): Fixed {
  return fixedAdd(fixedMul(params.rigK, fixedFromInt(assertScore(score))), params.rigB);
}

/** `op_cost(P) = cost_k · P + cost_b` (PHA per block; the pallet uses it only in tests). */
export function opCost(params: TokenomicParameters, score: number): Fixed {
  return fixedAdd(fixedMul(params.costK, fixedFromInt(assertScore(score))), params.costB);
}

/**
 * `ve(stake, P, confidence_level)`: the initial V a session starts with (U64F64 bits). The pallet
 * rejects the start when the result exceeds `v_max` (`TooMuchStake`); that check is the caller's.
 */
export function initialV(params: TokenomicParameters, stake: Balance, score: number, confidenceLevel: number): Fixed {
  const tweakedRe = fixedAdd(fixedMul(fixedSub(params.re, FIXED_ONE), palletConfidenceScore(confidenceLevel)), FIXED_ONE);
  return fixedMul(tweakedRe, fixedAdd(balanceToFixed(stake), rigCost(params, score)));
}
