import fc from 'fast-check';
import {
  FIXED_MAX,
  FIXED_ONE,
  fixedFromDecimal,
  fixedToDecimal,
  fixedToShortestDecimal,
  formatFixedRounded,
  parseFixedDecimal,
} from './index';

const anyFixed = fc.bigInt({ min: 0n, max: FIXED_MAX });
const smallFixed = fc.bigInt({ min: 0n, max: (1n << 96n) - 1n });

describe('fixedFromDecimal (fp! literal semantics)', () => {
  it('reads integers exactly', () => {
    expect(fixedFromDecimal('100')).toBe(100n << 64n);
    expect(fixedFromDecimal('0')).toBe(0n);
    expect(fixedFromDecimal('30_000')).toBe(30000n << 64n);
  });

  it('rounds to nearest: 0.2·2^64 = …323.2 → …323 and 0.8·2^64 = …292.8 → …293', () => {
    expect(fixedFromDecimal('0.2')).toBe(3689348814741910323n);
    expect(fixedFromDecimal('0.8')).toBe(14757395258967641293n);
    // so 1 − fp!(0.2) == fp!(0.8), which the GK relies on for its payout ratio
    expect(FIXED_ONE - fixedFromDecimal('0.2')).toBe(fixedFromDecimal('0.8'));
  });

  it('breaks ties to even (checked on a 2-fractional-bit type)', () => {
    expect(parseFixedDecimal('0.125', 2n, 8n)).toBe(0n); // 0.5 ulp → even 0
    expect(parseFixedDecimal('0.375', 2n, 8n)).toBe(2n); // 1.5 ulp → even 2
    expect(parseFixedDecimal('0.376', 2n, 8n)).toBe(2n);
    expect(parseFixedDecimal('0.374', 2n, 8n)).toBe(1n);
  });

  it('rejects malformed text and overflow', () => {
    expect(() => fixedFromDecimal('-1')).toThrow(SyntaxError);
    expect(() => fixedFromDecimal('1e3')).toThrow(SyntaxError);
    expect(() => fixedFromDecimal('')).toThrow(SyntaxError);
    expect(() => fixedFromDecimal(`${1n << 64n}`)).toThrow(/overflows/);
    expect(() => fixedFromDecimal('18446744073709551615.99999999999999999999999')).toThrow(/overflows/);
  });
});

describe('fixedToDecimal', () => {
  it('prints the exact value without trailing zeros', () => {
    expect(fixedToDecimal(1n)).toBe('0.0000000000000000000542101086242752217003726400434970855712890625');
    expect(fixedToDecimal(FIXED_ONE + (FIXED_ONE >> 1n))).toBe('1.5');
    expect(fixedToDecimal(100n << 64n)).toBe('100');
    expect(fixedToDecimal(0n)).toBe('0');
  });

  it('rounds to the requested digits, nearest with ties to even', () => {
    expect(fixedToDecimal(FIXED_ONE + (FIXED_ONE >> 2n), 1)).toBe('1.2'); // 1.25 → 1.2
    expect(fixedToDecimal(FIXED_ONE + 3n * (FIXED_ONE >> 2n), 1)).toBe('1.8'); // 1.75 → 1.8
    expect(fixedToDecimal(FIXED_ONE >> 1n, 0)).toBe('0'); // 0.5 → 0
    expect(fixedToDecimal(3n * (FIXED_ONE >> 1n), 0)).toBe('2'); // 1.5 → 2
    expect(fixedToDecimal(fixedFromDecimal('0.2'), 3)).toBe('0.200');
    expect(fixedToDecimal(fixedFromDecimal('9.9996'), 3)).toBe('10.000');
  });

  it('prints the fixed crate Display form shortest-and-unique (its doc example: 2.75 at 3 bits → 2.8)', () => {
    expect(formatFixedRounded(22n, 3n, 1)).toBe('2.8');
    expect(fixedToShortestDecimal(fixedFromDecimal('1.3'))).toBe('1.3');
    expect(fixedToShortestDecimal(fixedFromDecimal('1690.0000000000000000282'))).toBe('1690.0000000000000000282');
    expect(fixedToShortestDecimal(100n << 64n)).toBe('100');
  });
});

describe('decimal properties', () => {
  it('exact printing parses back to the same bits', () => {
    fc.assert(fc.property(anyFixed, (x) => fixedFromDecimal(fixedToDecimal(x)) === x));
  });

  it('shortest printing parses back and is never longer than the exact text', () => {
    fc.assert(
      fc.property(smallFixed, (x) => {
        const s = fixedToShortestDecimal(x);
        return fixedFromDecimal(s) === x && s.length <= fixedToDecimal(x).length;
      }),
      { numRuns: 300 },
    );
  });

  it('rounded printing is within half a unit of the last digit of the exact value', () => {
    fc.assert(
      fc.property(anyFixed, fc.integer({ min: 0, max: 30 }), (x, digits) => {
        const printed = fixedToDecimal(x, digits);
        const [i = '', f = ''] = printed.split('.');
        const scaled = BigInt(i + f); // value · 10^digits
        const exactScaled2 = (x * 10n ** BigInt(digits) * 2n) >> 64n; // floor(2·x·10^d)
        // |scaled − x·10^d| ≤ 1/2  ⇔  2·scaled − 1 ≤ 2·x·10^d ≤ 2·scaled + 1
        return exactScaled2 >= 2n * scaled - 1n && exactScaled2 <= 2n * scaled + 1n;
      }),
    );
  });

  it('parsing a decimal rounds to the nearest bits (checked against a 10^k scaled comparison)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 25 }), (n, k) => {
        const s = n.toString().padStart(k + 1, '0');
        const text = k === 0 ? s : `${s.slice(0, -k)}.${s.slice(-k)}`;
        if (n >= (1n << 64n) * 10n ** BigInt(k)) return true;
        const bits = fixedFromDecimal(text);
        const scale = 10n ** BigInt(k);
        // |bits·10^k − n·2^64| ≤ 10^k / 2
        const err = bits * scale - (n << 64n);
        return 2n * (err < 0n ? -err : err) <= scale;
      }),
    );
  });
});
