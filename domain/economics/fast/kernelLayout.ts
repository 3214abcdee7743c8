/**
 * Memory layout shared by the wasm economics kernel and the engine that drives it:
 * a 64-byte header, then one record per worker slot holding every 8-byte field (the kernel
 * streams through them in one pass: one memory stream, not ten arrays whose equal
 * power-of-two strides made them collide in the same cache sets), then one u32 array per
 * narrow field, indexed by slot.
 */

/** Header: counts written by the kernel and the share sum it accumulates. */
export const HEADER = { offlineCount: 0, recoveredCount: 4, slowCount: 8, hitCount: 12, sumLo: 16, sumHi: 24 } as const;
const HEADER_BYTES = 64;

/**
 * The 8-byte fields, in record order: U64F64 values as two u64 halves (`Lo`, `Hi`), except the
 * squared performance term, kept as its low word and its value as a double (`ccF`): the kernel
 * estimates the share's root in doubles and settles it on low words only.
 */
export const WIDE_FIELDS = ['vLo', 'vHi', 'dedLo', 'dedHi', 'perfLo', 'perfHi', 'costLo', 'costHi', 'ccLo', 'ccF'] as const;
/** The u32 fields and output lists, in array order. */
export const NARROW_FIELDS = ['flags', 'waitFront', 'hashTop', 'offline', 'recovered', 'slow', 'hits'] as const;

/** Per-slot flag bits. */
export const FLAG = {
  working: 1,
  unresponsive: 2,
  heartbeat: 4,
  /** The slot's cached perf/cost/cc are inside the kernel's exact range. */
  fastOk: 8,
  hasWaiting: 16,
  /** Replica `WorkingState::Paused`: not challenged (engine only). */
  paused: 32,
} as const;

/** A challenge hit whose top 32 bits tie with the target: the full 256-bit comparison decides. */
export const HIT_TIE = 0x80000000;

/** What a slot on the slow list still needs (low two bits of the entry). */
export const SLOW_ACTION = { none: 0, idle: 1, slash: 2, shareOnly: 3 } as const;

/** Kernel range limits: beyond them a slot goes to the slow (bigint) path. */
export const LIMIT = { vHi: 1n << 20n, perfHi: 2n, costHi: 1n << 20n, shareInputHi: 1n << 40n } as const;

/** Bytes of one slot's record of 8-byte fields. */
export const RECORD_BYTES = 8 * WIDE_FIELDS.length;

/** Byte offsets for a given slot capacity. */
export interface Layout {
  readonly capacity: number;
  readonly bytes: number;
  /** Byte offset of each 8-byte field of slot 0; slot k's is `RECORD_BYTES · k` further. */
  readonly wide: Record<(typeof WIDE_FIELDS)[number], number>;
  /** Byte offset of each u32 array. */
  readonly narrow: Record<(typeof NARROW_FIELDS)[number], number>;
}

/** Index into a `BigUint64Array`/`Float64Array` view of a slot's 8-byte field. */
export const wideIndex = (layout: Layout, field: (typeof WIDE_FIELDS)[number], slot: number): number =>
  layout.wide[field] / 8 + slot * (RECORD_BYTES / 8);

/** The layout for `capacity` slots. */
export const layoutFor = (capacity: number): Layout => {
  const wide = {} as Record<(typeof WIDE_FIELDS)[number], number>;
  const narrow = {} as Record<(typeof NARROW_FIELDS)[number], number>;
  let at = HEADER_BYTES;
  WIDE_FIELDS.forEach((f, k) => {
    wide[f] = at + 8 * k;
  });
  at += RECORD_BYTES * capacity;
  for (const f of NARROW_FIELDS) {
    narrow[f] = at;
    at += 4 * capacity;
  }
  return { capacity, bytes: at, wide, narrow };
};
