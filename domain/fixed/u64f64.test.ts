import fc from 'fast-check';
import {
  FIXED_MAX,
  FIXED_ONE,
  fixedAdd,
  fixedDiv,
  fixedDivInt,
  fixedFromDecimal,
  fixedFromInt,
  fixedMul,
  fixedMulInt,
  fixedSqrt,
  fixedSub,
  isqrt,
} from './index';

const S = 1n << 64n;
const anyFixed = fc.bigInt({ min: 0n, max: FIXED_MAX });
const moderate = fc.bigInt({ min: 0n, max: (1n << 96n) - 1n });

describe('U64F64 arithmetic (§14.H)', () => {
  it('truncates products and quotients', () => {
    const third = fixedDiv(FIXED_ONE, fixedFromInt(3));
    expect(third).toBe(6148914691236517205n); // floor(2^64/3)
    expect(fixedMul(third, fixedFromInt(3))).toBe(S - 1n);
    expect(fixedMul(1n, 1n)).toBe(0n);
  });

  it('sqrt keeps 32 fractional bits: sqrt(1000) is isqrt(1000·2^64)·2^32', () => {
    expect(fixedSqrt(fixedFromInt(1000))).toBe(isqrt(1000n << 64n) << 32n);
    expect(fixedSqrt(fixedFromInt(4))).toBe(2n << 64n);
    expect(fixedSqrt(2n << 64n) & 0xffffffffn).toBe(0n);
  });

  it('integer multiply/divide act on the raw bits', () => {
    expect(fixedDivInt(fixedMulInt(fixedFromDecimal('0.001'), 12), 3600)).toBe((fixedFromDecimal('0.001') * 12n) / 3600n);
  });

  it('throws where Rust would panic', () => {
    expect(() => fixedSub(FIXED_ONE, FIXED_ONE + 1n)).toThrow(/underflow in sub/);
    expect(() => fixedAdd(FIXED_MAX, 1n)).toThrow(/overflow in add/);
    expect(() => fixedMul(FIXED_MAX, fixedFromInt(2))).toThrow(/overflow in mul/);
    expect(() => fixedDiv(FIXED_ONE, 0n)).toThrow(/division by zero/);
    expect(() => fixedDiv(fixedFromInt(1n << 63n), 1n << 62n)).toThrow(/overflow in div/);
    expect(() => fixedFromInt(1n << 64n)).toThrow(/outside/);
  });

  it('isqrt handles numbers beyond double range (bit-length start)', () => {
    const n = (1n << 2100n) + 12345n;
    const r = isqrt(n);
    expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    expect(isqrt(0n)).toBe(0n);
    expect(isqrt(3n)).toBe(1n);
    expect(() => isqrt(-1n)).toThrow(/negative/);
  });

  it('isqrt is the floor square root', () => {
    fc.assert(fc.property(anyFixed, (n) => {
      const r = isqrt(n);
      return r * r <= n && (r + 1n) * (r + 1n) > n;
    }));
  });

  it('mul and div match the §14.H one-liners and bracket the exact result', () => {
    fc.assert(
      fc.property(moderate, moderate, (a, b) => {
        const p = fixedMul(a, b);
        // floor: p·2^64 ≤ a·b < (p+1)·2^64
        if (!(p * S <= a * b && a * b < (p + 1n) * S)) return false;
        if (b === 0n) return true;
        const q = (a << 64n) / b;
        if (q > FIXED_MAX) return true;
        return fixedDiv(a, b) === q && q * b <= a * S && a * S < (q + 1n) * b;
      }),
    );
  });

  it('sqrt(x)² ≤ x and the result is a multiple of 2^32', () => {
    fc.assert(
      fc.property(anyFixed, (x) => {
        const r = fixedSqrt(x);
        return r % (1n << 32n) === 0n && r * r <= x * S && (r + (1n << 32n)) ** 2n > x * S;
      }),
    );
  });
});
