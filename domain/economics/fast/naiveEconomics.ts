import { assertWorkerPubkey, workerPubkeyHash } from '../challenge';
import { assertTokenomicParameters } from '../messageValidation';
import { panickingStep } from '../panickingStep';
import type { Economics, EconomicsBlock, EconomicsMessage, SettleInfo, WorkerEconomicsView, WorkingInfoUpdate } from '../messages';
import type { TokenomicParameters } from '../tokenomicParameters';
import { addBits, confScore, divBits, FP_1_2, idleDeltaBits, minBits, mulBits, ONE, shareBits, subBits } from './fixedBits';
import { byPubkey } from './pubkeyOrder';

/**
 * The naive gatekeeper economics: one bigint object per worker, the formulas of
 * Phala's `gk.rs` written as plainly as possible. It is the fast engine's oracle in
 * tests and the baseline of `bench/economics.bench.ts`.
 */
interface NaiveWorker {
  readonly pubkey: string;
  readonly hashedId: bigint;
  confidenceLevel: number;
  working: { sessionId: number; paused: boolean } | undefined;
  waiting: number[];
  unresponsive: boolean;
  heartbeatFlag: boolean;
  v: bigint;
  vDeductible: bigint;
  vUpdateBlock: number;
  iterationLast: bigint;
  challengeTimeLastMs: number;
  pBench: bigint;
  pInstant: bigint;
  contractRunning: boolean;
}

const newWorker = (pubkey: string, confidenceLevel: number): NaiveWorker => ({
  pubkey,
  hashedId: workerPubkeyHash(pubkey),
  confidenceLevel,
  working: undefined,
  waiting: [],
  unresponsive: false,
  heartbeatFlag: false,
  v: 0n,
  vDeductible: 0n,
  vUpdateBlock: 0,
  iterationLast: 0n,
  challengeTimeLastMs: 0,
  pBench: 0n,
  pInstant: 0n,
  contractRunning: false,
});

const p = (w: NaiveWorker): bigint => (w.contractRunning ? w.pBench : w.pInstant);
const share = (w: NaiveWorker): bigint => shareBits(w.v, p(w), confScore(w.confidenceLevel));

interface BlockCtx {
  readonly number: number;
  readonly timestampMs: number;
  readonly sumShare: bigint;
  readonly settle: SettleInfo[];
}

