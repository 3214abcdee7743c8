/**
 * Decimal text ↔ binary fixed point, exact. Parsing rounds to the nearest representable value
 * with ties to even, which is what `fixed_macro`'s `fp!(…)` literals do (DOMAIN.md §14.H `lit`),
 * so a literal copied from Phala's Rust code gives the same bits here.
 */
import { FIXED_FRAC_BITS, type Fixed } from './u64f64';

const DECIMAL = /^([0-9][0-9_]*)(?:\.([0-9_]*))?$/;

/**
 * Parses a non-negative decimal literal (`"1.3"`, `"0.000000015815258751856933056"`, `"100"`;
 * `_` separators allowed as in Rust) into fixed-point bits with `fracBits` fractional bits and
 * `totalBits` in all, rounding to nearest, ties to even. Throws on bad syntax or overflow.
 */
export function parseFixedDecimal(text: string, fracBits: bigint, totalBits: bigint): bigint {
  const m = DECIMAL.exec(text.trim());
  if (m === null) throw new SyntaxError(`not a non-negative decimal fixed-point literal: ${JSON.stringify(text)}`);
  const intDigits = (m[1] ?? '').replaceAll('_', '');
  const fracDigits = (m[2] ?? '').replaceAll('_', '');
  const scale = 10n ** BigInt(fracDigits.length);
  const numerator = BigInt(intDigits + fracDigits) << fracBits;
  const floor = numerator / scale;
  const twiceRest = 2n * (numerator - floor * scale);
  const roundUp = twiceRest > scale || (twiceRest === scale && (floor & 1n) === 1n);
  const bits = roundUp ? floor + 1n : floor;
  if (bits >= 1n << totalBits) throw new RangeError(`decimal literal ${text} overflows a ${totalBits}-bit fixed-point value`);
  return bits;
}

/** Exact decimal expansion of `bits / 2^fracBits` (always finite), without trailing zeros. */
export function formatFixedExact(bits: bigint, fracBits: bigint): string {
  const intPart = bits >> fracBits;
  const frac = bits - (intPart << fracBits);
  if (frac === 0n) return intPart.toString();
  // 2^f divides 10^f, so the fraction has at most f decimal digits.
  const digits = ((frac * 10n ** fracBits) >> fracBits).toString().padStart(Number(fracBits), '0');
  return `${intPart}.${digits.replace(/0+$/, '')}`;
}

/**
 * `bits / 2^fracBits` rounded to exactly `digits` decimals, to nearest with ties to even, the
 * rounding Rust's `{:.N}` uses for floats and, as far as we know, the `fixed` crate for its
 * types (ties can only occur when `digits` is below the exact length).
 */
export function formatFixedRounded(bits: bigint, fracBits: bigint, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0) throw new RangeError(`digits must be a non-negative integer, got ${digits}`);
  const scale = 10n ** BigInt(digits);
  const scaled = bits * scale;
  let q = scaled >> fracBits;
  const twiceRest = 2n * (scaled - (q << fracBits));
  const half = 1n << fracBits;
  if (twiceRest > half || (twiceRest === half && (q & 1n) === 1n)) q += 1n;
  if (digits === 0) return q.toString();
  const s = q.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/**
 * U64F64 from a decimal literal, round to nearest, ties to even (`fp!(…)`).
 * @example fixedFromDecimal('100') === 100n << 64n
 */
export function fixedFromDecimal(text: string): Fixed {
  return parseFixedDecimal(text, FIXED_FRAC_BITS, 128n);
}

/**
 * U64F64 bits as decimal text. Without `digits`: the exact value, no trailing zeros (up to 64
 * fractional digits). With `digits`: exactly that many decimals, rounded to nearest, ties to even.
 */
export function fixedToDecimal(bits: Fixed, digits?: number): string {
  return digits === undefined ? formatFixedExact(bits, FIXED_FRAC_BITS) : formatFixedRounded(bits, FIXED_FRAC_BITS, digits);
}

/**
 * The shortest decimal that parses back (by `fixedFromDecimal`) to the same bits, nearest to the
 * exact value. This is what the `fixed` crate's `Display` prints (its docs: 2.75 with 3
 * fractional bits prints "2.8"), so Phala's test literals such as `fp!(1690.0000000000000000282)`
 * come out of it.
 */
export function fixedToShortestDecimal(bits: Fixed): string {
  for (let digits = 0; ; digits++) {
    const text = formatFixedRounded(bits, FIXED_FRAC_BITS, digits);
    if (fixedFromDecimal(text) === bits) return digits === 0 ? text : text.replace(/\.?0+$/, '');
  }
}
