import { osRandom } from './osRandom';

describe('osRandom', () => {
  it('draws in range and does not repeat 32-byte draws', () => {
    const r = osRandom();
    for (let i = 0; i < 200; i++) {
      const v = r.nextInt(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      expect(Number.isInteger(r.nextU32())).toBe(true);
    }
    expect(Buffer.from(r.bytes(32)).equals(Buffer.from(r.fork('x').bytes(32)))).toBe(false);
    expect(r.bytes(5)).toHaveLength(5);
    expect(() => r.nextInt(0, 2 ** 32)).toThrow(RangeError);
  });
});
