import { assertWorkerPubkey } from '../challenge';
import { assertTokenomicParameters } from '../messageValidation';
import { panickingStep } from '../panickingStep';
import type { Economics, EconomicsBlock, WorkerEconomicsView, WorkingInfoUpdate } from '../messages';
import { exportFastState, type FastEconomicsState, type FastEconomicsStateJson, paramsOf, restoreFastStore } from './fastState';
import type { TokenomicParameters } from '../tokenomicParameters';
import { applyMessage, type BlockContext } from './fastMessages';
import { createStore, type FastStore, flagsOf, pOf, readWide, writeWide } from './fastStore';
import { addBits, confScore, idleDeltaBits, minBits, mulBits, ONE, shareBits, subBits } from './fixedBits';
import { FLAG, SLOW_ACTION } from './kernelLayout';
import { byPubkey } from './pubkeyOrder';

const U64 = 1n << 64n;
const MAX128 = (1n << 128n) - 1n;

/** The parameters the kernel can apply exactly: 1 ≤ rho < 2, slash_rate < 1. */
const fastParams = (p: TokenomicParameters): boolean => p.rho >= ONE && p.rho - ONE < U64 && p.slashRate < U64;

/** The bigint path for one slot the kernel listed: its idle or slash step (checked like Rust). */
const slowStep = (st: FastStore, params: TokenomicParameters, slot: number, action: number): void => {
  const v = readWide(st, 'v', slot);
  if (action === SLOW_ACTION.idle) {
    const dv = idleDeltaBits(v, pOf(st, slot), st.pBench[slot]!, params.rho, params.costK, params.costB);
    writeWide(st, 'v', slot, minBits(addBits(v, dv), params.vMax));
    writeWide(st, 'ded', slot, addBits(readWide(st, 'ded', slot), dv));
  } else if (action === SLOW_ACTION.slash) {
    writeWide(st, 'v', slot, subBits(v, mulBits(v, params.slashRate)));
    writeWide(st, 'ded', slot, 0n);
  }
};

const listed = (st: FastStore, list: 'offline' | 'recovered', count: number): string[] => {
  const at = st.kernel.layout.narrow[list] / 4;
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(st.pubkeys[st.kernel.u32[at + k]!]!);
  return out.sort(byPubkey);
};

/** What the end of a block leaves for the next one: its `sum_share`, or the panic computing it. */
type NextShare = { readonly ok: true; readonly sum: bigint } | { readonly ok: false; readonly error: unknown };

interface EndOfBlock {
  readonly offline: string[];
  readonly recovered: string[];
  readonly next: NextShare;
}

/**
 * `did_process_block`: the kernel over every slot, then the few slots it left to bigint.
 * The shares are summed here for the next block's `will_process_block`; a share that
 * overflows is kept as an error and raised when the next block starts, as in Rust.
 */
const endOfBlock = (st: FastStore, ctx: BlockContext): EndOfBlock => {
  const params = ctx.params;
  const fast = fastParams(params);
  const counts = st.kernel.run({
    slots: st.count,
    blockNumber: ctx.number,
    heartbeatWindow: params.heartbeatWindow,
    fastParams: fast,
    rhoMinusOne: fast ? params.rho - ONE : 0n,
    slashRate: fast ? params.slashRate : 0n,
    vMax: params.vMax > MAX128 ? MAX128 : params.vMax,
  });
  const at = st.kernel.layout.narrow.slow / 4;
  for (let k = 0; k < counts.slow; k++) {
    const entry = st.kernel.u32[at + k]!;
    slowStep(st, params, entry >>> 2, entry & 3);
  }
  let next: NextShare;
  try {
    // Slots the step itself left to bigint first, then those only the share's range sent here,
    // so that an overflow raises the same error as when the kernel listed them in two passes.
    let sum = counts.sumShare;
    for (const shareOnly of [false, true]) {
      for (let k = 0; k < counts.slow; k++) {
        const entry = st.kernel.u32[at + k]!;
        const slot = entry >>> 2;
        if (((entry & 3) === SLOW_ACTION.shareOnly) !== shareOnly || (flagsOf(st, slot) & FLAG.unresponsive) !== 0) continue;
        sum = addBits(sum, shareBits(readWide(st, 'v', slot), pOf(st, slot), confScore(st.confidenceLevel[slot]!)));
      }
    }
    next = { ok: true, sum: addBits(sum, 0n) };
  } catch (error) {
    next = { ok: false, error };
  }
  return { offline: listed(st, 'offline', counts.offline), recovered: listed(st, 'recovered', counts.recovered), next };
};

