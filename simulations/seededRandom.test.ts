import fc from 'fast-check';
import type { Random } from '../domain/ports/random';
import { seededRandom } from './seededRandom';

const draw = (random: Random, n: number): number[] => Array.from({ length: n }, () => random.nextU32());

/** Pearson chi-square statistic of observed counts against a uniform expectation */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('seededRandom', () => {
  it('gives the same numbers for the same seed and labels', () => {
    const a = seededRandom(42, 'run').fork('worker-1').fork('heartbeat');
    const b = seededRandom(42, 'run').fork('worker-1').fork('heartbeat');
    expect(draw(a, 100)).toEqual(draw(b, 100));
    expect(Array.from(seededRandom(7n).bytes(33))).toEqual(Array.from(seededRandom(7).bytes(33)));
  });

  it('gives different numbers for a different seed, root label or fork label', () => {
    const base = draw(seededRandom(42, 'run'), 8);
    expect(draw(seededRandom(43, 'run'), 8)).not.toEqual(base);
    expect(draw(seededRandom(42, 'other'), 8)).not.toEqual(base);
    expect(draw(seededRandom(42, 'run').fork('a'), 8)).not.toEqual(draw(seededRandom(42, 'run').fork('b'), 8));
    // seeds above 2^64 are honoured, not truncated
    expect(draw(seededRandom(1n << 100n), 8)).not.toEqual(draw(seededRandom(0), 8));
  });

  it('forks independently of fork order and of what the parent drew', () => {
    const alone = seededRandom(9).fork('b');
    const parent = seededRandom(9);
    parent.fork('a').nextU32();
    draw(parent, 50);
    const after = parent.fork('b');
    expect(draw(after, 64)).toEqual(draw(alone, 64));
  });

  it('does not shift the parent stream when forking', () => {
    const plain = seededRandom(5);
    const forking = seededRandom(5);
    const expected = draw(plain, 10);
    const got: number[] = [];
    for (let i = 0; i < 10; i++) {
      forking.fork(`child-${i}`).nextU32();
      got.push(forking.nextU32());
    }
    expect(got).toEqual(expected);
  });

  it('keeps nextInt within its inclusive bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(2 ** 31), (seed, min, span) => {
        const r = seededRandom(Math.abs(seed));
        for (let i = 0; i < 20; i++) {
          const v = r.nextInt(min, min + span);
          if (!Number.isInteger(v) || v < min || v > min + span) return false;
        }
        return true;
      }),
    );
  });

  it('is roughly uniform (chi-square) for nextInt, nextFloat and bytes', () => {
    const r = seededRandom(2026);
    const ints = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) ints[r.nextInt(0, 9)]! += 1;
    // 9 degrees of freedom: p = 0.001 critical value is 27.9
    expect(chiSquare(ints)).toBeLessThan(27.9);

    const floats = new Array<number>(16).fill(0);
    let sum = 0;
    let outOfRange = 0;
    for (let i = 0; i < 100_000; i++) {
      const f = r.nextFloat();
      if (!(f >= 0 && f < 1)) outOfRange += 1;
      sum += f;
      floats[Math.floor(f * 16)]! += 1;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
    // 15 degrees of freedom: p = 0.001 critical value is 37.7
    expect(chiSquare(floats)).toBeLessThan(37.7);

    const bytes = new Array<number>(256).fill(0);
    for (const b of r.bytes(256 * 400)) bytes[b]! += 1;
    // 255 degrees of freedom: p = 0.001 critical value is about 330.5
    expect(chiSquare(bytes)).toBeLessThan(330.5);
  });

  it('makes sibling streams look unrelated (no shared outputs at the same position)', () => {
    const root = seededRandom(1);
    const streams = Array.from({ length: 200 }, (_, i) => draw(root.fork(`w${i}`), 4).join(','));
    expect(new Set(streams).size).toBe(200);
    const firsts = Array.from({ length: 2000 }, (_, i) => root.fork(`w${i}`).nextInt(0, 1));
    const ones = firsts.filter((x) => x === 1).length;
    expect(ones).toBeGreaterThan(900);
    expect(ones).toBeLessThan(1100);
  });

  it('rejects invalid arguments loudly', () => {
    expect(() => seededRandom(-1)).toThrow(RangeError);
    expect(() => seededRandom(1.5)).toThrow(RangeError);
    expect(() => seededRandom(1n << 128n)).toThrow(RangeError);
    const r = seededRandom(1);
    expect(() => r.nextInt(5, 4)).toThrow(RangeError);
    expect(() => r.nextInt(0, 2 ** 32)).toThrow(RangeError);
    expect(() => r.bytes(-1)).toThrow(RangeError);
    expect(r.bytes(0).length).toBe(0);
    expect(r.bytes(5).length).toBe(5);
  });
});
