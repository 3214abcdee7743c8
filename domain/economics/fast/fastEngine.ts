import type { Economics, EconomicsBlock, TokenomicParameters, WorkerEconomics } from './economicsApi';
import { applyMessage, type BlockContext } from './fastMessages';
import { createStore, type FastStore, flagsOf, pOf, readWide, writeWide } from './fastStore';
import { confScore, divBits, minBits, mulBits, ONE, shareBits } from './fixedBits';
import { byPubkey } from './hashedId';
import type { KernelCounts } from './kernelInstance';
import { FLAG, SLOW_ACTION } from './kernelLayout';

const U64 = 1n << 64n;
const MAX128 = (1n << 128n) - 1n;

/** The parameters the kernel can apply exactly: 1 ≤ rho < 2, slash_rate < 1. */
const fastParams = (p: TokenomicParameters): boolean =>
  p.rho >= ONE && p.rho - ONE < U64 && p.slashRate >= 0n && p.slashRate < U64 && p.vMax >= 0n;

/** The bigint path for one slot the kernel listed: its idle or slash step, then its share. */
const slowSlot = (st: FastStore, params: TokenomicParameters, entry: number): bigint => {
  const slot = entry >>> 2;
  const action = entry & 3;
  const pBench = st.pBench[slot]!;
  const p = pOf(st, slot);
  let v = readWide(st, 'v', slot);
  if (action === SLOW_ACTION.idle) {
    const costIdle = mulBits(params.costK, pBench) + params.costB;
    const perf = pBench === 0n ? ONE : divBits(p, pBench);
    const dv = mulBits(perf, mulBits(params.rho - ONE, v) + costIdle);
    v = minBits(v + dv, params.vMax);
    writeWide(st, 'v', slot, v);
    writeWide(st, 'ded', slot, readWide(st, 'ded', slot) + dv);
  } else if (action === SLOW_ACTION.slash) {
    v -= mulBits(v, params.slashRate);
    writeWide(st, 'v', slot, v);
    writeWide(st, 'ded', slot, 0n);
  }
  if ((flagsOf(st, slot) & FLAG.unresponsive) !== 0) return 0n;
  return shareBits(v, p, confScore(st.confidenceLevel[slot]!));
};

const listed = (st: FastStore, list: 'offline' | 'recovered', count: number): string[] => {
  const at = st.kernel.layout.narrow[list] / 4;
  const out: string[] = [];
  for (let k = 0; k < count; k++) out.push(st.pubkeys[st.kernel.u32[at + k]!]!);
  return out.sort(byPubkey);
};

/** `did_process_block`: the kernel over every slot, then the few slots it left to bigint. */
const endOfBlock = (st: FastStore, ctx: BlockContext): KernelCounts => {
  const params = ctx.params;
  const counts = st.kernel.run({
    slots: st.count,
    blockNumber: ctx.number,
    heartbeatWindow: params.heartbeatWindow,
    fastParams: fastParams(params),
    rhoMinusOne: fastParams(params) ? params.rho - ONE : 0n,
    slashRate: fastParams(params) ? params.slashRate : 0n,
    vMax: params.vMax > MAX128 ? MAX128 : params.vMax,
  });
  let sumShare = counts.sumShare;
  const at = st.kernel.layout.narrow.slow / 4;
  for (let k = 0; k < counts.slow; k++) sumShare += slowSlot(st, params, st.kernel.u32[at + k]!);
  return { ...counts, sumShare };
};

/**
 * The FAST gatekeeper economics (phalanet issue 3): the same semantics as the reference
 * engine, bit for bit, over a struct of arrays. The per-block idle/slash step and the
 * next block's `sum_share` run in a hand-assembled WebAssembly kernel with exact 128-bit
 * arithmetic; heartbeats, challenges and session changes use bigint and refresh the
 * per-worker caches the kernel reads.
 */
export const createFastEconomics = (initial: TokenomicParameters): Economics => {
  const st = createStore();
  let params = initial;
  let sumShare = 0n; // the `will_process_block` snapshot, computed by the previous block's kernel
  return {
    processBlock(block: EconomicsBlock) {
      const ctx: BlockContext = { number: block.number, timestampMs: block.timestampMs, sumShare, settle: [], params };
      for (const m of block.messages) applyMessage(st, ctx, m);
      params = ctx.params;
      const counts = endOfBlock(st, ctx);
      sumShare = counts.sumShare;
      if (counts.offline + counts.recovered + ctx.settle.length === 0) return undefined;
      return {
        blockNumber: block.number,
        timestampMs: block.timestampMs,
        offline: listed(st, 'offline', counts.offline),
        recoveredToOnline: listed(st, 'recovered', counts.recovered),
        settle: ctx.settle,
      };
    },
    worker(pubkey: string): WorkerEconomics | undefined {
      const slot = st.index.get(pubkey);
      if (slot === undefined) return undefined;
      return {
        v: readWide(st, 'v', slot),
        vDeductible: readWide(st, 'ded', slot),
        pInstant: st.pInstant[slot]!,
        pBench: st.pBench[slot]!,
        unresponsive: (flagsOf(st, slot) & FLAG.unresponsive) !== 0,
        challengeTimeLastMs: st.challengeTimeLastMs[slot]!,
        iterationLast: st.iterationLast[slot]!,
      };
    },
  };
};