const view = (st: FastStore, slot: number): WorkerEconomicsView => ({
  v: readWide(st, 'v', slot),
  vDeductible: readWide(st, 'ded', slot),
  pInstant: st.pInstant[slot]!,
  pBench: st.pBench[slot]!,
  unresponsive: (flagsOf(st, slot) & FLAG.unresponsive) !== 0,
  challengeTimeLastMs: st.challengeTimeLastMs[slot]!,
  iterationLast: st.iterationLast[slot]!,
  working: (flagsOf(st, slot) & FLAG.working) !== 0,
  contractRunning: st.contractRunning[slot]!,
  confidenceLevel: st.confidenceLevel[slot]!,
  waitingHeartbeats: [...st.waiting[slot]!],
});

/**
 * The FAST gatekeeper economics (phalanet issue 3): the reference engine's semantics bit for
 * bit — including its input checks and its refusal of every block after a panic — over a
 * struct of arrays. The per-block offline check, idle/slash step and the next block's
 * `sum_share` run in a hand-assembled WebAssembly kernel with exact 128-bit arithmetic;
 * heartbeats, challenges and session changes use bigint and refresh the caches it reads.
 */
export const createFastEconomics = (initial: TokenomicParameters, from?: FastEconomicsState): PortableEconomics => {
  assertTokenomicParameters(initial);
  let params = from === undefined ? initial : paramsOf(from);
  assertTokenomicParameters(params);
  const st = from === undefined ? createStore() : restoreFastStore(from, params);
  let next: NextShare = from === undefined ? { ok: true, sum: 0n } : from.next.ok ? { ok: true, sum: from.next.sum } : { ok: false, error: new Error(from.next.error) };
  const run = (block: EconomicsBlock): WorkingInfoUpdate | undefined => {
    if (!next.ok) throw next.error;
    const ctx: BlockContext = { number: block.number, timestampMs: block.timestampMs, sumShare: next.sum, settle: [], params };
    for (const m of block.messages) applyMessage(st, ctx, m);
    params = ctx.params;
    const end = endOfBlock(st, ctx);
    next = end.next;
    if (end.offline.length + end.recovered.length + ctx.settle.length === 0) return undefined;
    return { blockNumber: block.number, timestampMs: block.timestampMs, offline: end.offline, recoveredToOnline: end.recovered, settle: ctx.settle };
  };
  const step = panickingStep(run, from?.lastBlock ?? undefined);
  return {
    processBlock: step,
    worker(pubkey: string): WorkerEconomicsView | undefined {
      const slot = st.index.get(assertWorkerPubkey(pubkey));
      return slot === undefined ? undefined : view(st, slot);
    },
    owingHeartbeats() {
      return [...st.owing].map((slot) => st.pubkeys[slot]!);
    },
    exportState() {
      const pending = next.ok ? { ok: true as const, sum: next.sum } : { ok: false as const, error: next.error instanceof Error ? next.error.message : String(next.error) };
      return exportFastState(st, params, step.lastBlock(), pending);
    },
  };
};

/** An engine whose state can be stored and resumed ({@link createFastEconomics} with `from`). */
export interface PortableEconomics extends Economics {
  /** the whole state after the last block processed, as JSON */
  exportState(): FastEconomicsStateJson;
  /** the workers owing at least one heartbeat: the only ones the next block can report offline */
  owingHeartbeats(): string[];
}
