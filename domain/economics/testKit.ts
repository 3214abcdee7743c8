/**
 * Test helpers for the economics specs: worker pubkeys, blocks at 12 s, and the challenge trick
 * of gk.rs's own tests (seed = the worker's hash, target 0 ⇒ exactly that worker is hit).
 */
import { workerPubkeyHash } from './challenge';
import type { EconomicsBlock, EconomicsMessage } from './messages';

/** `0x` + the byte `n` repeated 32 times (gk.rs tests use `[0x01; 32]`, `[0x02; 32]`). */
export function testPubkey(n: number): string {
  return `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
}

/** Block time of gk.rs tests: `block_ts(n) = n · 12000`. */
export function blockTs(n: number): number {
  return n * 12000;
}

/** A block at `blockTs(n)` carrying `messages`. */
export function block(n: number, ...messages: EconomicsMessage[]): EconomicsBlock {
  return { number: n, timestampMs: blockTs(n), messages };
}

/** A challenge only `pubkey` answers. */
export function challengeOnly(pubkey: string): EconomicsMessage {
  return { type: 'HeartbeatChallenge', seed: workerPubkeyHash(pubkey), onlineTarget: 0n };
}

/** A heartbeat answering the challenge of `challengeBlock`: V1 (as gk.rs tests send) unless `nClusters` is given. */
export function heartbeat(pubkey: string, sessionId: number, challengeBlock: number, iterations: bigint, nClusters?: number): EconomicsMessage {
  const base = { type: 'Heartbeat', pubkey, sessionId, challengeBlock, challengeTimeMs: blockTs(challengeBlock), iterations } as const;
  return nClusters === undefined ? base : { ...base, nClusters };
}

/** `WorkerStarted` for `pubkey`. */
export function started(pubkey: string, sessionId: number, initV: bigint, initP: number): EconomicsMessage {
  return { type: 'WorkerStarted', pubkey, sessionId, initV, initP };
}
