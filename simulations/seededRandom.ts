/**
 * The seeded adapter of the Random port (ARCHITECTURE.md §6, §7), over pure-rand's xoroshiro128+.
 *
 * Every stream is named by a path of labels from the scenario seed. A stream's generator starts from
 * seed material derived from (parent material, label) — see `seedMaterial.ts` — so forking never
 * consumes numbers from the parent, and the stream of `fork('b')` is the same whether or not
 * `fork('a')` was called first.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { Random } from '../domain/ports/random';
import { deriveSeedMaterial, type SeedMaterial, seedMaterialOf } from './seedMaterial';

const twoTo32 = 0x1_0000_0000;

function randomFromMaterial(material: SeedMaterial): Random {
  // xoroshiro128+ must not start from the all-zero state (it would stay there forever).
  const words = material.every((w) => w === 0) ? [1, 0, 0, 0] : material.map((w) => w | 0);
  const generator = xoroshiro128plusFromState(words);
  const nextU32 = (): number => generator.next() >>> 0;
  return {
    nextU32,
    nextInt(min: number, max: number): number {
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max || max - min >= twoTo32) {
        throw new RangeError(`nextInt needs integers min <= max with max - min < 2^32, got [${min}, ${max}]`);
      }
      // pure-rand rejects out-of-range draws, so the result is unbiased.
      return uniformInt(generator, min, max);
    },
    nextFloat: () => uniformFloat64(generator),
    bytes(n: number): Uint8Array {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`bytes needs a count >= 0, got ${n}`);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const word = nextU32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
      }
      return out;
    },
    fork: (label: string) => randomFromMaterial(deriveSeedMaterial(material, label)),
  };
}

/**
 * A deterministic Random from a scenario seed (an integer in [0, 2^128)). `label` names the root
 * stream; two roots with the same seed and different labels are independent.
 */
export function seededRandom(seed: number | bigint, label = ''): Random {
  return randomFromMaterial(deriveSeedMaterial(seedMaterialOf(seed), `seed/${label}`));
}
