import { randomBytes, randomInt } from 'node:crypto';
import type { Random } from '../../domain/ports/random';

/**
 * The Random port on the OS CSPRNG (cluster mode). `fork(label)` returns another OS stream: OS
 * randomness has no sequence to keep stable, so the label only documents the consumer.
 */
export function osRandom(): Random {
  const random: Random = {
    nextU32: () => randomBytes(4).readUInt32LE(0),
    nextInt: (min, max) => {
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min || max - min >= 2 ** 32) {
        throw new RangeError(`nextInt(${min}, ${max}): need safe integers with 0 <= max - min < 2^32`);
      }
      // node:crypto randomInt is unbiased and takes an exclusive upper bound below 2^48.
      return randomInt(min, max + 1);
    },
    nextFloat: () => Number(randomBytes(8).readBigUInt64LE(0) >> 11n) / 2 ** 53,
    bytes: (n) => new Uint8Array(randomBytes(n)),
    fork: () => random,
  };
  return random;
}
