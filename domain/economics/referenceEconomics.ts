/**
 * The REFERENCE gatekeeper economics engine: `gk.rs` `ComputingEconomics` replayed bit for bit,
 * written for clarity (one plain object per worker). A faster engine is property-tested against
 * this one. Per block: `will_process_block` (snapshot `sum_share`, clear heartbeat flags), then
 * each message in chain order (§14 F10), then `did_process_block` over the workers in pubkey
 * byte order (Rust iterates an `OrdMap`).
 */
import { type Fixed, fixedAdd, fixedFromInt } from '../fixed';
import { assertWorkerPubkey, challengeHit, workerPubkeyHash } from './challenge';
import { share, type TokenomicInfo, updatePInstant, updateVHeartbeat, updateVIdle, updateVRecover, updateVSlash, zeroTokenomicInfo } from './gkTokenomic';
import { assertTokenomicParameters } from './messageValidation';
import { panickingStep } from './panickingStep';
import type { Economics, EconomicsBlock, EconomicsMessage, SettleInfo, WorkerEconomicsView, WorkingInfoUpdate } from './messages';
import type { TokenomicParameters } from './tokenomicParameters';

/** The replica of the worker's own state machine plus the GK's bookkeeping (`WorkerInfo`). */
interface WorkerRecord {
  readonly pubkey: string;
  readonly pubkeyHash: bigint;
  registered: boolean;
  working: { sessionId: number; paused: boolean } | undefined;
  /** Challenge block numbers still owed a heartbeat, oldest first. */
  readonly waitingHeartbeats: number[];
  unresponsive: boolean;
  heartbeatFlag: boolean;
  tokenomic: TokenomicInfo;
}

interface BlockContext {
  readonly number: number;
  readonly nowMs: number;
  readonly sumShare: Fixed;
  readonly offline: string[];
  readonly recoveredToOnline: string[];
  readonly settle: SettleInfo[];
}

/** Engine state: parameters, workers by pubkey, and the pubkeys in byte (= lowercase hex) order. */
interface EngineState {
  params: TokenomicParameters;
  readonly workers: Map<string, WorkerRecord>;
  readonly order: string[];
}

function sumShare(state: EngineState): Fixed {
  let sum = 0n;
  for (const key of state.order) {
    const w = state.workers.get(key)!;
    if (w.working !== undefined && !w.unresponsive) sum = fixedAdd(sum, share(w.tokenomic));
  }
  return sum;
}

function register(state: EngineState, pubkey: string, confidenceLevel: number): void {
  let w = state.workers.get(pubkey);
  if (w === undefined) {
    w = { pubkey, pubkeyHash: workerPubkeyHash(pubkey), registered: false, working: undefined, waitingHeartbeats: [], unresponsive: false, heartbeatFlag: false, tokenomic: zeroTokenomicInfo() };
    state.workers.set(pubkey, w);
    state.order.push(pubkey);
    state.order.sort();
  }
  w.registered = true;
  w.tokenomic.confidenceLevel = confidenceLevel;
}

function start(w: WorkerRecord, sessionId: number, initV: Fixed, initP: number, ctx: BlockContext): void {
  w.working = { sessionId, paused: false };
  // waiting_heartbeats is deliberately kept: heartbeats are matched on the global timeline.
  w.unresponsive = false;
  w.tokenomic = {
    ...zeroTokenomicInfo(),
    v: initV,
    vInit: initV,
    vUpdateAtMs: ctx.nowMs,
    vUpdateBlock: ctx.number,
    challengeTimeLastMs: ctx.nowMs,
    pBench: fixedFromInt(initP),
    pInstant: fixedFromInt(initP),
    confidenceLevel: w.tokenomic.confidenceLevel,
  };
}

function challenge(state: EngineState, seed: bigint, onlineTarget: bigint, ctx: BlockContext): void {
  for (const key of state.order) {
    const w = state.workers.get(key)!;
    if (!w.registered || w.working === undefined || w.working.paused) continue;
    if (challengeHit(w.pubkeyHash, seed, onlineTarget)) w.waitingHeartbeats.push(ctx.number);
  }
}

function heartbeat(state: EngineState, m: Extract<EconomicsMessage, { type: 'Heartbeat' }>, ctx: BlockContext): void {
  const w = state.workers.get(m.pubkey);
  // Unknown workers are ignored before the FIFO check (§14 F13).
  if (w === undefined) return;
  if (w.waitingHeartbeats[0] !== m.challengeBlock) {
    throw new Error(`GK or worker state poisoned: worker ${m.pubkey} answered challenge ${m.challengeBlock} but the oldest owed is ${w.waitingHeartbeats[0] ?? 'none'} (block ${ctx.number})`);
  }
  w.waitingHeartbeats.shift();
  if (w.working === undefined || m.sessionId !== w.working.sessionId) return;
  w.heartbeatFlag = true;
  const t = w.tokenomic;
  updatePInstant(t, ctx.nowMs, m.iterations, m.nClusters !== undefined && m.nClusters > 0);
  t.challengeTimeLastMs = m.challengeTimeMs;
  t.iterationLast = m.iterations;
  if (w.unresponsive) {
    updateVRecover(t, ctx.nowMs, ctx.number);
    return;
  }
  const { payout, treasury } = updateVHeartbeat(t, state.params, ctx.sumShare, ctx.nowMs, ctx.number);
  ctx.settle.push({ pubkey: w.pubkey, v: t.v, payout, treasury });
}

