/**
 * The `chain` section: chain-spec overrides. Every key is optional; an absent key takes Phala's
 * code default (DOMAIN.md §6.1, §8, §14 F2), filled in by `resolveScenario`.
 */
import type * as t from 'io-ts';
import { strict } from './combinators';
import { Bool, FixedDecimal, FixedFactor, FixedRatio, HeartbeatWindow, NonNegativeInt, PositiveInt } from './values.codec';

const fixedKeys = ['phaRate', 'rho', 'budgetPerBlock', 'vMax', 'costK', 'costB', 'slashRate', 'treasuryRatio', 'rigK', 'rigB', 're', 'k', 'kappa'] as const;

/** names of the U64F64 tokenomic parameters, in `TokenomicParameters` order */
export const fixedTokenomicKeys: readonly (typeof fixedKeys)[number][] = fixedKeys;

/** Overrides of `TokenomicParameters`: decimal strings, except `heartbeatWindow` (blocks) */
export const TokenomicOverrides = strict(
  'tokenomic parameter overrides',
  {},
  {
    phaRate: FixedDecimal,
    rho: FixedDecimal,
    budgetPerBlock: FixedDecimal,
    vMax: FixedDecimal,
    costK: FixedDecimal,
    costB: FixedDecimal,
    slashRate: FixedRatio,
    treasuryRatio: FixedRatio,
    heartbeatWindow: HeartbeatWindow,
    rigK: FixedDecimal,
    rigB: FixedDecimal,
    re: FixedFactor,
    k: FixedDecimal,
    kappa: FixedDecimal,
  },
  {
    phaRate: 'PHA/USD quote (default "1")',
    rho: 'V growth factor per block (default "1.000000666600231")',
    budgetPerBlock: 'subsidy budget per block, PHA (default 100)',
    vMax: 'cap on V, PHA (default "30000")',
    costK: 'operating cost slope per score per block (default 0.0415625·12/31536000)',
    costB: 'operating cost base per block (default 88.59375·12/31536000)',
    slashRate: 'V decay per block while unresponsive, 0 to 1 (default 0.001·12/3600)',
    treasuryRatio: 'share of each payout to the treasury, 0 to 1 (default "0.2")',
    heartbeatWindow: 'blocks a heartbeat challenge may stay unanswered, at least 1 (default 10)',
    rigK: 'rig cost slope, PHA per score (default "0.3")',
    rigB: 'rig cost base, PHA (default "0")',
    re: 'stake multiplier Rᵉ, at least 1 (default "1.3")',
    k: 'minimum-stake factor, S_min = k·√P (default "100")',
    kappa: 'final-payout factor κ, unused by Phala (default "1")',
  },
);

/** The `chain` section */
export const ChainSection = strict(
  'chain-spec overrides',
  {},
  {
    blockTimeMs: PositiveInt,
    tokenomic: TokenomicOverrides,
    coolDownPeriodSec: NonNegativeInt,
    gracePeriodSec: NonNegativeInt,
    benchmarkDurationBlocks: NonNegativeInt,
    heartbeatsPaused: Bool,
    expectedHeartbeatCount: PositiveInt,
    expectedBlockTimeSec: PositiveInt,
  },
  {
    blockTimeMs: 'block time in ms, at least 1 (default 12000)',
    tokenomic: 'tokenomic parameter overrides (DOMAIN.md §6.1); absent ones keep the chain defaults',
    coolDownPeriodSec: 'cool-down before a stopped worker’s stake is released, seconds (default 604800 = 7 days)',
    gracePeriodSec: 'stake-pool withdrawal grace period, seconds (default 604800 = 7 days)',
    benchmarkDurationBlocks: 'benchmark length in blocks (default 0: Phala’s genesis value never takes effect, DOMAIN.md §14 F2)',
    heartbeatsPaused: 'heartbeats paused by governance from genesis (default false)',
    expectedHeartbeatCount: 'heartbeat challenges expected per block (default 20)',
    expectedBlockTimeSec: 'Phala’s `ExpectedBlockTimeSec`, which caps challenges at 2 per worker per hour of such blocks; raise it to challenge more often in a short run (default 12)',
  },
);
/** The decoded `chain` section */
export type ChainSection = t.TypeOf<typeof ChainSection>;
