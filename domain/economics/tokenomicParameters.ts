/**
 * `TokenomicParameters` (`crates/phala-types/src/lib.rs`): every number is U64F64 bits except
 * `heartbeatWindow` (blocks). Field meanings: DOMAIN.md §6.1.
 */
import { type Fixed, fixedDiv, fixedDivInt, fixedFromDecimal, fixedMulInt } from '../fixed';

/** The tokenomic parameters as the pallet stores them and pushes to gatekeepers. */
export interface TokenomicParameters {
  readonly phaRate: Fixed;
  readonly rho: Fixed;
  readonly budgetPerBlock: Fixed;
  readonly vMax: Fixed;
  readonly costK: Fixed;
  readonly costB: Fixed;
  readonly slashRate: Fixed;
  readonly treasuryRatio: Fixed;
  readonly heartbeatWindow: number;
  readonly rigK: Fixed;
  readonly rigB: Fixed;
  readonly re: Fixed;
  readonly k: Fixed;
  readonly kappa: Fixed;
}

const lit = fixedFromDecimal;

/**
 * The chain defaults, computed the way `computation::GenesisConfig::default()` does: `fp!`
 * literals rounded to nearest, then integer `*`/`/` on the raw bits and a fixed-point division
 * by `pha_rate` (= 1, so it changes nothing but is kept for fidelity).
 */
function chainDefaults(): TokenomicParameters {
  const blockSec = 12n;
  const hourSec = 3600n;
  const daySec = 24n * hourSec;
  const yearSec = 365n * daySec;
  const phaRate = lit('1');
  return {
    phaRate,
    rho: lit('1.000000666600231'),
    budgetPerBlock: fixedDivInt(fixedMulInt(lit('720000'), blockSec), daySec),
    vMax: lit('30000'),
    costK: fixedDiv(fixedDivInt(fixedMulInt(lit('0.0415625'), blockSec), yearSec), phaRate),
    costB: fixedDiv(fixedDivInt(fixedMulInt(lit('88.59375'), blockSec), yearSec), phaRate),
    slashRate: fixedDivInt(fixedMulInt(lit('0.001'), blockSec), hourSec),
    treasuryRatio: lit('0.2'),
    heartbeatWindow: 10,
    rigK: fixedDiv(lit('0.3'), phaRate),
    rigB: fixedDiv(lit('0'), phaRate),
    re: lit('1.3'),
    k: lit('100'),
    kappa: lit('1'),
  };
}

/** Chain default tokenomic parameters (DOMAIN.md §6.1, `GenesisConfig::default()`). */
export const defaultTokenomicParameters: TokenomicParameters = Object.freeze(chainDefaults());

/**
 * The gatekeeper's built-in parameter set (`gk.rs` `tokenomic::test_params()`, DOMAIN.md §13.3),
 * which a GK uses until the first `TokenomicParametersChanged` arrives. The GK set has no
 * pallet-side fields (pha_rate, rig_k, rig_b, re, k, kappa); those are taken from the chain
 * defaults here so the value is a complete `TokenomicParameters`. The GK also carries a literal
 * `payout_ration = fp!(0.8)`, which equals `1 − fp!(0.2)` bit for bit, so deriving it is exact.
 */
export const gkTestTokenomicParameters: TokenomicParameters = Object.freeze({
  ...chainDefaults(),
  rho: lit('1.000000666600231'),
  slashRate: lit('0.0000033333333333333240063'),
  budgetPerBlock: lit('100'),
  vMax: lit('30000'),
  costK: lit('0.000000015815258751856933056'),
  costB: lit('0.000033711472602739674283'),
  treasuryRatio: lit('0.2'),
  heartbeatWindow: 10,
});
