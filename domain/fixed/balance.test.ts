import fc from 'fast-check';
import { balanceToFixed, fixedFromDecimal, fixedToBalance, fixedToDecimal, PHA_UNITS } from './index';

describe('Balance ↔ U64F64 through U80F48 (balance_convert.rs)', () => {
  it('max supply does not overflow (Rust test max_supply_not_overflow)', () => {
    const balance = 1_000_000_000n * PHA_UNITS;
    const f = balanceToFixed(balance);
    expect(fixedToDecimal(f)).toBe('1000000000');
    expect(fixedToBalance(f)).toBe(balance);
  });

  it('truncates both ways as the §14.H formulas do', () => {
    expect(balanceToFixed(1n)).toBe(((1n << 48n) / PHA_UNITS) << 16n);
    expect(fixedToBalance(fixedFromDecimal('0.3'))).toBe(((fixedFromDecimal('0.3') >> 16n) * PHA_UNITS) >> 48n);
    expect(fixedToBalance(fixedFromDecimal('1000'))).toBe(1000n * PHA_UNITS);
  });

  it('rejects balances beyond U80F48 / U64F64', () => {
    expect(() => balanceToFixed(1n << 80n)).toThrow(/U80F48/);
    expect(() => balanceToFixed(-1n)).toThrow(/non-negative/);
  });

  it('a round trip loses at most one unit and never gains', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 80n) - 1n }), (b) => {
        const back = fixedToBalance(balanceToFixed(b));
        return back <= b && b - back <= 1n;
      }),
    );
  });

  it('to_fixed matches ((b<<48)//10^12)<<16 and from_fixed matches ((x>>16)·10^12)>>48', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 80n) - 1n }), (b) => {
        const viaFormula = ((b << 48n) / 10n ** 12n) << 16n;
        if (viaFormula >= 1n << 128n) return true;
        return balanceToFixed(b) === viaFormula && fixedToBalance(viaFormula) === ((viaFormula >> 16n) * 10n ** 12n) >> 48n;
      }),
    );
  });
});
