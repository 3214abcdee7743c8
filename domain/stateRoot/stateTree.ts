/**
 * The state root: a commitment to a byte-key → byte-value map whose per-block update cost is
 * proportional to the number of changed keys, not to the size of the map.
 *
 * Shape: a fixed-depth binary Merkle tree over 2^depth buckets. A key lives in the bucket named by
 * the first bits of blake2_256(key) (so buckets stay balanced whatever the keys look like).
 *   leaf(key, value) = H(0x00 ‖ compact(len key) ‖ key ‖ value)        — cached per entry
 *   bucket           = H(0x02 ‖ leaf hashes in ascending key order)     — empty bucket = H(0x02)
 *   node             = H(0x01 ‖ left ‖ right)
 * `root()` rehashes only the dirty buckets and the paths above them (depth hashes each), so a
 * block that touches c keys costs about c·(depth + 2) hashes on a map of any size. The root depends
 * only on the final contents; `rollback()` undoes a transaction from a journal, for per-extrinsic
 * atomicity.
 */
import { blake2b256 } from '../codec/hash';
import { toHexPlain } from '../codec/hex';
import { compactBigint } from '../codec/scale';

/** Default tree depth: 65,536 buckets (≈15 entries per bucket at a million keys). */
export const DEFAULT_STATE_TREE_DEPTH = 16;

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);
const BUCKET = Uint8Array.of(0x02);

/** A key-value map with an incrementally maintained Merkle root. */
export interface StateTree {
  readonly depth: number;
  /** Number of keys. */
  readonly size: number;
  get(key: Uint8Array): Uint8Array | undefined;
  has(key: Uint8Array): boolean;
  set(key: Uint8Array, value: Uint8Array): void;
  /** Returns whether the key was present. */
  delete(key: Uint8Array): boolean;
  /** The commitment; recomputes only what changed since the last call. */
  root(): Uint8Array;
  /** Open a (nestable) transaction. */
  begin(): void;
  /** Keep the innermost transaction's changes (folding them into the enclosing one, if any). */
  commit(): void;
  /** Undo the innermost transaction's changes. */
  rollback(): void;
  /** An independent copy (O(size)); not allowed inside a transaction. */
  clone(): StateTree;
  /** All entries in ascending key order. */
  entries(): Array<[Uint8Array, Uint8Array]>;
}

interface Entry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  readonly leaf: Uint8Array;
  readonly bucket: number;
}

type JournalRecord = readonly [id: string, previous: Entry | undefined];

/** The root of an empty map at `depth`, a fixed constant per depth. */
export function emptyStateRoot(depth = DEFAULT_STATE_TREE_DEPTH): Uint8Array {
  return emptyLevels(depth)[depth]!.slice();
}

const emptyLevelCache = new Map<number, Uint8Array[]>();

function emptyLevels(depth: number): Uint8Array[] {
  const cached = emptyLevelCache.get(depth);
  if (cached) return cached;
  const levels = [blake2b256(BUCKET)];
  for (let d = 1; d <= depth; d++) levels.push(blake2b256(NODE, levels[d - 1]!, levels[d - 1]!));
  emptyLevelCache.set(depth, levels);
  return levels;
}

function checkDepth(depth: number): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > 24) throw new RangeError(`state tree depth must be 1..24, got ${depth}`);
  return depth;
}

function bucketOf(key: Uint8Array, depth: number): number {
  const h = blake2b256(key);
  return ((h[0]! << 16) | (h[1]! << 8) | h[2]!) >>> (24 - depth);
}

function leafHash(key: Uint8Array, value: Uint8Array): Uint8Array {
  return blake2b256(LEAF, compactBigint.enc(BigInt(key.length)), key, value);
}

class BucketStateTree implements StateTree {
  private journal: JournalRecord[][] = [];

  constructor(
    readonly depth: number,
    private readonly byId: Map<string, Entry>,
    private readonly buckets: Map<number, Set<string>>,
    private readonly nodes: Uint8Array,
    private readonly dirty: Set<number>,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.byId.get(toHexPlain(key))?.value.slice();
  }

  has(key: Uint8Array): boolean {
    return this.byId.has(toHexPlain(key));
  }

  set(key: Uint8Array, value: Uint8Array): void {
    const id = toHexPlain(key);
    const previous = this.byId.get(id);
    const bucket = previous?.bucket ?? bucketOf(key, this.depth);
    const k = key.slice();
    const v = value.slice();
    this.put(id, { key: k, value: v, leaf: leafHash(k, v), bucket }, previous);
  }

