/** Workload arrivals per block (distribution draws are `genesisDraws.drawFrom`). */
import type { Random } from '../../domain/ports/random';

/** Events of a Poisson process with `ratePerBlock` in one block (Knuth; rates here are small). */
export function poissonCount(ratePerBlock: number, random: Random): number {
  if (ratePerBlock <= 0) return 0;
  const limit = Math.exp(-ratePerBlock);
  let k = 0;
  for (let p = random.nextFloat(); p > limit; p *= random.nextFloat()) k++;
  return k;
}
