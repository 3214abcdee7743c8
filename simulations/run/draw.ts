/**
 * Draws a value from a resolved scenario distribution with the run's seeded Random. Each draw uses
 * a fixed number of Random calls per kind, so the draws of one worker never shift another's.
 */
import type { Random } from '../../domain/ports/random';
import type { ResolvedScenario } from '../scenario/resolved.codec';

/** A distribution as a resolved scenario holds it. */
export type Distribution = Exclude<ResolvedScenario['topology']['workerGroups'][number]['confidenceLevel'], string>;

/** One value of `d`. Normal draws use Box–Muller and are clamped to [min, max] when given. */
export function drawValue(d: Distribution, random: Random): number {
  if ('fixed' in d) return d.fixed;
  if ('uniform' in d) return d.uniform.min + (d.uniform.max - d.uniform.min) * random.nextFloat();
  if ('normal' in d) {
    const u1 = Math.max(random.nextFloat(), Number.MIN_VALUE);
    const u2 = random.nextFloat();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    const x = d.normal.mean + d.normal.sd * z;
    return Math.min(d.normal.max ?? Number.POSITIVE_INFINITY, Math.max(d.normal.min ?? Number.NEGATIVE_INFINITY, x));
  }
  const total = d.choice.reduce((t, c) => t + c.weight, 0);
  let pick = random.nextFloat() * total;
  for (const c of d.choice) {
    pick -= c.weight;
    if (pick < 0) return c.value;
  }
  return d.choice[d.choice.length - 1]!.value;
}

/** Events of a Poisson process with `ratePerBlock` in one block (Knuth; rates here are small). */
export function poissonCount(ratePerBlock: number, random: Random): number {
  if (ratePerBlock <= 0) return 0;
  const limit = Math.exp(-ratePerBlock);
  let k = 0;
  for (let p = random.nextFloat(); p > limit; p *= random.nextFloat()) k++;
  return k;
}
