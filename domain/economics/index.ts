/** The gatekeeper economics (DOMAIN.md §6) and the pallet's start-of-computing formulas. */
export { assertWorkerPubkey, challengeHit, workerPubkeyHash } from './challenge';
export { gkConfidenceScore, type Payout, share, type TokenomicInfo, updatePInstant, updateVHeartbeat, updateVIdle, updateVRecover, updateVSlash, zeroTokenomicInfo } from './gkTokenomic';
export { assertEconomicsMessage, assertTokenomicParameters } from './messageValidation';
export type { Economics, EconomicsBlock, EconomicsMessage, SettleInfo, WorkerEconomicsView, WorkingInfoUpdate } from './messages';
export { powTarget, U256_MAX } from './powTarget';
export { createReferenceEconomics } from './referenceEconomics';
export { initialV, minimumStake, opCost, palletConfidenceScore, rigCost } from './startChecks';
export { defaultTokenomicParameters, gkTestTokenomicParameters, type TokenomicParameters } from './tokenomicParameters';

import { createFastEconomics, type PortableEconomics } from './fast/fastEngine';
import { decodeFastState } from './fast/fastState';
import type { TokenomicParameters } from './tokenomicParameters';

export type { PortableEconomics } from './fast/fastEngine';

/**
 * The economics engine the rest of phalanet runs: the fast struct-of-arrays engine with its wasm
 * end-of-block kernel, property-tested bit for bit against `createReferenceEconomics` (the plain
 * BigInt transcription of gk.rs) in `fast/fastEngine.test.ts`.
 */
export function createEconomics(params: TokenomicParameters): PortableEconomics {
  return createFastEconomics(params);
}

/** An engine resumed from what `exportState()` gave (JSON); a malformed state throws, naming where. */
export function resumeEconomics(state: unknown): PortableEconomics {
  const decoded = decodeFastState(state);
  return createFastEconomics(decoded.params as unknown as TokenomicParameters, decoded);
}
