import { workerPubkeyHash } from '../challenge';
import type { EconomicsBlock, EconomicsMessage, WorkingInfoUpdate } from '../messages';
import { powTarget } from '../powTarget';
import { gkTestTokenomicParameters, type TokenomicParameters } from '../tokenomicParameters';

/**
 * Random but valid gatekeeper-economics scenarios, for the engines' property tests and the
 * benchmark: the generator plays the chain and the workers (registrations, sessions,
 * challenges, heartbeats on time, late or never, unresponsive and recovery, parameter
 * changes) and keeps each worker's FIFO of owed heartbeats exactly as the gatekeeper does,
 * so a heartbeat always answers the oldest challenge (anything else is a poisoned state).
 */

/** A small deterministic PRNG (xorshift128+ on two 32-bit halves is enough here). */
export const rng = (seed: number) => {
  let a = seed >>> 0 || 1;
  let b = (seed * 2654435761) >>> 0 || 7;
  const next = (): number => {
    let t = a;
    const s = b;
    a = s;
    t ^= t << 11;
    t ^= t >>> 8;
    b = (t ^ s ^ (s >>> 19)) >>> 0;
    return b / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number): boolean => next() < p,
    big: (bits: number): bigint => {
      let x = 0n;
      for (let k = 0; k < bits; k += 16) x = (x << 16n) | BigInt(Math.floor(next() * 65536));
      return x & ((1n << BigInt(bits)) - 1n);
    },
  };
};
/** The generator's randomness. */
export type Rng = ReturnType<typeof rng>;

/** Random parameters: mostly near the defaults, sometimes far outside the kernel's range. */
export const randomParams = (r: Rng, wildChance = 0.15): TokenomicParameters => {
  const base = gkTestTokenomicParameters;
  const wild = r.chance(wildChance);
  return {
    ...base,
    rho: wild ? (r.chance(0.1) ? r.big(64) : (1n << 64n) * BigInt(r.int(1, 3)) + r.big(64)) : (1n << 64n) + r.big(r.int(20, 50)),
    budgetPerBlock: BigInt(r.int(0, 1000)) << 64n | r.big(64),
    // Mostly above every initial V; a small cap makes V_deductible outgrow V (then a payout can underflow it).
    vMax: wild && r.chance(0.5) ? (1n << 100n) + r.big(90) : (BigInt(r.chance(0.2) ? r.int(1, 30000) : r.int(30000, 40000)) << 64n) | r.big(64),
    costK: wild ? r.big(r.int(60, 90)) : r.big(r.int(20, 40)),
    costB: wild ? r.big(r.int(60, 90)) : r.big(r.int(30, 50)),
    slashRate: r.big(r.int(10, wild ? 64 : 56)),
    // Rarely a ratio above 1 or a rho below 1: Rust panics (underflow) on first use, so must both engines.
    treasuryRatio: wild && r.chance(0.1) ? (1n << 64n) + r.big(40) : r.big(r.int(0, 64)) & ((1n << 64n) - 1n),
    heartbeatWindow: r.int(0, 12),
  };
};

interface SimWorker {
  readonly pubkey: string;
  readonly hashedId: bigint;
  session: number | undefined;
  paused: boolean;
  owed: number[];
  iterations: bigint;
  /** The worker never answers (it is down) until this block. */
  silentUntil: number;
}

/** Options of a scenario. */
export interface ScenarioOptions {
  readonly workers: number;
  /** Probability that a worker is hit by a challenge (ignored when `realisticTarget`). */
  readonly hitChance: number;
  /** Use `pow_target(20, N, 12)` like the chain does. */
  readonly realisticTarget?: boolean;
  /** Probability per block of the random events (registrations, stops, parameter changes). */
  readonly churn: number;
  /** Parameter changes stay near the defaults (no overflow panics). */
  readonly tame?: boolean;
}

const hexKey = (k: number): string => `0x${k.toString(16).padStart(64, '0')}`;

/** A scenario: `next(previousReport)` gives each block in turn; the chain reacts to reports. */
export interface Scenario {
  next(previous: WorkingInfoUpdate | undefined): EconomicsBlock;
  readonly pubkeys: () => string[];
}

