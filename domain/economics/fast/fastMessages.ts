import type { EconomicsMessage, SettleInfo } from '../messages';
import type { TokenomicParameters } from '../tokenomicParameters';
import { addBits, confScore, divBits, FP_1_2, minBits, mulBits, ONE, shareBits, subBits } from './fixedBits';
import {
  addSlot,
  type FastStore,
  flagsOf,
  pOf,
  readWide,
  refreshCaches,
  setFlags,
  syncWaitFront,
  writeWide,
} from './fastStore';
import { FLAG, HIT_TIE } from './kernelLayout';

/** What the messages of one block see and produce. */
export interface BlockContext {
  readonly number: number;
  readonly timestampMs: number;
  /** `sum_share` as snapshotted at the start of the block. */
  readonly sumShare: bigint;
  readonly settle: SettleInfo[];
  params: TokenomicParameters;
}

type Heartbeat = Extract<EconomicsMessage, { type: 'Heartbeat' }>;

/** `update_p_instant`: measured speed since the last heartbeat, at most 1.2·p_bench. */
const updatePInstant = (st: FastStore, slot: number, nowMs: number, m: Heartbeat): void => {
  st.contractRunning[slot] = (m.nClusters ?? 0) > 0;
  const last = st.challengeTimeLastMs[slot]!;
  if (nowMs <= last) return;
  if (m.iterations < st.iterationLast[slot]!) st.iterationLast[slot] = m.iterations;
  const dt = (BigInt(nowMs - last) << 64n) / 1000n;
  const p = addBits(0n, divBits((m.iterations - st.iterationLast[slot]!) << 64n, dt) * 6n);
  st.pInstant[slot] = minBits(p, mulBits(st.pBench[slot]!, FP_1_2));
};

/** `update_v_heartbeat`: the payout for the blocks since the last one; V gives back what it gained. */
const payHeartbeat = (st: FastStore, slot: number, ctx: BlockContext): void => {
  let payout = 0n;
  let treasury = 0n;
  const ded = readWide(st, 'ded', slot);
  // The share is computed only past the first three guards, as in Rust (it may overflow).
  const due = ctx.sumShare !== 0n && ded !== 0n && ctx.number > st.vUpdateBlock[slot]!;
  const share = due ? shareBits(readWide(st, 'v', slot), pOf(st, slot), confScore(st.confidenceLevel[slot]!)) : 0n;
  if (due && share !== 0n) {
    const blocks = BigInt(ctx.number - st.vUpdateBlock[slot]!) << 64n;
    const budget = mulBits(mulBits(divBits(share, ctx.sumShare), ctx.params.budgetPerBlock), blocks);
    payout = mulBits(budget, subBits(ONE, ctx.params.treasuryRatio));
    treasury = mulBits(budget, ctx.params.treasuryRatio);
    writeWide(st, 'v', slot, subBits(readWide(st, 'v', slot), minBits(ded, payout)));
    writeWide(st, 'ded', slot, 0n);
    st.vUpdateBlock[slot] = ctx.number;
  }
  ctx.settle.push({ pubkey: st.pubkeys[slot]!, v: readWide(st, 'v', slot), payout, treasury });
};

/** `process_computing_report` for a heartbeat (cases 2 and 5). */
const heartbeat = (st: FastStore, ctx: BlockContext, m: Heartbeat): void => {
  const slot = st.index.get(m.pubkey);
  if (slot === undefined) return; // unknown worker: ignored before the FIFO check (F13)
  const q = st.waiting[slot]!;
  if (q[0] !== m.challengeBlock) throw new Error('GK or Worker state poisoned');
  q.shift();
  syncWaitFront(st, slot);
  const f = flagsOf(st, slot);
  if ((f & FLAG.working) === 0 || st.sessionId[slot] !== m.sessionId) return;
  setFlags(st, slot, FLAG.heartbeat);
  updatePInstant(st, slot, ctx.timestampMs, m);
  st.challengeTimeLastMs[slot] = m.challengeTimeMs;
  st.iterationLast[slot] = m.iterations;
  if ((f & FLAG.unresponsive) !== 0) {
    writeWide(st, 'ded', slot, 0n);
    st.vUpdateBlock[slot] = ctx.number;
  } else {
    payHeartbeat(st, slot, ctx);
  }
  refreshCaches(st, slot, ctx.params);
};

