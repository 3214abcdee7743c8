/**
 * Leaf codecs of the scenario format: numbers with their impossible values refused, and decimal
 * strings for fixed-point parameters. Each name reads as the end of "must be …".
 */
import type * as t from 'io-ts';
import { fixedFromDecimal } from '../../domain';
import { leaf, refine } from './combinators';

/** Pool constants of Phala's runtime (DOMAIN.md §6.1, §8) */
export const MAX_POOL_WORKERS = 200;
/** smallest contribution to a stake pool, PHA (1 CENT) */
export const MIN_CONTRIBUTION_PHA = 0.01;

const num = leaf('a number', (u): u is number => typeof u === 'number' && Number.isFinite(u), { type: 'number' });

/** An integer ≥ 0 (counts, block numbers) */
export const NonNegativeInt = refine<typeof num, { readonly NonNegativeInt: unique symbol }>(
  num,
  'a non-negative integer',
  (n) => (Number.isSafeInteger(n) && n >= 0 ? undefined : `must be a non-negative integer (got ${n})`),
  { type: 'integer', minimum: 0 },
);
/** A non-negative integer */
export type NonNegativeInt = t.TypeOf<typeof NonNegativeInt>;

/** An integer ≥ 1 (durations, periods, windows) */
export const PositiveInt = refine<typeof num, { readonly PositiveInt: unique symbol }>(
  num,
  'a positive integer',
  (n) => (Number.isSafeInteger(n) && n >= 1 ? undefined : `must be a positive integer (got ${n}); use 1 or more`),
  { type: 'integer', minimum: 1 },
);
/** A positive integer */
export type PositiveInt = t.TypeOf<typeof PositiveInt>;

/** A finite number ≥ 0 (rates per block, amounts of PHA, speeds) */
export const NonNegative = refine<typeof num, { readonly NonNegative: unique symbol }>(
  num,
  'a non-negative number',
  (n) => (n >= 0 ? undefined : `must be a non-negative number (got ${n})`),
  { type: 'number', minimum: 0 },
);
/** A non-negative number */
export type NonNegative = t.TypeOf<typeof NonNegative>;

/** A probability in [0, 1] */
export const Probability = refine<typeof num, { readonly Probability: unique symbol }>(
  num,
  'a probability in [0, 1]',
  (n) => (n >= 0 && n <= 1 ? undefined : `must be a probability in [0, 1] (got ${n}); write 5% as 0.05`),
  { type: 'number', minimum: 0, maximum: 1 },
);
/** A probability */
export type Probability = t.TypeOf<typeof Probability>;

/** A pool commission in percent, [0, 100] (Phala stores parts per million) */
export const CommissionPercent = refine<typeof num, { readonly CommissionPercent: unique symbol }>(
  num,
  'a commission in percent, 0 to 100',
  (n) => (n >= 0 && n <= 100 ? undefined : `must be a commission in percent, 0 to 100 (got ${n})`),
  { type: 'number', minimum: 0, maximum: 100 },
);

/** A confidence level as the attestation reports it: 1–5, or 128 for no attestation */
export const ConfidenceLevel = refine<typeof num, { readonly ConfidenceLevel: unique symbol }>(
  num,
  'a confidence level (1, 2, 3, 4, 5 or 128)',
  (n) => ([1, 2, 3, 4, 5, 128].includes(n) ? undefined : `must be a confidence level 1, 2, 3, 4, 5 or 128 (got ${n})`),
  { type: 'integer', enum: [1, 2, 3, 4, 5, 128] },
);

/** Workers per stake pool: 1 to MaxPoolWorkers (200) */
export const PoolWorkerCount = refine<typeof num, { readonly PoolWorkerCount: unique symbol }>(
  num,
  `an integer from 0 to ${MAX_POOL_WORKERS} (MaxPoolWorkers)`,
  (n) =>
    Number.isSafeInteger(n) && n >= 0 && n <= MAX_POOL_WORKERS
      ? undefined
      : `must be an integer from 0 to ${MAX_POOL_WORKERS}, Phala's MaxPoolWorkers (got ${n}); use more pools instead`,
  { type: 'integer', minimum: 0, maximum: MAX_POOL_WORKERS },
);

const decimalPattern = /^\d+(\.\d+)?$/;
const str = leaf('a string', (u): u is string => typeof u === 'string', { type: 'string' });

/** A non-negative decimal string that parses as U64F64 (`"100"`, `"0.2"`, `"1.000000666600231"`) */
export const FixedDecimal = refine<typeof str, { readonly FixedDecimal: unique symbol }>(
  str,
  'a decimal string such as "100" or "0.2" (U64F64)',
  (s) => {
    if (!decimalPattern.test(s)) return `must be a non-negative decimal string such as "0.2" (got ${JSON.stringify(s)}); quote it in YAML`;
    try {
      fixedFromDecimal(s);
      return undefined;
    } catch {
      return `must fit U64F64, below 2^64 (got ${JSON.stringify(s)})`;
    }
  },
  { type: 'string', pattern: decimalPattern.source },
  'quote it, e.g. "100", so that no precision is lost to floating point',
);
/** A decimal string that parses as U64F64 */
export type FixedDecimal = t.TypeOf<typeof FixedDecimal>;

/** A name used to refer to a worker group, pool or cluster from elsewhere in the file */
export const Name = refine<typeof str, { readonly Name: unique symbol }>(
  str,
  'a name of letters, digits, "-" and "_"',
  (s) => (/^[A-Za-z][A-Za-z0-9_-]*$/.test(s) ? undefined : `must be a name of letters, digits, "-" and "_" starting with a letter (got ${JSON.stringify(s)})`),
  { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
);
/** A reference name */
export type Name = t.TypeOf<typeof Name>;

/** A boolean */
export const Bool = leaf('true or false', (u): u is boolean => typeof u === 'boolean', { type: 'boolean' });

/** Free text (names of scenarios, descriptions) */
export const Text = str;

/** A U64F64 ratio in [0, 1] (treasury ratio, slash rate): above 1 would underflow `1 − ratio` */
export const FixedRatio = refine<typeof FixedDecimal, { readonly FixedRatio: unique symbol }>(
  FixedDecimal,
  'a decimal string from "0" to "1"',
  (s) => (fixedFromDecimal(s) <= fixedFromDecimal('1') ? undefined : `must be a ratio from "0" to "1" (got ${JSON.stringify(s)}); write 20% as "0.2"`),
  {},
);

/** A U64F64 factor ≥ 1 (Rᵉ): the pallet computes `re − 1`, which cannot go below zero */
export const FixedFactor = refine<typeof FixedDecimal, { readonly FixedFactor: unique symbol }>(
  FixedDecimal,
  'a decimal string of at least "1"',
  (s) => (fixedFromDecimal(s) >= fixedFromDecimal('1') ? undefined : `must be at least "1" (got ${JSON.stringify(s)}); Phala computes re − 1 in unsigned fixed point`),
  {},
);

/** Blocks a heartbeat challenge may stay unanswered: a u32 of at least 1 */
export const HeartbeatWindow = refine<typeof PositiveInt, { readonly HeartbeatWindow: unique symbol }>(
  PositiveInt,
  'a positive integer below 2^32',
  (n) => (n <= 0xffffffff ? undefined : `must fit a u32, at most 4294967295 (got ${n})`),
  { maximum: 0xffffffff },
);
