/**
 * Memory layout shared by the wasm economics kernel and the engine that drives it:
 * a 64-byte header, then one array per field, each indexed by worker slot.
 */

/** Header: counts written by the kernel and the share sum it accumulates. */
export const HEADER = { offlineCount: 0, recoveredCount: 4, slowCount: 8, hitCount: 12, sumLo: 16, sumHi: 24 } as const;
const HEADER_BYTES = 64;

/**
 * The 8-byte fields, in array order: U64F64 values as two u64 halves (`Lo`, `Hi`), except the
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
  /** Kernel-internal: pass 1 put the slot on the slow list, so pass 2 skips its share. */
  slowListed: 64,
} as const;

/** A challenge hit whose top 32 bits tie with the target: the full 256-bit comparison decides. */
export const HIT_TIE = 0x80000000;

/** What a slot on the slow list still needs (low two bits of the entry). */
export const SLOW_ACTION = { none: 0, idle: 1, slash: 2, shareOnly: 3 } as const;

/** Kernel range limits: beyond them a slot goes to the slow (bigint) path. */
export const LIMIT = { vHi: 1n << 20n, perfHi: 2n, costHi: 1n << 20n, shareInputHi: 1n << 40n } as const;

/** Byte offsets of every array for a given slot capacity. */
export interface Layout {
  readonly capacity: number;
  readonly bytes: number;
  readonly wide: Record<(typeof WIDE_FIELDS)[number], number>;
  readonly narrow: Record<(typeof NARROW_FIELDS)[number], number>;
}

/** The layout for `capacity` slots. */
export const layoutFor = (capacity: number): Layout => {
  const wide = {} as Record<(typeof WIDE_FIELDS)[number], number>;
  const narrow = {} as Record<(typeof NARROW_FIELDS)[number], number>;
  let at = HEADER_BYTES;
  for (const f of WIDE_FIELDS) {
    wide[f] = at;
    at += 8 * capacity;
  }
  for (const f of NARROW_FIELDS) {
    narrow[f] = at;
    at += 4 * capacity;
  }
  return { capacity, bytes: at, wide, narrow };
};
