import fc from 'fast-check';
import { FP_0_7, FP_0_8, FP_1_2, isqrt, sqrtBits } from './fixedBits';
import { lit, powTarget } from './fastScenario';

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

  it('pow_target: N ≤ 3000 gives 1/150 of the space, N = 20000 gives about 20 hits', () => {
    const space = 1n << 256n;
    expect(Number((powTarget(20, 3000, 12) * 150000n) / space) / 1000).toBeCloseTo(1, 2);
    expect(Number((powTarget(20, 20_000, 12) * 20_000_000n) / space) / 1000).toBeCloseTo(20, 1);
    expect(powTarget(20, 0, 12)).toBe(0n);
  });
});
