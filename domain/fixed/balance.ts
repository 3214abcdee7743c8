/**
 * Balance (`u128`, 12 decimals: 1 PHA = 10^12 units) ↔ U64F64 PHA, through U80F48 exactly as
 * `pallets/phala/src/utils/balance_convert.rs` does (DOMAIN.md §0, §14.H): both directions
 * truncate, so a round trip can lose up to one unit.
 */
import { assertFixed, type Fixed } from './u64f64';

/** Balance units per PHA (`KP:runtime/phala/src/constants.rs` `UNIT`). */
export const PHA_UNITS = 1_000_000_000_000n;

/** A balance in units (`u128`). */
export type Balance = bigint;

/** `balance.to_fixed()`: `U80F48(balance) / 10^12`, then widened to U64F64. */
export function balanceToFixed(balance: Balance): Fixed {
  if (balance < 0n) throw new RangeError(`balance must be non-negative, got ${balance}`);
  // U80F48::unwrapped_from_num panics when the integer does not fit 80 bits.
  if (balance >= 1n << 80n) throw new RangeError(`balance ${balance} does not fit U80F48`);
  const u80f48 = (balance << 48n) / PHA_UNITS;
  if (u80f48 >> 48n >= 1n << 64n) throw new RangeError(`balance ${balance} does not fit U64F64`);
  return u80f48 << 16n;
}

/** `u128::from_fixed(x)`: `trunc(U80F48(x) · 10^12)`. */
export function fixedToBalance(x: Fixed): Balance {
  const u80f48 = assertFixed(x, 'from_fixed') >> 16n;
  const scaled = u80f48 * PHA_UNITS;
  // unwrapped_mul_int panics when the U80F48 product leaves 128 bits.
  if (scaled >= 1n << 128n) throw new RangeError(`U80F48 overflow converting ${x} bits to a balance`);
  return scaled >> 48n;
}
