/**
 * State root cost per block: `root()` after 100 changed keys, on maps of 10k and 1M entries.
 * The claim under test: the cost tracks the number of changes, not the size of the map.
 * Keys are 32-byte hashes (like storage keys of maps keyed by account), values 64 bytes.
 */
import { performance } from 'node:perf_hooks';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { blake2b256 } from '../domain/codec/hash';
import { createStateTree, type StateTree } from '../domain/stateRoot';

const CHANGES = 100;
const ROUNDS = 200;

function keyOf(i: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, i);
  return blake2b256(b);
}

function valueAt(i: number, round: number): Uint8Array {
  const v = new Uint8Array(64);
  new DataView(v.buffer).setUint32(0, i);
  new DataView(v.buffer).setUint32(4, round);
  return v;
}

function build(size: number): StateTree {
  const tree = createStateTree();
  for (let i = 0; i < size; i++) tree.set(keyOf(i), valueAt(i, 0));
  tree.root();
  return tree;
}

interface Sample {
  size: number;
  tree: StateTree;
  x: number;
  setMs: number;
  rootMs: number;
}

/** One block: CHANGES writes (every tenth a delete) to pseudo-random keys, then root(). */
function block(s: Sample, round: number): void {
  const t0 = performance.now();
  for (let c = 0; c < CHANGES; c++) {
    s.x = (s.x * 1103515245 + 12345) >>> 0; // deterministic LCG: which keys change
    const i = s.x % s.size;
    if (c % 10 === 0) s.tree.delete(keyOf(i));
    else s.tree.set(keyOf(i), valueAt(i, round));
  }
  const t1 = performance.now();
  s.tree.root();
  s.setMs += t1 - t0;
  s.rootMs += performance.now() - t1;
}

async function main(): Promise<void> {
  await cryptoWaitReady(); // wasm blake2b, as the composition root does
  const samples: Sample[] = [];
  for (const size of [10_000, 1_000_000]) {
    const t0 = performance.now();
    const tree = build(size);
    process.stdout.write(`built ${size} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    samples.push({ size, tree, x: 12345, setMs: 0, rootMs: 0 });
  }
  // interleave the two maps block by block, so machine load hits both alike; the first rounds warm up
  for (let round = 1; round <= ROUNDS + 20; round++) {
    if (round === 21) for (const s of samples) s.setMs = s.rootMs = 0;
    for (const s of samples) block(s, round);
  }
  for (const s of samples) {
    process.stdout.write(
      `entries ${s.size.toString().padStart(9)}  ${CHANGES} writes ${((s.setMs / ROUNDS) * 1000).toFixed(0)} µs  ` +
        `root() after ${CHANGES} changes ${((s.rootMs / ROUNDS) * 1000).toFixed(0)} µs (mean of ${ROUNDS} blocks)\n`,
    );
  }
  const [small, large] = samples;
  if (small && large) process.stdout.write(`root() cost ratio 1M / 10k: ${(large.rootMs / small.rootMs).toFixed(2)}\n`);
}

void main();
