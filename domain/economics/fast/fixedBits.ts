/**
 * U64F64 arithmetic on raw bits (bigint) for the fast engine's bigint paths, written
 * independently of `domain/fixed` so that the cross-check against the reference engine is a
 * real second opinion. Rules (DOMAIN.md §14.H): products and quotients truncate, sqrt keeps 32
 * fractional bits, and a result outside [0, 2^128) is a Rust overflow panic, so it throws.
 */

/** 1.0 in U64F64 bits. */
export const ONE = 1n << 64n;
/** `fp!(1.2)`, `fp!(0.8)`, `fp!(0.7)`: literals round to nearest. */
export const FP_1_2 = 22136092888451461939n;
export const FP_0_8 = 14757395258967641293n;
export const FP_0_7 = 12912720851596686131n;
/** `fp!(2)`. */
export const FP_2 = 2n << 64n;
const MAX = (1n << 128n) - 1n;

const checked = (x: bigint, what: string): bigint => {
  if (x < 0n || x > MAX) throw new RangeError(`U64F64 overflow in ${what}`);
  return x;
};

/** The smaller of two bit patterns (bigint, so not `Math.min`). */
export const minBits = (a: bigint, b: bigint): bigint => {
  if (a < b) return a;
  return b;
};

/** Checked sum. */
export const addBits = (a: bigint, b: bigint): bigint => checked(a + b, 'add');

/** Checked difference (U64F64 is unsigned). */
export const subBits = (a: bigint, b: bigint): bigint => checked(a - b, 'sub');

/** Truncating, checked product. */
export const mulBits = (a: bigint, b: bigint): bigint => checked((a * b) >> 64n, 'mul');

/** Truncating, checked quotient; the divisor must not be zero. */
export const divBits = (a: bigint, b: bigint): bigint => {
  if (b === 0n) throw new RangeError('U64F64 division by zero');
  return checked((a << 64n) / b, 'div');
};

const SMALL = 1n << 100n;

/** Integer square root (floor) of a non-negative bigint. */
export const isqrt = (n: bigint): bigint => {
  if (n < 0n) throw new RangeError('isqrt of a negative number');
  if (n < SMALL) {
    // A double's sqrt is within one unit here; settle the last unit exactly.
    let x = BigInt(Math.floor(Math.sqrt(Number(n))));
    while (x * x > n) x -= 1n;
    while ((x + 1n) * (x + 1n) <= n) x += 1n;
    return x;
  }
  // Newton's method from above converges to the floor.
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
};

/** `fixed-sqrt` on U64F64: only 32 fractional bits survive. */
export const sqrtBits = (a: bigint): bigint => isqrt(checked(a, 'sqrt')) << 32n;

/** The gatekeeper's confidence score (differs from the pallet's for unknown levels). */
export const confScore = (level: number): bigint => {
  if (level === 1 || level === 2 || level === 3 || level === 128) return ONE;
  if (level === 4) return FP_0_8;
  if (level === 5) return FP_0_7;
  return 0n;
};

/** `share = sqrt(v² + (2·p·conf)²)`, products left to right. */
export const shareBits = (v: bigint, p: bigint, conf: bigint): bigint => {
  const c = mulBits(mulBits(FP_2, p), conf);
  return sqrtBits(addBits(mulBits(v, v), mulBits(c, c)));
};

/** `update_v_idle`'s ΔV: `perf · ((rho − 1)·v + cost_k·p_bench + cost_b)`, checked like Rust. */
export const idleDeltaBits = (v: bigint, p: bigint, pBench: bigint, rho: bigint, costK: bigint, costB: bigint): bigint => {
  const costIdle = addBits(mulBits(costK, pBench), costB);
  const perf = pBench === 0n ? ONE : divBits(p, pBench);
  return mulBits(perf, addBits(mulBits(subBits(rho, ONE), v), costIdle));
};