/** A scenario generator seeded by `seed`. */
export const createScenario = (seed: number, opts: ScenarioOptions): Scenario => {
  const r = rng(seed);
  const workers: SimWorker[] = [];
  const byKey = new Map<string, SimWorker>();
  const blockTimeMs = new Map<number, number>();
  let block = 0;
  let timestampMs = 1_700_000_000_000;
  let nextSession = 1;
  const add = (): SimWorker => {
    const pubkey = hexKey(r.int(0, 2 ** 30) * 65536 + workers.length);
    const w: SimWorker = { pubkey, hashedId: workerPubkeyHash(pubkey), session: undefined, paused: false, owed: [], iterations: 0n, silentUntil: 0 };
    workers.push(w);
    byKey.set(pubkey, w);
    return w;
  };
  const register = (w: SimWorker): EconomicsMessage => ({
    type: 'WorkerRegistered',
    pubkey: w.pubkey,
    confidenceLevel: r.chance(0.85) ? r.int(1, 5) : [0, 6, 128][r.int(0, 2)]!,
  });
  const start = (w: SimWorker): EconomicsMessage => {
    w.session = nextSession++;
    w.paused = false;
    // Mostly realistic; sometimes tiny or huge (above 2^96 bits V² overflows: Rust panics).
    const initV = r.chance(0.05) ? r.big(r.int(0, r.chance(0.1) ? 100 : 95)) : (BigInt(r.int(1000, 30000)) << 64n) | r.big(64);
    const initP = r.chance(0.03) ? 0 : r.int(50, 20000);
    return { type: 'WorkerStarted', pubkey: w.pubkey, sessionId: w.session, initV, initP };
  };
  const pick = (pred: (w: SimWorker) => boolean): SimWorker | undefined => {
    const c = workers.filter(pred);
    return c.length === 0 ? undefined : c[r.int(0, c.length - 1)];
  };
  const heartbeat = (w: SimWorker): EconomicsMessage => {
    const challengeBlock = w.owed.shift()!;
    w.iterations = r.chance(0.03) ? r.big(20) : w.iterations + BigInt(r.int(0, 3_000_000));
    const stale = r.chance(0.05);
    const nClusters = r.chance(0.3) ? undefined : r.int(0, 2);
    return {
      type: 'Heartbeat',
      pubkey: w.pubkey,
      sessionId: stale || w.session === undefined ? nextSession + 7 : w.session,
      challengeBlock,
      challengeTimeMs: blockTimeMs.get(challengeBlock)!,
      iterations: w.iterations,
      ...(nClusters === undefined ? {} : { nClusters }),
    };
  };
  const react = (prev: WorkingInfoUpdate | undefined, out: EconomicsMessage[]): void => {
    for (const pk of prev?.offline ?? []) {
      const w = byKey.get(pk)!;
      if (w.session === undefined || w.paused) continue;
      w.paused = true;
      out.push({ type: 'WorkerEnterUnresponsive', pubkey: pk });
    }
    for (const pk of prev?.recoveredToOnline ?? []) {
      const w = byKey.get(pk)!;
      if (w.session === undefined || !w.paused) continue;
      w.paused = false;
      out.push({ type: 'WorkerExitUnresponsive', pubkey: pk });
    }
  };
  const churn = (out: EconomicsMessage[]): void => {
    if (block === 1) {
      for (let k = 0; k < opts.workers; k++) out.push(register(add()));
      for (const w of workers) if (r.chance(0.9)) out.push(start(w));
      return;
    }
    if (!r.chance(opts.churn)) return;
    const kind = r.int(0, 9);
    if (kind === 0) out.push(register(add()));
    if (kind === 1) out.push(register(pick(() => true) ?? add()));
    const idle = pick((w) => w.session === undefined);
    if (kind === 2 && idle !== undefined) out.push(start(idle));
    const busy = pick((w) => w.session !== undefined);
    if (kind === 3 && busy !== undefined) {
      busy.session = undefined;
      out.push({ type: 'WorkerStopped', pubkey: busy.pubkey });
    }
    if (kind === 4 && busy !== undefined) out.push(start(busy)); // a new session while one runs
    if (kind === 5) out.push({ type: 'TokenomicParametersChanged', params: randomParams(r, opts.tame ? 0 : 0.05) });
    if (kind === 6) out.push({ type: 'BenchScore', pubkey: workers[0]!.pubkey, score: r.int(0, 9999) });
    if (kind === 7 && busy !== undefined) busy.silentUntil = block + r.int(5, 40);
    if (kind === 8) out.push({ type: 'Heartbeat', pubkey: hexKey(2 ** 40 + block), sessionId: 1, challengeBlock: 1, challengeTimeMs: 0, iterations: 1n });
    if (kind === 9 && busy !== undefined) {
      // A spurious pause/resume straight from the chain.
      busy.paused = !busy.paused;
      out.push({ type: busy.paused ? 'WorkerEnterUnresponsive' : 'WorkerExitUnresponsive', pubkey: busy.pubkey });
    }
  };
  const answer = (out: EconomicsMessage[]): void => {
    for (const w of workers) {
      if (w.owed.length === 0 || block < w.silentUntil) continue;
      if (r.chance(0.04)) w.silentUntil = block + r.int(1, 30); // this worker falls behind
      else if (r.chance(0.6)) {
        out.push(heartbeat(w));
        if (w.owed.length > 0 && r.chance(0.3)) out.push(heartbeat(w));
      }
    }
  };
  const challenge = (out: EconomicsMessage[]): void => {
    const online = workers.filter((w) => w.session !== undefined && !w.paused);
    const seed = r.big(256);
    const onlineTarget = opts.realisticTarget
      ? powTarget(20, online.length, 12)
      : ((1n << 256n) / 1000000n) * BigInt(Math.floor(opts.hitChance * 1000000));
    for (const w of online) if ((w.hashedId ^ seed) <= onlineTarget) w.owed.push(block);
    out.push({ type: 'HeartbeatChallenge', seed, onlineTarget });
  };
  return {
    next(previous) {
      block++;
      timestampMs += 12_000 + (r.chance(0.2) ? r.int(-11_999, 6000) : 0);
      blockTimeMs.set(block, timestampMs);
      const messages: EconomicsMessage[] = [];
      react(previous, messages);
      const early = r.chance(0.2);
      if (early) challenge(messages);
      churn(messages);
      answer(messages);
      if (!early) challenge(messages);
      return { number: block, timestampMs, messages };
    },
    pubkeys: () => workers.map((w) => w.pubkey),
  };
};
