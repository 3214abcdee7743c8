/**
 * Runtime storage: typed maps and values over one key-value state, with nested transactional
 * overlays (an extrinsic is all-or-nothing) and dirty-key tracking, so that the state root is
 * updated only for what a block changed (ARCHITECTURE.md §3 "State root").
 *
 * Values are immutable: a pallet never mutates an object it read; it writes a new one with
 * `set`. Keys are SCALE-encoded; iteration is in encoded-key byte order, which is deterministic.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import type { Codec } from 'scale-ts';

const DELETED: unique symbol = Symbol('deleted');
type Slot = readonly [key: unknown, value: unknown] | typeof DELETED;

/** Identity and codecs of one storage item; its `prefix` starts every key in the state root. */
export interface ItemDef {
  readonly id: string;
  readonly prefix: Uint8Array;
  /** SCALE bytes of a stored value, for the state root */
  encodeValue(value: unknown): Uint8Array;
}

const textBytes = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function itemDef(pallet: string, item: string, encodeValue: (v: unknown) => Uint8Array): ItemDef {
  const prefix = new Uint8Array(32);
  prefix.set(blake2b(textBytes(pallet), { dkLen: 16 }), 0);
  prefix.set(blake2b(textBytes(item), { dkLen: 16 }), 16);
  return { id: `${pallet}.${item}`, prefix, encodeValue };
}

/** A change to the committed state, as the state root needs it. */
export interface StateChange {
  readonly key: Uint8Array;
  /** `undefined` = deleted */
  readonly value: Uint8Array | undefined;
}

/**
 * Read access to storage. Deciders get only this: every change goes through an event, whose
 * `evolve` holds the write access, so the state is always the fold of the events.
 */
export interface StorageReader {
  read(def: ItemDef, keyId: string): readonly [unknown, unknown] | undefined;
  entries(def: ItemDef): (readonly [unknown, unknown])[];
}

/** The runtime state with its transaction stack. */
export class Storage implements StorageReader {
  private readonly base = new Map<string, Map<string, readonly [unknown, unknown]>>();
  private readonly layers: Map<string, Map<string, Slot>>[] = [];
  private readonly defs = new Map<string, ItemDef>();
  private dirty = new Map<string, Set<string>>();
  private readonly watchers = new Map<string, Set<string>[]>();

  /**
   * From now on, the key ids of every committed write to `def` are added to the returned set; the
   * watcher reads and clears it when it likes. For read models that follow a large map one block at
   * a time without scanning it (a 20,000-session tally, for instance).
   */
  watch(def: ItemDef): Set<string> {
    const changed = new Set<string>();
    const list = this.watchers.get(def.id);
    if (list === undefined) this.watchers.set(def.id, [changed]);
    else list.push(changed);
    return changed;
  }

  /** Opens a nested transaction; every write until `commit`/`rollback` belongs to it. */
  begin(): void {
    this.layers.push(new Map());
  }

  /** Folds the innermost transaction into its parent (or into the committed state). */
  commit(): void {
    const top = this.layers.pop();
    if (top === undefined) throw new Error('Storage.commit without an open transaction');
    for (const [id, slots] of top) for (const [k, slot] of slots) this.write(id, k, slot);
  }

  /** Discards the innermost transaction. */
  rollback(): void {
    if (this.layers.pop() === undefined) throw new Error('Storage.rollback without an open transaction');
  }

  /** Number of open transactions (0 = writes go straight to the committed state). */
  get depth(): number {
    return this.layers.length;
  }

