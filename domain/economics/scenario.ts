/**
 * A well-behaved world to drive an economics engine in property tests: abstract actions are
 * turned into chain messages while a small model of the workers' own side (registered, session,
 * paused, challenges owed) makes every heartbeat answer the oldest challenge owed, as a real
 * pRuntime does. Shared by the reference and the fast engine's tests.
 */
import { challengeHit, workerPubkeyHash } from './challenge';
import type { EconomicsBlock, EconomicsMessage } from './messages';
import type { TokenomicParameters } from './tokenomicParameters';

/** One thing that happens in a block; `worker` indexes the scenario's pubkey list. */
export type ScenarioAction =
  | { readonly kind: 'register'; readonly worker: number; readonly confidenceLevel: number }
  | { readonly kind: 'start'; readonly worker: number; readonly initV: bigint; readonly initP: number }
  | { readonly kind: 'stop' | 'enter' | 'exit'; readonly worker: number }
  | { readonly kind: 'challenge'; readonly seed: bigint; readonly onlineTarget: bigint }
  | { readonly kind: 'answer'; readonly worker: number; readonly iterationsStep: bigint; readonly nClusters: number | undefined }
  | { readonly kind: 'budget'; readonly budgetPerBlock: bigint };

/** The actions of one block and how many blocks after the previous one it comes. */
export interface ScenarioBlock {
  readonly gap: number;
  readonly actions: readonly ScenarioAction[];
}

interface WorkerSide {
  readonly pubkeyHash: bigint;
  registered: boolean;
  session: number | undefined;
  paused: boolean;
  iterations: bigint;
  readonly owed: { block: number; timeMs: number; session: number }[];
}

function toMessage(pubkeys: readonly string[], sides: WorkerSide[], a: ScenarioAction, n: number, nowMs: number, nextSession: () => number, params: { current: TokenomicParameters }): EconomicsMessage | undefined {
  if (a.kind === 'challenge') {
    sides.forEach((s) => {
      if (s.registered && s.session !== undefined && !s.paused && challengeHit(s.pubkeyHash, a.seed, a.onlineTarget)) s.owed.push({ block: n, timeMs: nowMs, session: s.session });
    });
    return { type: 'HeartbeatChallenge', seed: a.seed, onlineTarget: a.onlineTarget };
  }
  if (a.kind === 'budget') {
    params.current = { ...params.current, budgetPerBlock: a.budgetPerBlock };
    return { type: 'TokenomicParametersChanged', params: params.current };
  }
  const pubkey = pubkeys[a.worker % pubkeys.length]!;
  const s = sides[a.worker % pubkeys.length]!;
  switch (a.kind) {
    case 'register':
      s.registered = true;
      return { type: 'WorkerRegistered', pubkey, confidenceLevel: a.confidenceLevel };
    case 'start': {
      if (!s.registered || s.session !== undefined) return undefined;
      s.session = nextSession();
      s.paused = false;
      s.iterations = 0n;
      return { type: 'WorkerStarted', pubkey, sessionId: s.session, initV: a.initV, initP: a.initP };
    }
    case 'stop':
      if (s.session === undefined) return undefined;
      s.session = undefined;
      return { type: 'WorkerStopped', pubkey };
    case 'enter':
    case 'exit':
      if (s.session !== undefined) s.paused = a.kind === 'enter';
      return { type: a.kind === 'enter' ? 'WorkerEnterUnresponsive' : 'WorkerExitUnresponsive', pubkey };
    case 'answer': {
      const owed = s.owed.shift();
      if (owed === undefined) return undefined;
      s.iterations += a.iterationsStep;
      const hb = { type: 'Heartbeat', pubkey, sessionId: owed.session, challengeBlock: owed.block, challengeTimeMs: owed.timeMs, iterations: s.iterations } as const;
      return a.nClusters === undefined ? hb : { ...hb, nClusters: a.nClusters };
    }
  }
}

/** Turns abstract blocks into engine input; blocks start at number 1, 12 s apart per gap unit. */
export function buildScenario(pubkeys: readonly string[], params: TokenomicParameters, blocks: readonly ScenarioBlock[]): EconomicsBlock[] {
  const sides: WorkerSide[] = pubkeys.map((pubkey) => ({ pubkeyHash: workerPubkeyHash(pubkey), registered: false, session: undefined, paused: false, iterations: 0n, owed: [] }));
  let session = 0;
  const p = { current: params };
  let n = 0;
  return blocks.map((b) => {
    n += Math.max(1, b.gap);
    const nowMs = n * 12_000;
    const messages = b.actions.map((a) => toMessage(pubkeys, sides, a, n, nowMs, () => ++session, p)).filter((m): m is EconomicsMessage => m !== undefined);
    return { number: n, timestampMs: nowMs, messages };
  });
}
