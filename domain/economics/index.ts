/** The gatekeeper economics (DOMAIN.md §6) and the pallet's start-of-computing formulas. */
export { assertWorkerPubkey, challengeHit, workerPubkeyHash } from './challenge';
export { gkConfidenceScore, type Payout, share, type TokenomicInfo, updatePInstant, updateVHeartbeat, updateVIdle, updateVRecover, updateVSlash, zeroTokenomicInfo } from './gkTokenomic';
export { assertEconomicsMessage, assertTokenomicParameters } from './messageValidation';
export type { Economics, EconomicsBlock, EconomicsMessage, SettleInfo, WorkerEconomicsView, WorkingInfoUpdate } from './messages';
export { powTarget, U256_MAX } from './powTarget';
export { createReferenceEconomics } from './referenceEconomics';
export { initialV, minimumStake, opCost, palletConfidenceScore, rigCost } from './startChecks';
export { defaultTokenomicParameters, gkTestTokenomicParameters, type TokenomicParameters } from './tokenomicParameters';

import { createFastEconomics } from './fast/fastEngine';
import type { Economics } from './messages';
import type { TokenomicParameters } from './tokenomicParameters';

/**
 * The economics engine the rest of phalanet runs: the fast struct-of-arrays engine with its wasm
 * end-of-block kernel, property-tested bit for bit against `createReferenceEconomics` (the plain
 * BigInt transcription of gk.rs) in `fast/fastEngine.test.ts`.
 */
export function createEconomics(params: TokenomicParameters): Economics {
  return createFastEconomics(params);
}
