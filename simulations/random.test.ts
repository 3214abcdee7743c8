import fc from 'fast-check';
import { seededRandom } from './random';

const draw = (r: { nextU32(): number }, n: number) => Array.from({ length: n }, () => r.nextU32());

describe('seededRandom', () => {
  it('gives the same numbers for the same seed and different numbers for another seed', () => {
    expect(draw(seededRandom(42), 8)).toEqual(draw(seededRandom(42), 8));
    expect(draw(seededRandom(42), 8)).not.toEqual(draw(seededRandom(43), 8));
    expect(draw(seededRandom('42'), 8)).not.toEqual(draw(seededRandom(42), 8));
  });

  it('forks are stable: the same label gives the same stream whatever the parent has drawn', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    draw(b, 100);
    b.bytes(33);
    expect(draw(a.fork('worker-1'), 5)).toEqual(draw(b.fork('worker-1'), 5));
    expect(draw(a.fork('worker-1').fork('signatures'), 5)).toEqual(draw(b.fork('worker-1').fork('signatures'), 5));
  });

  it('forks are independent: other labels, other streams; forking does not shift the parent', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    a.fork('x');
    a.fork('y');
    expect(draw(a, 5)).toEqual(draw(b, 5));
    expect(draw(seededRandom(7).fork('x'), 5)).not.toEqual(draw(seededRandom(7).fork('y'), 5));
    const many = new Set(Array.from({ length: 2000 }, (_, i) => seededRandom(1).fork(`w${i}`).nextU32()));
    expect(many.size).toBeGreaterThan(1995);
  });

  it('keeps every draw in range', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(70), (seed, min, span, n) => {
        const r = seededRandom(seed);
        const v = r.nextInt(min, min + span);
        expect(v).toBeGreaterThanOrEqual(min);
        expect(v).toBeLessThanOrEqual(min + span);
        const u = r.nextU32();
        expect(u >= 0 && u < 2 ** 32 && Number.isInteger(u)).toBe(true);
        const f = r.nextFloat();
        expect(f >= 0 && f < 1).toBe(true);
        expect(r.bytes(n)).toHaveLength(n);
      }),
    );
    expect(() => seededRandom(1).nextInt(5, 4)).toThrow(RangeError);
  });
});
