/**
 * The fast engine's whole state as a plain JSON value (bigints as decimal strings), and back: what
 * the workers projection stores beside a snapshot so that time travel and a restarted reader
 * resume the gatekeepers' economics from there instead of refolding the ledger from block 0
 * (issue 7). Only what the messages set is stored; the caches the kernel reads (performance
 * multiplier, idle cost, squared performance term) and the lottery's hash prefixes are recomputed
 * on restore, exactly as registration and heartbeats compute them.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type { TokenomicParameters } from '../tokenomicParameters';
import { addSlot, createStore, type FastStore, flagsOf, readWide, refreshCaches, syncWaitFront, writeWide } from './fastStore';
import { FLAG } from './kernelLayout';

const Big = new t.Type<bigint, string, unknown>(
  'a decimal integer',
  (u): u is bigint => typeof u === 'bigint',
  (u, c) => (typeof u === 'string' && /^-?\d+$/.test(u) ? t.success(BigInt(u)) : t.failure(u, c)),
  String,
);

/** One worker slot: its pubkey and the fields heartbeats and session changes set. */
const Slot = t.type({
  pubkey: t.string,
  confidenceLevel: t.number,
  sessionId: t.number,
  pBench: Big,
  pInstant: Big,
  contractRunning: t.boolean,
  challengeTimeLastMs: t.number,
  iterationLast: Big,
  vUpdateBlock: t.number,
  /** the challenge blocks of the heartbeats it owes, oldest first */
  waiting: t.array(t.number),
  v: Big,
  vDeductible: Big,
  /** working, unresponsive, paused */
  flags: t.number,
});

const Params = t.record(t.string, t.union([Big, t.number]));

/** The engine's state after some block. */
export const FastEconomicsState = t.type({
  version: t.literal(1),
  /** the last block processed (undefined: none) */
  lastBlock: t.union([t.number, t.null]),
  params: Params,
  /** `sum_share` for the next block, or the panic computing it */
  next: t.union([t.type({ ok: t.literal(true), sum: Big }), t.type({ ok: t.literal(false), error: t.string })]),
  slots: t.array(Slot),
});
/** The engine's state after some block. */
export type FastEconomicsState = t.TypeOf<typeof FastEconomicsState>;
/** Its JSON form. */
export type FastEconomicsStateJson = t.OutputOf<typeof FastEconomicsState>;

/** The flags that are state (the others are derived or per block). */
const KEPT_FLAGS = FLAG.working | FLAG.unresponsive | FLAG.paused;

/** The JSON form of a store and the engine's other state. */
export function exportFastState(st: FastStore, params: TokenomicParameters, lastBlock: number | undefined, next: FastEconomicsState['next']): FastEconomicsStateJson {
  const slots: FastEconomicsState['slots'] = [];
  for (let slot = 0; slot < st.count; slot++) {
    slots.push({
      pubkey: st.pubkeys[slot]!,
      confidenceLevel: st.confidenceLevel[slot]!,
      sessionId: st.sessionId[slot]!,
      pBench: st.pBench[slot]!,
      pInstant: st.pInstant[slot]!,
      contractRunning: st.contractRunning[slot]!,
      challengeTimeLastMs: st.challengeTimeLastMs[slot]!,
      iterationLast: st.iterationLast[slot]!,
      vUpdateBlock: st.vUpdateBlock[slot]!,
      waiting: [...st.waiting[slot]!],
      v: readWide(st, 'v', slot),
      vDeductible: readWide(st, 'ded', slot),
      flags: flagsOf(st, slot) & KEPT_FLAGS,
    });
  }
  return FastEconomicsState.encode({ version: 1, lastBlock: lastBlock ?? null, params: { ...params }, next, slots });
}

/** Decodes a stored state; a malformed one throws, naming the path. */
export function decodeFastState(json: unknown): FastEconomicsState {
  const r = FastEconomicsState.decode(json);
  if (isLeft(r)) {
    const where = r.left[0]?.context.map((c) => c.key).filter((k) => k !== '').join('.') ?? '';
    throw new Error(`economics state: malformed at "${where}": the snapshot is damaged or from another version; rebuild the projections`);
  }
  return r.right;
}

/** A store holding `state`'s workers, caches recomputed under `params`. */
export function restoreFastStore(state: FastEconomicsState, params: TokenomicParameters): FastStore {
  const st = createStore(Math.max(1024, state.slots.length));
  for (const { pubkey, confidenceLevel, sessionId, pBench, pInstant, contractRunning, challengeTimeLastMs, iterationLast, vUpdateBlock, waiting, v, vDeductible, flags } of state.slots) {
    const slot = addSlot(st, pubkey, confidenceLevel, params);
    st.sessionId[slot] = sessionId;
    st.pBench[slot] = pBench;
    st.pInstant[slot] = pInstant;
    st.contractRunning[slot] = contractRunning;
    st.challengeTimeLastMs[slot] = challengeTimeLastMs;
    st.iterationLast[slot] = iterationLast;
    st.vUpdateBlock[slot] = vUpdateBlock;
    st.waiting[slot] = [...waiting];
    writeWide(st, 'v', slot, v);
    writeWide(st, 'ded', slot, vDeductible);
    const at = st.kernel.layout.narrow.flags / 4 + slot;
    st.kernel.u32[at] = (st.kernel.u32[at]! & ~KEPT_FLAGS) | (flags & KEPT_FLAGS);
    syncWaitFront(st, slot);
    refreshCaches(st, slot, params);
  }
  return st;
}

/** The tokenomic parameters of a decoded state. */
export function paramsOf(state: FastEconomicsState): TokenomicParameters {
  return state.params as unknown as TokenomicParameters;
}
