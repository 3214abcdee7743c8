import fc from 'fast-check';
import { toHexPlain } from './hex';
import { bool, bytes, compactBigint, DecodeError, decodeExact, fixedBytes, option, str, struct, u8, u16, u32, u64, u128, u256, unit, variant, vec } from './scale';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const enc = <T>(c: { enc: (v: T) => Uint8Array }, v: T) => toHexPlain(c.enc(v));

describe('strict SCALE primitives', () => {
  it('encodes integers little-endian with fixed widths', () => {
    expect(enc(u8, 0xab)).toBe('ab');
    expect(enc(u16, 0x0102)).toBe('0201');
    expect(enc(u32, 0x01020304)).toBe('04030201');
    expect(enc(u64, 0x0102030405060708n)).toBe('0807060504030201');
    expect(enc(u128, (1n << 64n) + 2n)).toBe('02000000000000000100000000000000');
    expect(enc(u256, 1n << 255n)).toBe(`${'00'.repeat(31)}80`);
  });

  it('refuses to encode out-of-range integers', () => {
    expect(() => u8.enc(256)).toThrow(RangeError);
    expect(() => u32.enc(-1)).toThrow(RangeError);
    expect(() => u32.enc(1.5)).toThrow(RangeError);
    expect(() => u64.enc(1n << 64n)).toThrow(RangeError);
    expect(() => u128.enc(-1n)).toThrow(RangeError);
  });

  it('encodes compact lengths in all four modes', () => {
    expect(enc(bytes(), new Uint8Array(0))).toBe('00');
    expect(enc(bytes(), new Uint8Array(63)).slice(0, 2)).toBe('fc');
    expect(enc(bytes(), new Uint8Array(64)).slice(0, 4)).toBe('0101');
    expect(enc(compactBigint, 1n << 30n)).toBe('0300000040');
    expect(enc(compactBigint, (1n << 64n) - 1n)).toBe('13ffffffffffffffff');
  });

  it('encodes Option, bool, String, Vec and unit', () => {
    expect(enc(option(u8), undefined)).toBe('00');
    expect(enc(option(u8), 7)).toBe('0107');
    expect(enc(bool, true)).toBe('01');
    expect(enc(str, 'abc')).toBe('0c616263');
    expect(enc(vec(u16), [1, 2])).toBe('0801000200');
    expect(enc(unit, undefined)).toBe('');
  });

  it('rejects trailing bytes, truncation, bad tags and non-canonical compacts', () => {
    const bad: Array<[() => unknown, RegExp]> = [
      [() => decodeExact(u32, hex('0100000000'), 'x'), /1 trailing byte/],
      [() => decodeExact(u32, hex('010000'), 'x'), /unexpected end/],
      [() => decodeExact(fixedBytes(32), hex('00'.repeat(31)), 'x'), /unexpected end/],
      [() => decodeExact(option(u8), hex('0207'), 'x'), /invalid tag/],
      [() => decodeExact(bool, hex('02'), 'x'), /invalid byte/],
      [() => decodeExact(bytes(), hex('0100'), 'x'), /non-canonical/],
      [() => decodeExact(bytes(), hex('08aa'), 'x'), /exceeds/],
      [() => decodeExact(vec(fixedBytes(32)), hex('feffffff'), 'x'), /exceeds/],
      [() => decodeExact(bytes(2), hex('0c010203'), 'x'), /bound 2/],
      [() => decodeExact(str, hex('04ff'), 'x'), /UTF-8/],
      [() => decodeExact(variant('E', { A: unit, B: u8 }), hex('02'), 'x'), /unknown variant index 2/],
    ];
    for (const [run, message] of bad) {
      expect(run).toThrow(DecodeError);
      expect(run).toThrow(message);
    }
  });

  it('decodes a subarray view from its own offset, not its buffer start', () => {
    const view = hex('ffff2a000000').subarray(2);
    expect(decodeExact(u32, view, 'x')).toBe(42);
  });

  it('honours forced variant indices', () => {
    const e = variant('E', { A: unit, B: u8, Z: unit }, { Z: 255 });
    expect(enc(e, { tag: 'Z', value: undefined })).toBe('ff');
    expect(enc(e, { tag: 'B', value: 3 })).toBe('0103');
    expect(decodeExact(e, hex('ff'), 'E')).toEqual({ tag: 'Z', value: undefined });
    expect(() => decodeExact(e, hex('02'), 'E')).toThrow(/unknown variant index 2/);
  });

  it('round-trips random values and only ever accepts canonical bytes', () => {
    const codec = struct({ a: u8, b: option(u64), c: vec(bytes()), d: str, e: bool, f: u256 });
    const arb = fc.record({
      a: fc.integer({ min: 0, max: 255 }),
      b: fc.option(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { nil: undefined }),
      c: fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }),
      d: fc.string(),
      e: fc.boolean(),
      f: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
    });
    fc.assert(
      fc.property(arb, (v) => {
        const b = codec.enc(v);
        expect(decodeExact(codec, b, 'S')).toEqual(v);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        try {
          const v = decodeExact(codec, b, 'S');
          expect(codec.enc(v)).toEqual(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });
});
