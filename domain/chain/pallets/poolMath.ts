/**
 * The stake-pool arithmetic, bit-exact with Phala (DOMAIN.md §14.H): `balance_convert`'s
 * balance×fixed and balance÷fixed over the shared U64F64 module (`domain/fixed`), Permill products
 * with round-half-down (sp-arithmetic `NearestPrefDown`, §14 F4.3) and the 1000-unit dust rule.
 */
import { balanceToFixed, fixedToBalance } from '../../fixed/balance';
import { FIXED_MAX, fixedMul } from '../../fixed/u64f64';

/** Balance (12 decimals) → U64F64 bits through U80F48, truncating. */
export const toFixed = balanceToFixed;

/** U64F64 bits → balance through U80F48, truncating. */
export const fromFixed = fixedToBalance;

export { fixedMul };

/** U64F64 `checked_div`: `undefined` on a zero divisor or an overflowing quotient. */
export function fixedCheckedDiv(a: bigint, b: bigint): bigint | undefined {
  if (b === 0n) return undefined;
  const q = (a << 64n) / b;
  return q > FIXED_MAX ? undefined : q;
}

/** `balance_convert::mul`: balance × fixed → balance. */
export const bmul = (x: bigint, y: bigint): bigint => fromFixed(fixedMul(toFixed(x), y));

/** `balance_convert::div`: balance ÷ fixed → balance (the divisor is never zero at call sites). */
export function bdiv(x: bigint, y: bigint): bigint {
  if (y === 0n) throw new Error('bdiv by zero fixed-point value');
  return fromFixed((toFixed(x) << 64n) / y);
}

/** Parts per million in a `Permill`. */
export const PERMILL = 1_000_000n;

/** `Permill × balance` rounded to nearest, ties down (sp-arithmetic `NearestPrefDown`). */
export function permillMul(partsPerMillion: number, x: bigint): bigint {
  const product = BigInt(partsPerMillion) * x;
  const floor = product / PERMILL;
  const rem = product % PERMILL;
  return rem * 2n > PERMILL ? floor + 1n : floor;
}

/** Phala's dust threshold (`balance_close_to_zero`): 1000 units = 1e-9 PHA. */
export const DUST = 1000n;

/** `balance_close_to_zero`. */
export const isDust = (n: bigint): boolean => n <= DUST;

/** `extract_dust`: `[n, 0]` for a non-dust value, `[0, n]` for dust. */
export const extractDust = (n: bigint): readonly [bigint, bigint] => (isDust(n) ? [0n, n] : [n, 0n]);
