/**
 * A small deterministic Random for actor tests (actors/ may not import simulations/seededRandom):
 * mulberry32 over a 32-bit state; `fork(label)` seeds a new stream from (state at creation, label)
 * without consuming numbers from the parent.
 */
import type { Random } from '../../domain/ports/random';

function hashLabel(seed: number, label: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** A seeded Random for tests; not for simulations (use simulations/seededRandom.ts there). */
export function testRandom(seed: number): Random {
  const origin = seed >>> 0;
  let state = origin;
  const nextU32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    nextU32,
    nextInt: (min, max) => min + (nextU32() % (max - min + 1)),
    nextFloat: () => nextU32() / 0x1_0000_0000,
    bytes: (n) => Uint8Array.from({ length: n }, () => nextU32() & 0xff),
    fork: (label) => testRandom(hashLabel(origin, label)),
  };
}
