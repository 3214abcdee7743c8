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
import { BUCKET, bucketOf, byteString, checkDepth, DEFAULT_STATE_TREE_DEPTH, emptyLevels, NODE, record, stringBytes } from './stateTreeHashing';

export { DEFAULT_STATE_TREE_DEPTH, emptyStateRoot } from './stateTreeHashing';


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

/**
 * Per-bucket maps from the key to a record `leaf hash (32) ‖ value`, both held as byte strings
 * (one char per byte, so string order is byte order). Strings rather than typed arrays: a
 * million small ArrayBuffers make every garbage collection pay per buffer, which would tie the
 * cost of a block to the size of the state — exactly what this structure exists to avoid.
 */
type Bucket = Map<string, string>;
type JournalRecord = readonly [bucket: number, id: string, previous: string | undefined];

class BucketStateTree implements StateTree {
  private journal: JournalRecord[][] = [];

  constructor(
    readonly depth: number,
    private readonly buckets: Array<Bucket | undefined>,
    private count: number,
    private readonly nodes: Uint8Array,
    private readonly dirty: Set<number>,
  ) {}

  get size(): number {
    return this.count;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const rec = this.buckets[bucketOf(key, this.depth)]?.get(byteString(key));
    return rec === undefined ? undefined : stringBytes(rec, 32);
  }

  has(key: Uint8Array): boolean {
    return this.buckets[bucketOf(key, this.depth)]?.has(byteString(key)) ?? false;
  }

  set(key: Uint8Array, value: Uint8Array): void {
    const bucket = bucketOf(key, this.depth);
    this.put(bucket, byteString(key), record(key, value));
  }

  delete(key: Uint8Array): boolean {
    const bucket = bucketOf(key, this.depth);
    const id = byteString(key);
    if (!this.buckets[bucket]?.has(id)) return false;
    this.put(bucket, id, undefined);
    return true;
  }

  private put(bucket: number, id: string, next: string | undefined): void {
    const previous = this.apply(bucket, id, next);
    this.journal.at(-1)?.push([bucket, id, previous]);
  }

  /** Write or remove one record; returns the record it replaced. */
  private apply(bucket: number, id: string, next: string | undefined): string | undefined {
    let members = this.buckets[bucket];
    const previous = members?.get(id);
    if (next !== undefined) {
      if (!members) this.buckets[bucket] = members = new Map();
      members.set(id, next);
      if (previous === undefined) this.count++;
    } else if (previous !== undefined && members) {
      members.delete(id);
      this.count--;
      if (members.size === 0) this.buckets[bucket] = undefined;
    }
    this.dirty.add(bucket);
    return previous;
  }

  root(): Uint8Array {
    if (this.dirty.size > 0) this.rehashDirty();
    return this.nodes.slice(32, 64);
  }

  private rehashDirty(): void {
    const width = 1 << this.depth;
    const dirty = [...this.dirty].sort((x, y) => x - y);
    this.dirty.clear();
    for (const b of dirty) this.nodes.set(this.bucketHash(b), (width + b) * 32);
    // heap layout: node i's children 2i, 2i+1 are adjacent, so H(0x01 ‖ left ‖ right) hashes one copied slice
    const scratch = new Uint8Array(65);
    scratch[0] = NODE[0]!;
    let level = dirty.map((b) => width + b);
    while (level[0] !== 1) {
      const parents: number[] = [];
      for (const child of level) {
        const i = child >> 1;
        if (parents[parents.length - 1] === i) continue;
        parents.push(i);
        scratch.set(this.nodes.subarray(2 * i * 32, 2 * i * 32 + 64), 1);
        this.nodes.set(blake2b256(scratch), i * 32);
      }
      level = parents;
    }
  }

  private bucketHash(bucket: number): Uint8Array {
    const members = this.buckets[bucket];
    if (!members || members.size === 0) return emptyLevels(this.depth)[0]!;
    const ids = [...members.keys()].sort();
    const data = new Uint8Array(1 + 32 * ids.length);
    data[0] = BUCKET[0]!;
    let at = 1;
    for (const id of ids) {
      const rec = members.get(id)!;
      for (let i = 0; i < 32; i++) data[at++] = rec.charCodeAt(i);
    }
    return blake2b256(data);
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
      const [bucket, id, previous] = top[i]!;
      this.apply(bucket, id, previous);
    }
  }

  clone(): StateTree {
    if (this.journal.length > 0) throw new Error('state tree: clone inside a transaction');
    // records are never mutated in place, so sharing them between copies is safe
    const buckets = this.buckets.map((m) => (m ? new Map(m) : undefined));
    return new BucketStateTree(this.depth, buckets, this.count, this.nodes.slice(), new Set(this.dirty));
  }

  entries(): Array<[Uint8Array, Uint8Array]> {
    const all: Array<[string, string]> = [];
    for (const m of this.buckets) if (m) for (const e of m) all.push(e);
    all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return all.map(([id, rec]) => [stringBytes(id), stringBytes(rec, 32)]);
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
  return new BucketStateTree(depth, new Array<Bucket | undefined>(1 << depth).fill(undefined), 0, nodes, new Set());
}

/** A state tree holding `entries` (later duplicates win). */
export function stateTreeFromEntries(entries: Iterable<readonly [Uint8Array, Uint8Array]>, options: { depth?: number } = {}): StateTree {
  const tree = createStateTree(options);
  for (const [k, v] of entries) tree.set(k, v);
  return tree;
}
