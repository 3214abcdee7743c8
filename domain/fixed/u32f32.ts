/**
 * U32F32 (32 integer, 32 fractional bits in a `u64`), used only by the pallet's `pow_target`.
 * Same rules as U64F64: truncating `*` and `/`, overflow is a panic in Rust, so we throw.
 */

/** Raw bits of a U32F32 value (`u64`). */
export type FixedU32F32 = bigint;

const FRAC = 32n;
const MAX = (1n << 64n) - 1n;

function checked(bits: bigint, what: string): FixedU32F32 {
  if (bits < 0n || bits > MAX) throw new RangeError(`U32F32 overflow in ${what}`);
  return bits;
}

/** `U32F32::from_num(n)` for an integer `0 ≤ n < 2^32`. */
export function u32f32FromInt(n: bigint | number): FixedU32F32 {
  const i = BigInt(n);
  if (i < 0n || i >= 1n << 32n) throw new RangeError(`U32F32 from_num: ${i} is outside 0..2^32`);
  return i << FRAC;
}

/** `a * b`, truncating. */
export function u32f32Mul(a: FixedU32F32, b: FixedU32F32): FixedU32F32 {
  return checked((a * b) >> FRAC, 'mul');
}

/** `a / b`, truncating. */
export function u32f32Div(a: FixedU32F32, b: FixedU32F32): FixedU32F32 {
  if (b === 0n) throw new RangeError('U32F32 division by zero');
  return checked((a << FRAC) / b, 'div');
}

/** `checked_shl(n)`: bits pushed out of the 64-bit word are lost (only `n ≥ 64` fails). */
export function u32f32Shl(a: FixedU32F32, n: bigint): FixedU32F32 {
  if (n >= 64n) throw new RangeError('U32F32 checked_shl by 64 or more');
  return (a << n) & MAX;
}

/** `to_num::<u32>()`: the integer part, truncated. */
export function u32f32ToInt(a: FixedU32F32): bigint {
  return a >> FRAC;
}