/** Creates the naive engine with the gatekeeper's initial parameters. */
export const createNaiveEconomics = (initial: TokenomicParameters): Economics => {
  assertTokenomicParameters(initial);
  let params = initial;
  const workers = new Map<string, NaiveWorker>();

  const heartbeat = (ctx: BlockCtx, m: Extract<EconomicsMessage, { type: 'Heartbeat' }>): void => {
    const w = workers.get(m.pubkey);
    if (w === undefined) return;
    if (w.waiting[0] !== m.challengeBlock) throw new Error('GK or Worker state poisoned');
    w.waiting.shift();
    if (w.working === undefined || w.working.sessionId !== m.sessionId) return;
    w.heartbeatFlag = true;
    w.contractRunning = (m.nClusters ?? 0) > 0;
    if (ctx.timestampMs > w.challengeTimeLastMs) {
      if (m.iterations < w.iterationLast) w.iterationLast = m.iterations;
      const dt = (BigInt(ctx.timestampMs - w.challengeTimeLastMs) << 64n) / 1000n;
      const pNow = addBits(0n, divBits((m.iterations - w.iterationLast) << 64n, dt) * 6n);
      w.pInstant = minBits(pNow, mulBits(w.pBench, FP_1_2));
    }
    w.challengeTimeLastMs = m.challengeTimeMs;
    w.iterationLast = m.iterations;
    if (w.unresponsive) {
      w.vDeductible = 0n;
      w.vUpdateBlock = ctx.number;
      return;
    }
    let payout = 0n;
    let treasury = 0n;
    const due = ctx.sumShare !== 0n && w.vDeductible !== 0n && ctx.number > w.vUpdateBlock;
    const s = due ? share(w) : 0n;
    if (due && s !== 0n) {
      const blocks = BigInt(ctx.number - w.vUpdateBlock) << 64n;
      const budget = mulBits(mulBits(divBits(s, ctx.sumShare), params.budgetPerBlock), blocks);
      payout = mulBits(budget, subBits(ONE, params.treasuryRatio));
      treasury = mulBits(budget, params.treasuryRatio);
      w.v = subBits(w.v, minBits(w.vDeductible, payout));
      w.vDeductible = 0n;
      w.vUpdateBlock = ctx.number;
    }
    ctx.settle.push({ pubkey: w.pubkey, v: w.v, payout, treasury });
  };

  const message = (ctx: BlockCtx, m: EconomicsMessage): void => {
    switch (m.type) {
      case 'WorkerRegistered': {
        const w = workers.get(m.pubkey);
        if (w === undefined) workers.set(m.pubkey, newWorker(m.pubkey, m.confidenceLevel));
        else w.confidenceLevel = m.confidenceLevel;
        return;
      }
      case 'BenchScore':
        return;
      case 'WorkerStarted': {
        const w = workers.get(m.pubkey);
        if (w === undefined) return;
        w.working = { sessionId: m.sessionId, paused: false };
        w.unresponsive = false;
        w.v = m.initV;
        w.vDeductible = 0n;
        w.vUpdateBlock = ctx.number;
        w.iterationLast = 0n;
        w.challengeTimeLastMs = ctx.timestampMs;
        w.pBench = BigInt(m.initP) << 64n;
        w.pInstant = w.pBench;
        w.contractRunning = false;
        return;
      }
      case 'WorkerStopped': {
        const w = workers.get(m.pubkey);
        if (w === undefined) return;
        w.working = undefined;
        ctx.settle.push({ pubkey: w.pubkey, v: w.v, payout: 0n, treasury: 0n });
        return;
      }
      case 'WorkerEnterUnresponsive':
      case 'WorkerExitUnresponsive': {
        const w = workers.get(m.pubkey);
        const entering = m.type === 'WorkerEnterUnresponsive';
        if (w?.working !== undefined && w.working.paused !== entering) w.working.paused = entering;
        return;
      }
      case 'HeartbeatChallenge':
        for (const w of workers.values()) {
          if (w.working === undefined || w.working.paused) continue;
          if ((w.hashedId ^ m.seed) <= m.onlineTarget) w.waiting.push(ctx.number);
        }
        return;
      case 'Heartbeat':
        heartbeat(ctx, m);
        return;
      case 'TokenomicParametersChanged':
        params = m.params;
        return;
      default: {
        const never: never = m;
        throw new Error(`unknown economics message ${JSON.stringify(never)}`);
      }
    }
  };

  const endOfBlock = (number: number, offline: string[], recovered: string[]): void => {
    for (const w of workers.values()) {
      if (w.working === undefined) continue;
      if (w.unresponsive) {
        if (w.heartbeatFlag) {
          w.unresponsive = false;
          recovered.push(w.pubkey);
        }
      } else if (w.waiting.length > 0 && number - w.waiting[0]! > params.heartbeatWindow) {
        offline.push(w.pubkey);
        w.unresponsive = true;
      }
      if (w.unresponsive) {
        w.v = subBits(w.v, mulBits(w.v, params.slashRate));
        w.vDeductible = 0n;
      } else if (!w.heartbeatFlag) {
        const dv = idleDeltaBits(w.v, p(w), w.pBench, params.rho, params.costK, params.costB);
        w.v = minBits(addBits(w.v, dv), params.vMax);
        w.vDeductible = addBits(w.vDeductible, dv);
      }
    }
  };

  const run = (block: EconomicsBlock): WorkingInfoUpdate | undefined => {
    let sumShare = 0n;
    for (const w of workers.values()) {
      w.heartbeatFlag = false;
      if (!w.unresponsive && w.working !== undefined) sumShare = addBits(sumShare, share(w));
    }
    const ctx: BlockCtx = { number: block.number, timestampMs: block.timestampMs, sumShare, settle: [] };
    for (const m of block.messages) message(ctx, m);
    const offline: string[] = [];
    const recovered: string[] = [];
    endOfBlock(block.number, offline, recovered);
    if (offline.length + recovered.length + ctx.settle.length === 0) return undefined;
    return {
      blockNumber: block.number,
      timestampMs: block.timestampMs,
      offline: offline.sort(byPubkey),
      recoveredToOnline: recovered.sort(byPubkey),
      settle: ctx.settle,
    };
  };

  return {
    processBlock: panickingStep(run),
    worker(pubkey: string): WorkerEconomicsView | undefined {
      const w = workers.get(assertWorkerPubkey(pubkey));
      if (w === undefined) return undefined;
      const { v, vDeductible, pInstant, pBench, unresponsive, challengeTimeLastMs, iterationLast, contractRunning, confidenceLevel } = w;
      return { v, vDeductible, pInstant, pBench, unresponsive, challengeTimeLastMs, iterationLast, working: w.working !== undefined, contractRunning, confidenceLevel, waitingHeartbeats: [...w.waiting] };
    },
  };
};
