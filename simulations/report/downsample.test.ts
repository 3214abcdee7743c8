import fc from 'fast-check';
import { buckets, downsampleBand, downsampleLast, downsampleSum } from './downsample';

const id = (x: number) => x;

describe('downsampling', () => {
  it('splits n items into at most k contiguous, covering buckets', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.integer({ min: 1, max: 2_000 }), (n, k) => {
        const bs = buckets(n, k);
        let next = 0;
        let contiguous = true;
        for (const [s, e] of bs) {
          contiguous &&= s === next && e > s;
          next = e;
        }
        return contiguous && next === n && bs.length === Math.min(n, k);
      }),
    );
  });

  it('keeps every spike in the band and every unit in the sums', () => {
    const values = Array.from({ length: 7200 }, (_, i) => (i === 4321 ? 1000 : i % 7));
    const band = downsampleBand(values, 500, id, id);
    expect(band.length).toBeLessThanOrEqual(500);
    expect(Math.max(...band.map((p) => p.max))).toBe(1000);
    const sums = downsampleSum(values, 250, id, id);
    expect(sums.reduce((a, p) => a + p.value, 0)).toBe(values.reduce((a, v) => a + v, 0));
  });

  it('keeps the last value of each bucket, and all points when they fit', () => {
    const rows = Array.from({ length: 10 }, (_, i) => i);
    expect(downsampleLast(rows, 100, id, id)).toHaveLength(10);
    expect(downsampleLast(rows, 2, id, id)).toEqual([
      { block: 4, value: 4 },
      { block: 9, value: 9 },
    ]);
  });

  it('gives each band bucket its first block, minimum, maximum and mean', () => {
    const rows = [5, 1, 9, 3, 2, 2, 8, 0, 4, 6].map((v, i) => ({ block: 100 + i, v }));
    expect(downsampleBand(rows, 2, (r) => r.block, (r) => r.v)).toEqual([
      { block: 100, min: 1, max: 9, mean: 4 },
      { block: 105, min: 0, max: 8, mean: 4 },
    ]);
  });
});