  read(def: ItemDef, keyId: string): readonly [unknown, unknown] | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const slot = this.layers[i]!.get(def.id)?.get(keyId);
      if (slot !== undefined) return slot === DELETED ? undefined : slot;
    }
    return this.base.get(def.id)?.get(keyId);
  }

  put(def: ItemDef, keyId: string, key: unknown, value: unknown): void {
    this.defs.set(def.id, def);
    this.write(def.id, keyId, [key, value]);
  }

  remove(def: ItemDef, keyId: string): void {
    this.defs.set(def.id, def);
    this.write(def.id, keyId, DELETED);
  }

  /** Every live entry of one item, sorted by encoded key. Costs O(n log n): keep it off hot paths. */
  entries(def: ItemDef): (readonly [unknown, unknown])[] {
    const merged = new Map<string, Slot>(this.base.get(def.id) ?? []);
    for (const layer of this.layers) for (const [k, slot] of layer.get(def.id) ?? []) merged.set(k, slot);
    const keys = [...merged.keys()].sort();
    const out: (readonly [unknown, unknown])[] = [];
    for (const k of keys) {
      const slot = merged.get(k)!;
      if (slot !== DELETED) out.push(slot);
    }
    return out;
  }

  /** Committed changes since the last call, as state-root updates, in key order. */
  drainChanges(): StateChange[] {
    if (this.layers.length > 0) throw new Error('Storage.drainChanges with an open transaction');
    const changes: StateChange[] = [];
    for (const [id, keys] of [...this.dirty].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const def = this.defs.get(id)!;
      for (const keyId of [...keys].sort()) {
        const key = concat(def.prefix, Buffer.from(keyId, 'hex'));
        const entry = this.base.get(id)?.get(keyId);
        changes.push({ key, value: entry === undefined ? undefined : def.encodeValue(entry[1]) });
      }
    }
    this.dirty = new Map();
    return changes;
  }

  /** Every committed entry as state-root input (for a from-scratch root). */
  allEntries(): StateChange[] {
    if (this.layers.length > 0) throw new Error('Storage.allEntries with an open transaction');
    const out: StateChange[] = [];
    for (const [id, entries] of this.base) {
      const def = this.defs.get(id)!;
      for (const [keyId, entry] of entries) {
        out.push({ key: concat(def.prefix, Buffer.from(keyId, 'hex')), value: def.encodeValue(entry[1]) });
      }
    }
    return out;
  }

  private write(id: string, keyId: string, slot: Slot): void {
    const top = this.layers[this.layers.length - 1];
    if (top !== undefined) {
      let m = top.get(id);
      if (m === undefined) top.set(id, (m = new Map()));
      m.set(keyId, slot);
      return;
    }
    let m = this.base.get(id);
    if (m === undefined) this.base.set(id, (m = new Map()));
    if (slot === DELETED) m.delete(keyId);
    else m.set(keyId, slot);
    let d = this.dirty.get(id);
    if (d === undefined) this.dirty.set(id, (d = new Set()));
    d.add(keyId);
    const watching = this.watchers.get(id);
    if (watching !== undefined) for (const w of watching) w.add(keyId);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A typed storage map (Substrate `StorageMap`). */
export interface StorageMap<K, V> {
  readonly def: ItemDef;
  get(s: StorageReader, key: K): V | undefined;
  has(s: StorageReader, key: K): boolean;
  set(s: Storage, key: K, value: V): void;
  remove(s: Storage, key: K): void;
  /** all entries in encoded-key order */
  entries(s: StorageReader): [K, V][];
  /** the key's id in {@link Storage} (hex of its SCALE encoding), as `Storage.watch` reports it */
  keyId(key: K): string;
}

/** Declares a storage map of `pallet` named `item`. */
export function storageMap<K, V>(pallet: string, item: string, keyCodec: Codec<K>, valueCodec: Codec<V>): StorageMap<K, V> {
  const def = itemDef(pallet, item, (v) => valueCodec.enc(v as V));
  const id = (k: K) => hex(keyCodec.enc(k));
  return {
    def,
    get: (s, k) => s.read(def, id(k))?.[1] as V | undefined,
    has: (s, k) => s.read(def, id(k)) !== undefined,
    set: (s, k, v) => s.put(def, id(k), k, v),
    remove: (s, k) => s.remove(def, id(k)),
    entries: (s) => s.entries(def).map(([k, v]) => [k as K, v as V]),
    keyId: id,
  };
}

/** A typed single value with a default (Substrate `StorageValue` with `ValueQuery`). */
export interface StorageValue<V> {
  readonly def: ItemDef;
  get(s: StorageReader): V;
  set(s: Storage, value: V): void;
  /** back to the default (removes the entry) */
  reset(s: Storage): void;
}

/** Declares a storage value of `pallet` named `item`, read as `fallback` when unset. */
export function storageValue<V>(pallet: string, item: string, codec: Codec<V>, fallback: V): StorageValue<V> {
  const def = itemDef(pallet, item, (v) => codec.enc(v as V));
  return {
    def,
    get: (s) => {
      const e = s.read(def, '');
      return e === undefined ? fallback : (e[1] as V);
    },
    set: (s, v) => s.put(def, '', undefined, v),
    reset: (s) => s.remove(def, ''),
  };
}
