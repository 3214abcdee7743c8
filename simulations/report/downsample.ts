/**
 * Downsampling for charts: a 7,200-block run would put 7,200 points per series into every SVG.
 * Level series (worker counts, V, stake, cumulative sums) keep the last value of each bucket;
 * spiky per-block series (payout, events) keep each bucket's minimum, maximum and mean, so a
 * single spike still shows at its true height; sparse counts are summed per bucket.
 */

/** One chart point: the block and a value. */
export interface Point {
  readonly block: number;
  readonly value: number;
}

/** `[start, end)` index ranges splitting `n` items into at most `buckets` nearly equal parts. */
export function buckets(n: number, count: number): [number, number][] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`bucket count must be a positive integer, got ${count}`);
  const k = Math.min(n, count);
  const out: [number, number][] = [];
  for (let b = 0; b < k; b++) out.push([Math.floor((b * n) / k), Math.floor(((b + 1) * n) / k)]);
  return out;
}

/** At most `maxPoints` points: the last of each bucket (all points when they fit). */
export function downsampleLast<R>(rows: readonly R[], maxPoints: number, block: (r: R) => number, value: (r: R) => number): Point[] {
  return buckets(rows.length, maxPoints).map(([, end]) => {
    const r = rows[end - 1]!;
    return { block: block(r), value: value(r) };
  });
}

/** One bucket of a per-block series: its first block, the minimum, maximum and mean value. */
export interface BandPoint {
  readonly block: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * At most `maxPoints` buckets, each with its minimum, maximum and mean: drawn as a light band
 * (min to max, so no spike is lost) under a line of the mean (the trend a reader looks for).
 */
export function downsampleBand<R>(rows: readonly R[], maxPoints: number, block: (r: R) => number, value: (r: R) => number): BandPoint[] {
  return buckets(rows.length, maxPoints).map(([start, end]) => {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (let i = start; i < end; i++) {
      const v = value(rows[i]!);
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    // the bucket's first block: drawn step-after, the band then covers exactly its own blocks
    return { block: block(rows[start]!), min, max, mean: sum / (end - start) };
  });
}

/** At most `maxPoints` points, each the sum over its bucket (for sparse counts: totals are kept). */
export function downsampleSum<R>(rows: readonly R[], maxPoints: number, block: (r: R) => number, value: (r: R) => number): Point[] {
  return buckets(rows.length, maxPoints).map(([start, end]) => {
    let sum = 0;
    for (let i = start; i < end; i++) sum += value(rows[i]!);
    return { block: block(rows[end - 1]!), value: sum };
  });
}