const started = (st: FastStore, ctx: BlockContext, m: Extract<EconomicsMessage, { type: 'WorkerStarted' }>): void => {
  const slot = st.index.get(m.pubkey);
  if (slot === undefined) return;
  setFlags(st, slot, FLAG.working, FLAG.paused | FLAG.unresponsive);
  st.sessionId[slot] = m.sessionId;
  writeWide(st, 'v', slot, m.initV);
  writeWide(st, 'ded', slot, 0n);
  st.vUpdateBlock[slot] = ctx.number;
  st.iterationLast[slot] = 0n;
  st.challengeTimeLastMs[slot] = ctx.timestampMs;
  st.pBench[slot] = BigInt(m.initP) << 64n;
  st.pInstant[slot] = st.pBench[slot]!;
  st.contractRunning[slot] = false;
  refreshCaches(st, slot, ctx.params);
};

/** Challenges every computing, unpaused worker whose `hashed_id XOR seed <= target` (U256s). */
const challenge = (st: FastStore, ctx: BlockContext, seed: bigint, target: bigint): void => {
  const hits = st.kernel.challenge(st.count, Number(seed >> 224n), Number(target >> 224n));
  const at = st.kernel.layout.narrow.hits / 4;
  for (let k = 0; k < hits; k++) {
    const entry = st.kernel.u32[at + k]!;
    const slot = entry & ~HIT_TIE;
    if ((entry & HIT_TIE) !== 0 && (st.hashed[slot]! ^ seed) > target) continue;
    st.waiting[slot]!.push(ctx.number);
    if (st.waiting[slot]!.length === 1) syncWaitFront(st, slot);
  }
};

/** Applies one message, in chain order, to the store. */
export const applyMessage = (st: FastStore, ctx: BlockContext, m: EconomicsMessage): void => {
  switch (m.type) {
    case 'WorkerRegistered': {
      const slot = st.index.get(m.pubkey);
      if (slot === undefined) addSlot(st, m.pubkey, m.confidenceLevel, ctx.params);
      else {
        st.confidenceLevel[slot] = m.confidenceLevel;
        refreshCaches(st, slot, ctx.params);
      }
      return;
    }
    case 'BenchScore':
      return;
    case 'WorkerStarted':
      started(st, ctx, m);
      return;
    case 'WorkerStopped': {
      const slot = st.index.get(m.pubkey);
      if (slot === undefined) return;
      setFlags(st, slot, 0, FLAG.working | FLAG.paused);
      ctx.settle.push({ pubkey: m.pubkey, v: readWide(st, 'v', slot), payout: 0n, treasury: 0n });
      return;
    }
    case 'WorkerEnterUnresponsive':
    case 'WorkerExitUnresponsive': {
      const slot = st.index.get(m.pubkey);
      if (slot === undefined || (flagsOf(st, slot) & FLAG.working) === 0) return;
      if (m.type === 'WorkerEnterUnresponsive') setFlags(st, slot, FLAG.paused);
      else setFlags(st, slot, 0, FLAG.paused);
      return;
    }
    case 'HeartbeatChallenge':
      challenge(st, ctx, m.seed, m.onlineTarget);
      return;
    case 'Heartbeat':
      heartbeat(st, ctx, m);
      return;
    case 'TokenomicParametersChanged':
      ctx.params = m.params;
      for (let slot = 0; slot < st.count; slot++) refreshCaches(st, slot, m.params);
      return;
    default: {
      const never: never = m;
      throw new Error(`unknown economics message ${JSON.stringify(never)}`);
    }
  }
};
