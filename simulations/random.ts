import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { blake2_256 } from '../domain/crypto';
import type { Random } from '../domain/ports/random';

const utf8 = (s: string) => new TextEncoder().encode(s);

// Each stream is named by a 32-byte key: the root's comes from the seed, a fork's from its parent's
// key and its label. The generator state is the first 128 bits of the key, so a fork depends only
// on (seed, path of labels) — never on how much the parent has drawn — and 20,000 sibling forks
// do not collide (a 32-bit seed would, by the birthday bound).
function streamFromKey(key: Uint8Array): Random {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const state: number[] = [view.getInt32(0, true), view.getInt32(4, true), view.getInt32(8, true), view.getInt32(12, true)];
  if (!state.some((w) => w !== 0)) state[0] = 1; // xoroshiro's one forbidden state
  const rng = xoroshiro128plusFromState(state);
  const nextU32 = () => rng.next() >>> 0;
  return {
    nextU32,
    nextInt: (min, max) => {
      if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min || max - min >= 2 ** 32) {
        throw new RangeError(`nextInt(${min}, ${max}): need safe integers with 0 <= max - min < 2^32`);
      }
      return uniformInt(rng, min, max);
    },
    nextFloat: () => uniformFloat64(rng),
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const word = nextU32();
        for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
      }
      return out;
    },
    fork: (label) => streamFromKey(blake2_256(Buffer.concat([key, Uint8Array.of(0), utf8(label)]))),
  };
}

/**
 * The seeded Random port for simulations (pure-rand xoroshiro128+). Same seed ⇒ same numbers;
 * `fork(label)` gives an independent stream that is the same for the same label on the same
 * parent, whatever the parent has drawn. Not a CSPRNG: keys made from it are insecure by design.
 */
export function seededRandom(seed: number | bigint | string): Random {
  return streamFromKey(blake2_256(utf8(`phalanet/seeded-random/${typeof seed}:${String(seed)}`)));
}
