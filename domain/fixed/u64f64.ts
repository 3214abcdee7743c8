/**
 * U64F64 fixed point (Rust crate `fixed`, `types::U64F64`) carried as its raw 128-bit pattern in a
 * `bigint`: the value is `bits / 2^64`. Phala's tokenomics (gk.rs, computation.rs) use it for
 * every number, so the rules below are the ones that decide the last bit (DOMAIN.md §14 F3, §14.H):
 * `*` and `/` truncate, `sqrt` keeps only 32 fractional bits, and anything that would leave the
 * 128-bit range is a bug (Rust panics with overflow checks on), so we throw.
 */

/** Raw bits of a U64F64 value (`u128`, the wire form `U64F64Bits`). */
export type Fixed = bigint;

/** Number of fractional bits of U64F64. */
export const FIXED_FRAC_BITS = 64n;
/** 1.0 as U64F64 bits. */
export const FIXED_ONE: Fixed = 1n << FIXED_FRAC_BITS;
/** Largest U64F64 bit pattern (`u128::MAX`). */
export const FIXED_MAX: Fixed = (1n << 128n) - 1n;

/** Throws unless `bits` is a valid U64F64 pattern; `what` names the operation for the message. */
export function assertFixed(bits: bigint, what: string): Fixed {
  if (bits < 0n) throw new RangeError(`U64F64 underflow in ${what}: result would be negative`);
  if (bits > FIXED_MAX) throw new RangeError(`U64F64 overflow in ${what}: result does not fit 128 bits`);
  return bits;
}

/** `U64F64::from_num(n)` for a non-negative integer `n < 2^64`. */
export function fixedFromInt(n: bigint | number): Fixed {
  const i = BigInt(n);
  if (i < 0n || i >= 1n << 64n) throw new RangeError(`U64F64 from_num: ${i} is outside 0..2^64`);
  return i << FIXED_FRAC_BITS;
}

/** `a + b` (panics on overflow in Rust). */
export function fixedAdd(a: Fixed, b: Fixed): Fixed {
  return assertFixed(a + b, 'add');
}

/** `a - b` (panics on underflow in Rust: U64F64 is unsigned). */
export function fixedSub(a: Fixed, b: Fixed): Fixed {
  return assertFixed(a - b, 'sub');
}

/** `a * b`, truncating the product toward zero (the `fixed` crate's rounding). */
export function fixedMul(a: Fixed, b: Fixed): Fixed {
  return assertFixed((a * b) >> FIXED_FRAC_BITS, 'mul');
}

/** `a / b`, truncating; division by zero throws as Rust panics. */
export function fixedDiv(a: Fixed, b: Fixed): Fixed {
  if (b === 0n) throw new RangeError('U64F64 division by zero');
  return assertFixed((a << FIXED_FRAC_BITS) / b, 'div');
}

/** `a * n` for an integer `n` (`Mul<u128>`): exact, only overflow can go wrong. */
export function fixedMulInt(a: Fixed, n: bigint | number): Fixed {
  return assertFixed(a * BigInt(n), 'mul_int');
}

/** `a / n` for an integer `n` (`Div<u128>`): the raw bits divided, truncating. */
export function fixedDivInt(a: Fixed, n: bigint | number): Fixed {
  const d = BigInt(n);
  if (d <= 0n) throw new RangeError('U64F64 division by a non-positive integer');
  return a / d;
}

/**
 * `sqrt` as crate `fixed-sqrt` 0.2.5 computes it for U64F64: the integer square root of the raw
 * bits shifted back by 32, so the result carries only 32 fractional bits (§14 F3).
 */
export function fixedSqrt(a: Fixed): Fixed {
  return isqrt(assertFixed(a, 'sqrt')) << 32n;
}

/** Floor of the square root of a non-negative bigint (Newton iteration, exact). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt of a negative number');
  if (n < 2n) return n;
  // Newton's iteration converges from any start above the root; a double estimate plus a margin
  // wider than its rounding error is such a start and needs only a step or two (hot path: shares).
  const estimate = Math.sqrt(Number(n));
  let x = Number.isFinite(estimate) ? BigInt(Math.ceil(estimate)) : 1n << ((BigInt(n.toString(2).length) + 1n) / 2n);
  x += (x >> 40n) + 2n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The smaller of two values (`Ord::min`). */
export function fixedMin(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}

/** The integer part (`to_num::<u64>()` truncates). */
export function fixedToInt(a: Fixed): bigint {
  return a >> FIXED_FRAC_BITS;
}