  delete(key: Uint8Array): boolean {
    const id = toHexPlain(key);
    const previous = this.byId.get(id);
    if (!previous) return false;
    this.put(id, undefined, previous);
    return true;
  }

  private put(id: string, next: Entry | undefined, previous: Entry | undefined): void {
    this.journal.at(-1)?.push([id, previous]);
    this.apply(id, next, previous);
  }

  private apply(id: string, next: Entry | undefined, previous: Entry | undefined): void {
    const bucket = (next ?? previous)?.bucket;
    if (bucket === undefined) return;
    if (next) {
      this.byId.set(id, next);
      let members = this.buckets.get(bucket);
      if (!members) this.buckets.set(bucket, (members = new Set()));
      members.add(id);
    } else {
      this.byId.delete(id);
      const members = this.buckets.get(bucket);
      members?.delete(id);
      if (members?.size === 0) this.buckets.delete(bucket);
    }
    this.dirty.add(bucket);
  }

  root(): Uint8Array {
    if (this.dirty.size > 0) this.rehashDirty();
    return this.nodes.slice(32, 64);
  }

  private rehashDirty(): void {
    const width = 1 << this.depth;
    let level = new Set<number>();
    for (const b of this.dirty) {
      this.nodes.set(this.bucketHash(b), (width + b) * 32);
      level.add((width + b) >> 1);
    }
    this.dirty.clear();
    while (level.size > 0) {
      const next = new Set<number>();
      for (const i of level) {
        const left = this.nodes.subarray(2 * i * 32, (2 * i + 1) * 32);
        const right = this.nodes.subarray((2 * i + 1) * 32, (2 * i + 2) * 32);
        this.nodes.set(blake2b256(NODE, left, right), i * 32);
        if (i > 1) next.add(i >> 1);
      }
      level = next;
    }
  }

  private bucketHash(bucket: number): Uint8Array {
    const members = this.buckets.get(bucket);
    if (!members || members.size === 0) return emptyLevels(this.depth)[0]!;
    const ids = [...members].sort();
    const parts: Uint8Array[] = [BUCKET];
    for (const id of ids) parts.push(this.byId.get(id)!.leaf);
    return blake2b256(...parts);
  }

  begin(): void {
    this.journal.push([]);
  }

  commit(): void {
    const top = this.journal.pop();
    if (!top) throw new Error('state tree: commit without begin');
    this.journal.at(-1)?.push(...top);
  }

  rollback(): void {
    const top = this.journal.pop();
    if (!top) throw new Error('state tree: rollback without begin');
    for (let i = top.length - 1; i >= 0; i--) {
      const [id, previous] = top[i]!;
      this.apply(id, previous, this.byId.get(id));
    }
  }

  clone(): StateTree {
    if (this.journal.length > 0) throw new Error('state tree: clone inside a transaction');
    const buckets = new Map<number, Set<string>>();
    for (const [b, members] of this.buckets) buckets.set(b, new Set(members));
    return new BucketStateTree(this.depth, new Map(this.byId), buckets, this.nodes.slice(), new Set(this.dirty));
  }

  entries(): Array<[Uint8Array, Uint8Array]> {
    return [...this.byId.keys()].sort().map((id) => {
      const e = this.byId.get(id)!;
      return [e.key.slice(), e.value.slice()];
    });
  }
}

/** An empty state tree of `depth` (1..24) levels. */
export function createStateTree(options: { depth?: number } = {}): StateTree {
  const depth = checkDepth(options.depth ?? DEFAULT_STATE_TREE_DEPTH);
  const levels = emptyLevels(depth);
  const nodes = new Uint8Array((1 << (depth + 1)) * 32);
  for (let d = 0; d <= depth; d++) {
    // nodes at height d occupy heap indices [2^(depth-d), 2^(depth-d+1))
    const from = 1 << (depth - d);
    for (let i = from; i < 2 * from; i++) nodes.set(levels[d]!, i * 32);
  }
  return new BucketStateTree(depth, new Map(), new Map(), nodes, new Set());
}

/** A state tree holding `entries` (later duplicates win). */
export function stateTreeFromEntries(entries: Iterable<readonly [Uint8Array, Uint8Array]>, options: { depth?: number } = {}): StateTree {
  const tree = createStateTree(options);
  for (const [k, v] of entries) tree.set(k, v);
  return tree;
}
