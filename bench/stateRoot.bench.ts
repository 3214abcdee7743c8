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

function measure(tree: StateTree, size: number): { setUs: number; rootUs: number } {
  let setMs = 0;
  let rootMs = 0;
  let x = 12345;
  for (let round = 1; round <= ROUNDS; round++) {
    const t0 = performance.now();
    for (let c = 0; c < CHANGES; c++) {
      x = (x * 1103515245 + 12345) >>> 0; // deterministic LCG: which keys change
      const i = x % size;
      if (c % 10 === 0) tree.delete(keyOf(i));
      else tree.set(keyOf(i), valueAt(i, round));
    }
    const t1 = performance.now();
    tree.root();
    const t2 = performance.now();
    setMs += t1 - t0;
    rootMs += t2 - t1;
  }
  return { setUs: (setMs / ROUNDS) * 1000, rootUs: (rootMs / ROUNDS) * 1000 };
}

async function main(): Promise<void> {
  await cryptoWaitReady(); // wasm blake2b, as the composition root does
  const results: Array<{ size: number; buildS: number; setUs: number; rootUs: number }> = [];
  for (const size of [10_000, 1_000_000]) {
    const t0 = performance.now();
    const tree = build(size);
    const buildS = (performance.now() - t0) / 1000;
    measure(tree, size); // warm-up
    const r = { size, buildS, ...measure(tree, size) };
    results.push(r);
    process.stdout.write(
      `entries ${r.size.toString().padStart(9)}  build ${r.buildS.toFixed(1)} s  ` +
        `${CHANGES} writes ${r.setUs.toFixed(0)} µs  root() after ${CHANGES} changes ${r.rootUs.toFixed(0)} µs (mean of ${ROUNDS})\n`,
    );
  }
  const [small, large] = results;
  if (small && large) process.stdout.write(`root() cost ratio 1M / 10k: ${(large.rootUs / small.rootUs).toFixed(2)}\n`);
}

void main();