function processMessage(state: EngineState, m: EconomicsMessage, ctx: BlockContext): void {
  switch (m.type) {
    case 'WorkerRegistered':
      register(state, m.pubkey, m.confidenceLevel);
      return;
    case 'BenchScore':
      return;
    case 'WorkerStarted': {
      const w = state.workers.get(m.pubkey);
      if (w !== undefined) start(w, m.sessionId, m.initV, m.initP, ctx);
      return;
    }
    case 'WorkerStopped': {
      const w = state.workers.get(m.pubkey);
      if (w === undefined) return;
      w.working = undefined;
      ctx.settle.push({ pubkey: w.pubkey, v: w.tokenomic.v, payout: 0n, treasury: 0n });
      return;
    }
    case 'WorkerEnterUnresponsive':
    case 'WorkerExitUnresponsive': {
      const working = state.workers.get(m.pubkey)?.working;
      // Only Computing → Paused and Paused → Computing; anything else is ignored (logged in Rust).
      if (working !== undefined) working.paused = m.type === 'WorkerEnterUnresponsive';
      return;
    }
    case 'HeartbeatChallenge':
      challenge(state, m.seed, m.onlineTarget, ctx);
      return;
    case 'Heartbeat':
      heartbeat(state, m, ctx);
      return;
    case 'TokenomicParametersChanged':
      state.params = m.params;
      return;
    default: {
      const unhandled: never = m;
      throw new TypeError(`unknown economics message: ${JSON.stringify(unhandled)}`);
    }
  }
}

function didProcessBlock(state: EngineState, ctx: BlockContext): void {
  for (const key of state.order) {
    const w = state.workers.get(key)!;
    if (w.working === undefined) continue;
    const front = w.waitingHeartbeats[0];
    if (w.unresponsive) {
      if (w.heartbeatFlag) {
        w.unresponsive = false;
        ctx.recoveredToOnline.push(w.pubkey);
      }
    } else if (front !== undefined && ctx.number - front > state.params.heartbeatWindow) {
      ctx.offline.push(w.pubkey);
      w.unresponsive = true;
    }
    if (w.unresponsive) updateVSlash(w.tokenomic, state.params);
    else if (!w.heartbeatFlag) updateVIdle(w.tokenomic, state.params);
  }
}

function runBlock(state: EngineState, block: EconomicsBlock): WorkingInfoUpdate | undefined {
  const ctx: BlockContext = { number: block.number, nowMs: block.timestampMs, sumShare: sumShare(state), offline: [], recoveredToOnline: [], settle: [] };
  for (const key of state.order) state.workers.get(key)!.heartbeatFlag = false;
  for (const message of block.messages) processMessage(state, message, ctx);
  didProcessBlock(state, ctx);
  if (ctx.offline.length + ctx.recoveredToOnline.length + ctx.settle.length === 0) return undefined;
  return { blockNumber: ctx.number, timestampMs: ctx.nowMs, offline: ctx.offline, recoveredToOnline: ctx.recoveredToOnline, settle: ctx.settle };
}

function view(w: WorkerRecord): WorkerEconomicsView {
  const t = w.tokenomic;
  return {
    v: t.v,
    vDeductible: t.vDeductible,
    pInstant: t.pInstant,
    pBench: t.pBench,
    unresponsive: w.unresponsive,
    challengeTimeLastMs: t.challengeTimeLastMs,
    iterationLast: t.iterationLast,
    working: w.working !== undefined,
    contractRunning: t.contractRunning,
    confidenceLevel: t.confidenceLevel,
    waitingHeartbeats: [...w.waitingHeartbeats],
  };
}

/**
 * A fresh reference engine starting from `params` (a GK starts from its built-in set,
 * `gkTestTokenomicParameters`, until `TokenomicParametersChanged` arrives). A throw while
 * processing (the "poisoned" heartbeat, an overflow) is a Rust panic: the engine refuses every
 * later block. Malformed input is rejected before any state changes.
 */
export function createReferenceEconomics(params: TokenomicParameters): Economics {
  assertTokenomicParameters(params);
  const state: EngineState = { params, workers: new Map(), order: [] };
  return {
    processBlock: panickingStep((block) => runBlock(state, block)),
    worker(pubkey) {
      const w = state.workers.get(assertWorkerPubkey(pubkey));
      return w === undefined ? undefined : view(w);
    },
  };
}
