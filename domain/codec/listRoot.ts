/**
 * Ordered-list Merkle root with inclusion proofs: the RFC 6962 / RFC 9162 tree shape over
 * blake2-256 — leaf = H(0x00 ‖ item), node = H(0x01 ‖ left ‖ right), a list of n > 1 items splits
 * at the largest power of two below n — and the root binds the length:
 *   listRoot = H(0x02 ‖ u32 LE n ‖ tree hash)      (empty list: H(0x02 ‖ 00000000))
 * The prefixes keep a leaf from being read as a node; binding n means a proof's (index, size)
 * cannot be re-labelled (RFC 6962 takes the size from a signed tree head; we only have a root).
 */
import { blake2b256 } from './hash';
import { bytesEqual, u32 } from './scale';

const LEAF = Uint8Array.of(0x00);
const NODE = Uint8Array.of(0x01);
const ROOT = Uint8Array.of(0x02);

function sized(size: number, tree: Uint8Array): Uint8Array {
  return blake2b256(ROOT, u32.enc(size), tree);
}

/** The root of an empty list: H(0x02 ‖ 00000000). */
export const EMPTY_LIST_ROOT: Uint8Array = sized(0, new Uint8Array(0));

/** An inclusion proof: the item's position, the list size, and sibling hashes bottom-up. */
export interface ListProof {
  readonly index: number;
  readonly size: number;
  readonly siblings: readonly Uint8Array[];
}

function leafHash(item: Uint8Array): Uint8Array {
  return blake2b256(LEAF, item);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return blake2b256(NODE, left, right);
}

/** Largest power of two strictly below n (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function subtreeRoot(leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/** Merkle root of an ordered list of byte strings (extrinsics, events, outbound messages). */
export function listRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return EMPTY_LIST_ROOT.slice();
  return sized(items.length, subtreeRoot(items.map(leafHash), 0, items.length));
}

/** The proof that `items[index]` is in the list with root `listRoot(items)`. */
export function listProof(items: readonly Uint8Array[], index: number): ListProof {
  if (!Number.isInteger(index) || index < 0 || index >= items.length) {
    throw new RangeError(`list proof index ${index} outside a list of ${items.length}`);
  }
  const leaves = items.map(leafHash);
  const siblings: Uint8Array[] = [];
  const path = (m: number, from: number, to: number): void => {
    const n = to - from;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, from, from + k);
      siblings.push(subtreeRoot(leaves, from + k, to));
    } else {
      path(m - k, from + k, to);
      siblings.push(subtreeRoot(leaves, from, from + k));
    }
  };
  path(index, 0, items.length);
  return { index, size: items.length, siblings };
}

/** Check that `item` sits at `proof.index` of a list of `proof.size` items whose root is `root` (RFC 9162 §2.1.3.2). */
export function verifyListProof(root: Uint8Array, item: Uint8Array, proof: ListProof): boolean {
  const { index, size, siblings } = proof;
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(item);
  for (const p of siblings) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && size <= 0xffffffff && bytesEqual(sized(size, r), root);
}
