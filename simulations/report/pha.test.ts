import fc from 'fast-check';
import { formatPha, parsePha, phaToChartNumber } from './pha';

describe('PHA text', () => {
  it('prints units with exactly 12 decimals, no rounding', () => {
    expect(formatPha(0n)).toBe('0.000000000000');
    expect(formatPha(1n)).toBe('0.000000000001');
    expect(formatPha(1_500_000_000_000n)).toBe('1.500000000000');
    expect(formatPha(123_456_789_012_345_678_901_234_567n)).toBe('123456789012345.678901234567');
    expect(formatPha(-2_000_000_000_001n)).toBe('-2.000000000001');
  });

  it('parses what it prints back to the same units, for any bigint', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 127n), max: 1n << 127n }), (u) => parsePha(formatPha(u)) === u));
  });

  it('parses shorter decimals exactly and rejects what would lose units', () => {
    expect(parsePha('1.5')).toBe(1_500_000_000_000n);
    expect(parsePha('7')).toBe(7_000_000_000_000n);
    expect(() => parsePha('0.0000000000001')).toThrow(SyntaxError);
    expect(() => parsePha('1e3')).toThrow(/not a PHA decimal/);
    expect(() => parsePha('')).toThrow(SyntaxError);
  });

  it('gives chart numbers close to the exact value', () => {
    expect(phaToChartNumber(2_250_000_000_000n)).toBe(2.25);
    expect(phaToChartNumber(10n ** 30n)).toBeCloseTo(1e18, -3);
  });
});
