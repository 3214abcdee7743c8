import { workerPubkeyHash } from '../challenge';
import type { TokenomicParameters } from '../tokenomicParameters';
import { confScore, FP_2, ONE } from './fixedBits';
import { copySlots, createKernel, type KernelInstance } from './kernelInstance';
import { FLAG, LIMIT, wideIndex } from './kernelLayout';

/**
 * The fast engine's worker table: a struct of arrays indexed by slot. The fields the
 * per-block kernel touches (V, V_deductible, the cached perf multiplier, idle cost and
 * squared performance term, flags, first awaited challenge) live in the kernel's wasm
 * memory; the fields only heartbeats and session changes touch stay in JS arrays.
 */
export interface FastStore {
  kernel: KernelInstance;
  count: number;
  readonly index: Map<string, number>;
  readonly pubkeys: string[];
  readonly hashed: bigint[];
  readonly sessionId: number[];
  readonly confidenceLevel: number[];
  readonly pBench: bigint[];
  readonly pInstant: bigint[];
  readonly contractRunning: boolean[];
  readonly challengeTimeLastMs: number[];
  readonly iterationLast: bigint[];
  readonly vUpdateBlock: number[];
  readonly waiting: number[][];
  /** the slots with at least one heartbeat owed (kept by `syncWaitFront`) */
  readonly owing: Set<number>;
}

/** A U64F64 field stored as two u64 halves. */
export type WideField = 'v' | 'ded' | 'perf' | 'cost';

const MASK64 = (1n << 64n) - 1n;
const MAX128 = (1n << 128n) - 1n;

/** An empty table with room for `capacity` slots (it grows by doubling). */
export const createStore = (capacity = 1024): FastStore => ({
  kernel: createKernel(capacity),
  count: 0,
  index: new Map(),
  pubkeys: [],
  hashed: [],
  sessionId: [],
  confidenceLevel: [],
  pBench: [],
  pInstant: [],
  contractRunning: [],
  challengeTimeLastMs: [],
  iterationLast: [],
  vUpdateBlock: [],
  waiting: [],
  owing: new Set(),
});

// The halves' names, spelled out: a template literal per access built a string on every heartbeat.
const LO = { v: 'vLo', ded: 'dedLo', perf: 'perfLo', cost: 'costLo' } as const;
const HI = { v: 'vHi', ded: 'dedHi', perf: 'perfHi', cost: 'costHi' } as const;

/** Reads a U64F64 field of a slot. */
export const readWide = (st: FastStore, field: WideField, slot: number): bigint => {
  const y = st.kernel.layout;
  const lo = st.kernel.u64[wideIndex(y, LO[field], slot)]!;
  const hi = st.kernel.u64[wideIndex(y, HI[field], slot)]!;
  return (hi << 64n) | lo;
};

/** Writes a U64F64 field of a slot (checked arithmetic upstream keeps it in range; this asserts it). */
export const writeWide = (st: FastStore, field: WideField, slot: number, value: bigint): void => {
  if (value < 0n || value > MAX128) throw new RangeError(`fast economics: ${field} ${value} is not U64F64 bits`);
  const y = st.kernel.layout;
  st.kernel.u64[wideIndex(y, LO[field], slot)] = value & MASK64;
  st.kernel.u64[wideIndex(y, HI[field], slot)] = value >> 64n;
};

/** Flags of a slot. */
export const flagsOf = (st: FastStore, slot: number): number => st.kernel.u32[st.kernel.layout.narrow.flags / 4 + slot]!;

/** Sets and clears flag bits of a slot. */
export const setFlags = (st: FastStore, slot: number, on: number, off = 0): void => {
  const at = st.kernel.layout.narrow.flags / 4 + slot;
  st.kernel.u32[at] = (st.kernel.u32[at]! & ~off) | on;
};

/** Mirrors the front of a slot's heartbeat FIFO into the kernel's arrays. */
export const syncWaitFront = (st: FastStore, slot: number): void => {
  const q = st.waiting[slot]!;
  if (q.length === 0) {
    setFlags(st, slot, 0, FLAG.hasWaiting);
    st.owing.delete(slot);
    return;
  }
  st.owing.add(slot);
  st.kernel.u32[st.kernel.layout.narrow.waitFront / 4 + slot] = q[0]!;
  setFlags(st, slot, FLAG.hasWaiting);
};

/** p() of `gk.rs`: the bench score while contracts run, else the measured one. */
export const pOf = (st: FastStore, slot: number): bigint =>
  st.contractRunning[slot] ? st.pBench[slot]! : st.pInstant[slot]!;

const fits = (x: bigint, hiLimit: bigint): boolean => x >> 64n < hiLimit;

/**
 * Recomputes what only changes at heartbeats, session changes, registration and parameter
 * changes: the performance multiplier, `cost_k·p_bench + cost_b` and `(2·p·conf)²`.
 * Values the kernel cannot take exactly clear the slot's fast flag (bigint path).
 */
export const refreshCaches = (st: FastStore, slot: number, params: TokenomicParameters): void => {
  // Unchecked on purpose: a value that would overflow is simply left to the bigint path, which
  // then fails (like Rust panics) exactly when and where the reference computation does.
  const pBench = st.pBench[slot]!;
  const p = pOf(st, slot);
  const perf = pBench === 0n ? ONE : (p << 64n) / pBench;
  const cost = ((params.costK * pBench) >> 64n) + params.costB;
  const c = (((FP_2 * p) >> 64n) * confScore(st.confidenceLevel[slot]!)) >> 64n;
  const cc = (c * c) >> 64n;
  const ok = fits(perf, LIMIT.perfHi) && fits(cost, LIMIT.costHi) && fits(cc, LIMIT.shareInputHi);
  writeWide(st, 'perf', slot, ok ? perf : 0n);
  writeWide(st, 'cost', slot, ok ? cost : 0n);
  const y = st.kernel.layout;
  st.kernel.u64[wideIndex(y, 'ccLo', slot)] = ok ? cc & MASK64 : 0n;
  st.kernel.f64[wideIndex(y, 'ccF', slot)] = ok ? Number(cc) : 0; // correctly rounded
  setFlags(st, slot, ok ? FLAG.fastOk : 0, ok ? 0 : FLAG.fastOk);
};

const grow = (st: FastStore): void => {
  const bigger = createKernel(st.kernel.layout.capacity * 2);
  copySlots(st.kernel, bigger, st.count);
  st.kernel = bigger;
};

/** Adds a registered worker (all zero tokenomic state, like `TokenomicInfo::default`). */
export const addSlot = (st: FastStore, pubkey: string, confidenceLevel: number, params: TokenomicParameters): number => {
  if (st.count === st.kernel.layout.capacity) grow(st);
  const slot = st.count++;
  const h = workerPubkeyHash(pubkey);
  st.index.set(pubkey, slot);
  st.pubkeys.push(pubkey);
  st.hashed.push(h);
  st.kernel.u32[st.kernel.layout.narrow.hashTop / 4 + slot] = Number(h >> 224n);
  st.sessionId.push(0);
  st.confidenceLevel.push(confidenceLevel);
  st.pBench.push(0n);
  st.pInstant.push(0n);
  st.contractRunning.push(false);
  st.challengeTimeLastMs.push(0);
  st.iterationLast.push(0n);
  st.vUpdateBlock.push(0);
  st.waiting.push([]);
  writeWide(st, 'v', slot, 0n);
  writeWide(st, 'ded', slot, 0n);
  setFlags(st, slot, 0, ~0);
  refreshCaches(st, slot, params);
  return slot;
};
