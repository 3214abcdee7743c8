import { Bytes, str, u32 } from 'scale-ts';
import fc from 'fast-check';
import { Storage, storageMap, storageValue } from './storage';

const Balances = storageMap('Test', 'Balances', str, u32);
const Counter = storageValue('Test', 'Counter', u32, 7);
const Blobs = storageMap('Test', 'Blobs', u32, Bytes());

describe('Storage', () => {
  it('reads what it wrote, with defaults for unset values', () => {
    const s = new Storage();
    expect(Counter.get(s)).toBe(7);
    Counter.set(s, 9);
    Balances.set(s, 'alice', 10);
    expect(Counter.get(s)).toBe(9);
    expect(Balances.get(s, 'alice')).toBe(10);
    expect(Balances.get(s, 'bob')).toBeUndefined();
    Counter.reset(s);
    expect(Counter.get(s)).toBe(7);
  });

  it('rolls back a transaction and keeps a committed one', () => {
    const s = new Storage();
    Balances.set(s, 'alice', 1);
    s.begin();
    Balances.set(s, 'alice', 2);
    Balances.remove(s, 'alice');
    expect(Balances.has(s, 'alice')).toBe(false);
    s.rollback();
    expect(Balances.get(s, 'alice')).toBe(1);
    s.begin();
    s.begin();
    Balances.set(s, 'bob', 5);
    s.commit();
    expect(Balances.get(s, 'bob')).toBe(5);
    s.rollback();
    expect(Balances.get(s, 'bob')).toBeUndefined();
  });

  it('iterates entries in encoded-key order, overlay included', () => {
    const s = new Storage();
    for (const k of [3, 1, 2]) Blobs.set(s, k, new Uint8Array([k]));
    s.begin();
    Blobs.remove(s, 2);
    Blobs.set(s, 0, new Uint8Array([0]));
    expect(Blobs.entries(s).map(([k]) => k)).toEqual([0, 1, 3]);
  });

  it('reports each committed change once, and none for a rolled-back one', () => {
    const s = new Storage();
    Balances.set(s, 'alice', 1);
    Counter.set(s, 1);
    expect(s.drainChanges()).toHaveLength(2);
    expect(s.drainChanges()).toHaveLength(0);
    s.begin();
    Balances.set(s, 'carol', 3);
    s.rollback();
    expect(s.drainChanges()).toHaveLength(0);
    Balances.remove(s, 'alice');
    const [change] = s.drainChanges();
    expect(change?.value).toBeUndefined();
    expect(() => {
      s.begin();
      s.drainChanges();
    }).toThrow(/open transaction/);
  });

  it('tells a watcher the keys of committed writes to its item only', () => {
    const s = new Storage();
    const watched = s.watch(Balances.def);
    s.begin();
    Balances.set(s, 'carol', 3);
    s.rollback();
    Counter.set(s, 2);
    expect([...watched]).toEqual([]);
    s.begin();
    Balances.set(s, 'alice', 1);
    Balances.remove(s, 'bob');
    s.commit();
    expect([...watched].sort()).toEqual([Balances.keyId('alice'), Balances.keyId('bob')].sort());
    watched.clear();
    Balances.set(s, 'alice', 2);
    expect([...watched]).toEqual([Balances.keyId('alice')]);
  });

  it('commit and rollback without a transaction are bugs', () => {
    const s = new Storage();
    expect(() => s.commit()).toThrow();
    expect(() => s.rollback()).toThrow();
  });

  it('committed state equals the same writes applied without transactions (property)', () => {
    type Op = { k: number; v: number | null; tx: 'none' | 'commit' | 'rollback' };
    const op = fc.record({ k: fc.integer({ min: 0, max: 9 }), v: fc.option(fc.integer({ min: 0, max: 99 })), tx: fc.constantFrom('none', 'commit', 'rollback') });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops: Op[]) => {
        const a = new Storage();
        const b = new Storage();
        for (const o of ops) {
          const write = (s: Storage) => (o.v === null ? Blobs.remove(s, o.k) : Blobs.set(s, o.k, new Uint8Array([o.v])));
          if (o.tx !== 'none') a.begin();
          write(a);
          if (o.tx === 'commit') a.commit();
          if (o.tx === 'rollback') a.rollback();
          if (o.tx !== 'rollback') write(b);
        }
        const dump = (s: Storage) => s.allEntries().map((e) => [Buffer.from(e.key).toString('hex'), Buffer.from(e.value!).toString('hex')]).sort();
        expect(dump(a)).toEqual(dump(b));
      }),
    );
  });
});
