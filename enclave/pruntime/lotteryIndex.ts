/**
 * The heartbeat lottery over many workers (DOMAIN.md §5.5), data-oriented: every worker's
 * `hashed_id` is stored once as 8 u32 words; the challengeable ones (registered, computing, not
 * Paused) are kept in a dense list, so a challenge is one tight loop over that list with no
 * allocation per worker, and an idle worker costs nothing.
 */
import { writeU256Words, xorLessOrEqual } from './u256Words';

const WORDS = 8;

/** Hashes by worker index, and which indices a challenge may hit. */
export interface LotteryIndex {
  /** stores the hash of worker `index` (indices are added in order 0, 1, 2 …) */
  add(index: number, pubkeyHash: bigint): void;
  /** puts worker `index` in or out of the challengeable list */
  setChallengeable(index: number, challengeable: boolean): void;
  /** ascending indices of the challengeable workers with `hash XOR seed ≤ target` */
  hits(seed: bigint, onlineTarget: bigint): number[];
}

/** An empty index. */
export function createLotteryIndex(): LotteryIndex {
  let hashWords = new Uint32Array(64 * WORDS);
  let dense = new Int32Array(64);
  // slot of worker i in `dense`, or −1
  let position = new Int32Array(64).fill(-1);
  let count = 0;
  const seedWords = new Uint32Array(WORDS);
  const targetWords = new Uint32Array(WORDS);

  const grow = (n: number): void => {
    if (n <= position.length) return;
    const cap = Math.max(n, position.length * 2);
    const words = new Uint32Array(cap * WORDS);
    words.set(hashWords);
    hashWords = words;
    const d = new Int32Array(cap);
    d.set(dense);
    dense = d;
    const p = new Int32Array(cap).fill(-1);
    p.set(position);
    position = p;
  };

  return {
    add(index, pubkeyHash) {
      grow(index + 1);
      writeU256Words(pubkeyHash, hashWords, index * WORDS);
    },
    setChallengeable(index, challengeable) {
      const slot = position[index]!;
      if (challengeable && slot < 0) {
        dense[count] = index;
        position[index] = count++;
      } else if (!challengeable && slot >= 0) {
        // swap-remove: the list's order is history-dependent, so `hits` sorts its (few) results
        const last = dense[--count]!;
        dense[slot] = last;
        position[last] = slot;
        position[index] = -1;
      }
    },
    hits(seed, onlineTarget) {
      writeU256Words(seed, seedWords, 0);
      writeU256Words(onlineTarget, targetWords, 0);
      const hit: number[] = [];
      const seed0 = seedWords[0]!;
      const target0 = targetWords[0]!;
      for (let s = 0; s < count; s++) {
        const i = dense[s]!;
        // the top word decides for all but ~2^-32 of the workers; the rest compare in full
        const x0 = (hashWords[i * WORDS]! ^ seed0) >>> 0;
        if (x0 < target0 || (x0 === target0 && xorLessOrEqual(hashWords, i * WORDS, seedWords, targetWords))) hit.push(i);
      }
      return hit.sort((a, b) => a - b);
    },
  };
}
