import fc from 'fast-check';
import { FP_0_7, FP_0_8, FP_1_2, isqrt, sqrtBits } from './fixedBits';
import { fixedFromDecimal as lit } from '../../fixed';

describe('U64F64 helpers of the fast engine', () => {
  it('isqrt is the floor square root, small and huge', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), (n) => {
        const r = isqrt(n);
        expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('sqrt keeps 32 fractional bits (fixed-sqrt): sqrt(2) = 1.41421356…', () => {
    expect(sqrtBits(2n << 64n)).toBe(6074000999n << 32n);
  });

  it('literals round to nearest like fixed_macro', () => {
    expect([lit('1.2'), lit('0.8'), lit('0.7')]).toEqual([FP_1_2, FP_0_8, FP_0_7]);
    expect(lit('0.5')).toBe(1n << 63n);
  });
});
