/**
 * Input checks for the economics engine: every field must be what the SCALE type on chain could
 * carry (u8/u32/u64/u128/U256, 32-byte pubkeys). Bad input is a caller bug, so we throw before
 * the engine touches its state.
 */
import { FIXED_MAX } from '../fixed';
import { assertWorkerPubkey } from './challenge';
import type { EconomicsBlock, EconomicsMessage } from './messages';
import type { TokenomicParameters } from './tokenomicParameters';

const U256_MAX = (1n << 256n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

function assertUint(value: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) throw new RangeError(`${what} must be an integer in 0..${max}, got ${value}`);
}

function assertBig(value: bigint, max: bigint, what: string): void {
  if (typeof value !== 'bigint' || value < 0n || value > max) throw new RangeError(`${what} must be a bigint in 0..${max}, got ${String(value)}`);
}

/** Throws unless every field of `params` is in range (U64F64 bits, u32 window). */
export function assertTokenomicParameters(params: TokenomicParameters): void {
  const { heartbeatWindow, ...fixed } = params;
  assertUint(heartbeatWindow, 0xffffffff, 'heartbeatWindow');
  for (const [name, bits] of Object.entries(fixed)) assertBig(bits, FIXED_MAX, `tokenomic parameter ${name}`);
}

/** Throws unless `message` is well-formed. */
export function assertEconomicsMessage(message: EconomicsMessage): void {
  switch (message.type) {
    case 'WorkerRegistered':
      assertWorkerPubkey(message.pubkey);
      assertUint(message.confidenceLevel, 0xff, 'confidenceLevel');
      return;
    case 'BenchScore':
      assertWorkerPubkey(message.pubkey);
      assertUint(message.score, 0xffffffff, 'score');
      return;
    case 'WorkerStarted':
      assertWorkerPubkey(message.pubkey);
      assertUint(message.sessionId, 0xffffffff, 'sessionId');
      assertUint(message.initP, 0xffffffff, 'initP');
      assertBig(message.initV, FIXED_MAX, 'initV');
      return;
    case 'WorkerStopped':
    case 'WorkerEnterUnresponsive':
    case 'WorkerExitUnresponsive':
      assertWorkerPubkey(message.pubkey);
      return;
    case 'HeartbeatChallenge':
      assertBig(message.seed, U256_MAX, 'seed');
      assertBig(message.onlineTarget, U256_MAX, 'onlineTarget');
      return;
    case 'Heartbeat':
      assertWorkerPubkey(message.pubkey);
      assertUint(message.sessionId, 0xffffffff, 'sessionId');
      assertUint(message.challengeBlock, 0xffffffff, 'challengeBlock');
      assertUint(message.challengeTimeMs, Number.MAX_SAFE_INTEGER, 'challengeTimeMs');
      assertBig(message.iterations, U64_MAX, 'iterations');
      if (message.nClusters !== undefined) assertUint(message.nClusters, 0xffffffff, 'nClusters');
      return;
    case 'TokenomicParametersChanged':
      assertTokenomicParameters(message.params);
      return;
    default: {
      const unhandled: never = message;
      throw new TypeError(`unknown economics message: ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Throws unless the block is well-formed and comes strictly after `lastBlock`. */
export function assertEconomicsBlock(block: EconomicsBlock, lastBlock: number | undefined): void {
  assertUint(block.number, 0xffffffff, 'block number');
  assertUint(block.timestampMs, Number.MAX_SAFE_INTEGER, 'block timestampMs');
  if (lastBlock !== undefined && block.number <= lastBlock) {
    throw new RangeError(`blocks must be fed in strictly increasing order: got ${block.number} after ${lastBlock}`);
  }
  if (!Array.isArray(block.messages)) throw new TypeError('block.messages must be an array');
  for (const message of block.messages) assertEconomicsMessage(message);
}
