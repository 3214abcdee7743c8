import fc from 'fast-check';
import { blake2b256 } from '../codec/hash';
import { compactBigint } from '../codec/scale';
import { toHexPlain } from '../codec/hex';
import { createStateTree, emptyStateRoot, type StateTree, stateTreeFromEntries } from './stateTree';

const DEPTH = 4; // small, so buckets hold several keys and collisions are exercised

/** An independent from-scratch computation of the documented commitment. */
function referenceRoot(map: Map<string, Uint8Array>, depth: number): string {
  const buckets: Array<Array<[string, Uint8Array]>> = Array.from({ length: 1 << depth }, () => []);
  for (const [id, value] of map) {
    const key = Uint8Array.from(Buffer.from(id, 'hex'));
    const h = blake2b256(key);
    const index = ((h[0]! << 16) | (h[1]! << 8) | h[2]!) >>> (24 - depth);
    buckets[index]!.push([id, blake2b256(Uint8Array.of(0), compactBigint.enc(BigInt(key.length)), key, value)]);
  }
  let level = buckets.map((entries) => blake2b256(Uint8Array.of(2), ...entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, leaf]) => leaf)));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(blake2b256(Uint8Array.of(1), level[i]!, level[i + 1]!));
    level = next;
  }
  return toHexPlain(level[0]!);
}

type Op = { kind: 'set'; key: Uint8Array; value: Uint8Array } | { kind: 'delete'; key: Uint8Array };
const key = fc.uint8Array({ minLength: 0, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.uint8Array({ maxLength: 6 }) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

function apply(tree: StateTree, model: Map<string, Uint8Array>, o: Op): void {
  if (o.kind === 'set') {
    tree.set(o.key, o.value);
    model.set(toHexPlain(o.key), o.value);
  } else {
    expect(tree.delete(o.key)).toBe(model.delete(toHexPlain(o.key)));
  }
}

describe('state tree', () => {
  it('has a fixed empty root', () => {
    expect(toHexPlain(createStateTree().root())).toBe(toHexPlain(emptyStateRoot()));
    expect(toHexPlain(createStateTree({ depth: DEPTH }).root())).toBe(referenceRoot(new Map(), DEPTH));
    expect(toHexPlain(emptyStateRoot(DEPTH))).not.toBe(toHexPlain(emptyStateRoot()));
  });

  it('incremental roots equal a from-scratch computation after every batch', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 12 }), { maxLength: 6 }), (batches) => {
        const tree = createStateTree({ depth: DEPTH });
        const model = new Map<string, Uint8Array>();
        for (const batch of batches) {
          for (const o of batch) apply(tree, model, o);
          expect(toHexPlain(tree.root())).toBe(referenceRoot(model, DEPTH));
          expect(tree.size).toBe(model.size);
        }
      }),
    );
  });

  it('depends only on the final contents, whatever the order of writes and deletes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), fc.nat(), (ops, seed) => {
        const tree = createStateTree({ depth: DEPTH });
        const model = new Map<string, Uint8Array>();
        for (const o of ops) apply(tree, model, o);
        const entries = [...model.entries()].map(([id, v]) => [Uint8Array.from(Buffer.from(id, 'hex')), v] as const);
        const shuffled = [...entries].sort((a, b) => ((toHexPlain(a[0]).length * 7 + seed) % 5) - ((toHexPlain(b[0]).length * 3 + seed) % 5));
        expect(toHexPlain(stateTreeFromEntries(shuffled, { depth: DEPTH }).root())).toBe(toHexPlain(tree.root()));
        expect(tree.entries().map(([k]) => toHexPlain(k))).toEqual([...model.keys()].sort());
      }),
    );
  });

  it('rolls back a transaction exactly, and commits nest', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 15 }), fc.array(op, { maxLength: 15 }), fc.array(op, { maxLength: 8 }), (base, inner, outer) => {
        const tree = createStateTree({ depth: DEPTH });
        const model = new Map<string, Uint8Array>();
        for (const o of base) apply(tree, model, o);
        const before = toHexPlain(tree.root());
        const scratch = new Map(model);
        tree.begin();
        for (const o of outer) apply(tree, scratch, o);
        tree.begin();
        for (const o of inner) apply(tree, scratch, o);
        tree.commit();
        tree.root();
        tree.rollback();
        expect(toHexPlain(tree.root())).toBe(before);
        expect(tree.size).toBe(model.size);
      }),
    );
  });

  it('rolls back only the innermost transaction', () => {
    const tree = createStateTree({ depth: DEPTH });
    tree.begin();
    tree.set(Uint8Array.of(1), Uint8Array.of(1));
    tree.begin();
    tree.set(Uint8Array.of(2), Uint8Array.of(2));
    tree.delete(Uint8Array.of(1));
    tree.rollback();
    tree.commit();
    expect(tree.entries()).toEqual([[Uint8Array.of(1), Uint8Array.of(1)]]);
    expect(toHexPlain(tree.root())).toBe(toHexPlain(stateTreeFromEntries([[Uint8Array.of(1), Uint8Array.of(1)]], { depth: DEPTH }).root()));
  });

  it('keeps a clone independent of its original', () => {
    const tree = stateTreeFromEntries([[Uint8Array.of(1), Uint8Array.of(1)]]);
    const snapshot = tree.clone();
    const root = toHexPlain(snapshot.root());
    tree.set(Uint8Array.of(2), Uint8Array.of(2));
    tree.root();
    expect(toHexPlain(snapshot.root())).toBe(root);
    expect(snapshot.get(Uint8Array.of(2))).toBeUndefined();
    tree.begin();
    expect(() => tree.clone()).toThrow(/transaction/);
    tree.commit();
    expect(() => tree.commit()).toThrow(/without begin/);
  });

  it('copies values in and out, so callers cannot mutate the committed state', () => {
    const tree = createStateTree({ depth: DEPTH });
    const v = Uint8Array.of(1);
    tree.set(Uint8Array.of(9), v);
    const root = toHexPlain(tree.root());
    v[0] = 2;
    tree.get(Uint8Array.of(9))![0] = 3;
    expect(tree.get(Uint8Array.of(9))).toEqual(Uint8Array.of(1));
    expect(toHexPlain(tree.root())).toBe(root);
  });
});
