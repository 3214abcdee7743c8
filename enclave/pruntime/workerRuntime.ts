/**
 * One pRuntime in the worker role: its identity, the replicated worker state machine of
 * `crates/phactory/src/system/mod.rs` (`WorkerState::process_event`, `handle_heartbeat_challenge`,
 * `on_block_processed`), its benchmark counter and its egress. The gatekeeper replicates the same
 * machine (DOMAIN.md §6.4), so every hit decision goes through `challengeHit`.
 *
 * Records are mutable (a process hosts thousands); every function is deterministic: virtual time
 * is the block's `now_ms`, randomness only the identity's derived signing streams.
 */
import { toHex } from '../../domain/codec/hex';
import { type MessageOrigin, originKey, type SignedMessage } from '../../domain/codec/mq.codec';
import { registryEventCodec, type WorkerEvent, workingReportEventCodec } from '../../domain/codec/systemEvents.codec';
import { topicBytes, topics } from '../../domain/codec/topics';
import { challengeHit, workerPubkeyHash } from '../../domain/economics/challenge';
import { type BenchCounter, iterationsAt, pauseCounter, pausedCounter, resumeCounter, type SimulatedCpu } from './benchCounter';
import { type EgressChannel, type EgressQueue, openChannel, pendingFrom, purgeChannel, pushMessage } from './egressQueue';
import type { WorkerIdentity } from './workerIdentity';

/** `BenchState`: a benchmark in progress. */
export interface BenchState {
  readonly startBlock: number;
  readonly startTimeMs: bigint;
  readonly startIter: bigint;
  readonly duration: number;
}

/** `WorkingInfo`: the session the chain has started. */
export interface WorkingInfo {
  readonly sessionId: number;
  state: 'Computing' | 'Paused';
  readonly startTimeMs: bigint;
  readonly startIter: bigint;
}

/** `WorkerState` minus the pubkey: exactly what a gatekeeper replicates. */
export interface WorkerMachine {
  registered: boolean;
  benchState: BenchState | undefined;
  workingState: WorkingInfo | undefined;
}

/** One worker pRuntime. */
export interface WorkerRuntime {
  readonly identity: WorkerIdentity;
  readonly pubkey: Uint8Array;
  /** `hashed_id = blake2_256(pubkey)` as a big-endian U256 */
  readonly pubkeyHash: bigint;
  readonly cpu: SimulatedCpu;
  readonly machine: WorkerMachine;
  counter: BenchCounter;
  readonly egress: EgressQueue;
  /** `Worker(pubkey)`, signed by the identity key. The Gatekeeper, Cluster and Contract channels open in `egress` when those roles arrive. */
  readonly workerChannel: EgressChannel;
  /** reported in every HeartbeatV2; contract clusters are a later task */
  nClusters: number;
  nContracts: number;
}

/** The block a handler runs in. */
export interface BlockContext {
  readonly number: number;
  readonly nowMs: bigint;
}

/** The mutable parts of a worker, as a checkpoint restores them. */
export interface WorkerRuntimeParts {
  readonly machine: WorkerMachine;
  readonly counter: BenchCounter;
  readonly channels: readonly EgressChannel[];
  readonly nClusters: number;
  readonly nContracts: number;
}

/** A worker from its parts; the `Worker(pubkey)` channel is opened when the parts lack it. */
export function workerRuntimeFrom(identity: WorkerIdentity, cpu: SimulatedCpu, parts: WorkerRuntimeParts): WorkerRuntime {
  const egress: EgressQueue = new Map(parts.channels.map((c) => [originKey(c.origin), c]));
  const origin: MessageOrigin = { tag: 'Worker', value: identity.publicKey };
  return {
    identity,
    pubkey: identity.publicKey,
    pubkeyHash: workerPubkeyHash(toHex(identity.publicKey)),
    cpu,
    machine: parts.machine,
    counter: parts.counter,
    egress,
    workerChannel: openChannel(egress, origin, { kind: 'identity' }),
    nClusters: parts.nClusters,
    nContracts: parts.nContracts,
  };
}

/** A worker with a fresh machine (unregistered, no bench, paused counter) and an empty egress. */
export function createWorkerRuntime(identity: WorkerIdentity, cpu: SimulatedCpu): WorkerRuntime {
  return workerRuntimeFrom(identity, cpu, {
    machine: { registered: false, benchState: undefined, workingState: undefined },
    counter: pausedCounter,
    channels: [],
    nClusters: 0,
    nContracts: 0,
  });
}

const REGISTRY_TOPIC = topicBytes(topics.registryEvent);
const REPORT_TOPIC = topicBytes(topics.workingReport);

function push(rt: WorkerRuntime, destination: Uint8Array, payload: Uint8Array): SignedMessage | undefined {
  return pushMessage(rt.workerChannel, destination, payload, rt.identity.signEgress);
}

const needPause = (m: WorkerMachine): boolean => m.benchState === undefined && m.workingState === undefined;

/** The benchmark counter now. */
export function benchIterations(rt: WorkerRuntime, nowMs: bigint): bigint {
  return iterationsAt(rt.counter, rt.cpu, nowMs);
}

/** `process_event` for a `WorkerEvent` addressed to this worker (the caller routes by pubkey). */
export function applyWorkerEvent(rt: WorkerRuntime, block: BlockContext, event: WorkerEvent): void {
  const m = rt.machine;
  switch (event.tag) {
    case 'Registered':
      m.registered = true;
      return;
    case 'BenchStart':
      m.benchState = { startBlock: block.number, startTimeMs: block.nowMs, startIter: benchIterations(rt, block.nowMs), duration: event.value.duration };
      rt.counter = resumeCounter(rt.counter, block.nowMs);
      return;
    case 'BenchScore':
      return;
    case 'Started':
      m.workingState = { sessionId: event.value.sessionId, state: 'Computing', startTimeMs: block.nowMs, startIter: benchIterations(rt, block.nowMs) };
      rt.counter = resumeCounter(rt.counter, block.nowMs);
      return;
    case 'Stopped':
      m.workingState = undefined;
      if (needPause(m)) rt.counter = pauseCounter(rt.counter, rt.cpu, block.nowMs);
      return;
    // Phala logs and ignores an Enter/Exit that does not match the current state.
    case 'EnterUnresponsive':
      if (m.workingState?.state === 'Computing') m.workingState.state = 'Paused';
      return;
    case 'ExitUnresponsive':
      if (m.workingState?.state === 'Paused') m.workingState.state = 'Computing';
      return;
    default: {
      const never: never = event;
      throw new Error(`unknown worker event ${JSON.stringify(never)}`);
    }
  }
}

/** Registered, in a session, and not Paused: the workers a challenge can hit. */
export function isChallengeable(m: WorkerMachine): boolean {
  return m.registered && m.workingState !== undefined && m.workingState.state === 'Computing';
}

/**
 * `handle_heartbeat_challenge` after the hit test passed: `HeartbeatV2` with
 * `iterations = counter − start_iter` and `challenge_time = now_ms` of the challenge block (F12).
 */
export function sendHeartbeat(rt: WorkerRuntime, block: BlockContext): SignedMessage | undefined {
  const working = rt.machine.workingState;
  if (working === undefined) throw new Error('sendHeartbeat: the worker has no session');
  const payload = workingReportEventCodec.enc({
    tag: 'HeartbeatV2',
    value: {
      sessionId: working.sessionId,
      challengeBlock: block.number,
      challengeTime: block.nowMs,
      iterations: benchIterations(rt, block.nowMs) - working.startIter,
      nClusters: rt.nClusters,
      nContracts: rt.nContracts,
    },
  });
  return push(rt, REPORT_TOPIC, payload);
}

/** The whole `handle_heartbeat_challenge` for one worker (the group runs the hit test in batch instead). */
export function handleHeartbeatChallenge(rt: WorkerRuntime, block: BlockContext, seed: bigint, onlineTarget: bigint): SignedMessage | undefined {
  if (!isChallengeable(rt.machine) || !challengeHit(rt.pubkeyHash, seed, onlineTarget)) return undefined;
  return sendHeartbeat(rt, block);
}

/**
 * `on_block_processed`: the bench report once `block − start_block ≥ duration` (duration 0 ⇒ the
 * block of `BenchStart`, DOMAIN.md §14 F2), then pause unless computing.
 */
export function onBlockProcessed(rt: WorkerRuntime, block: BlockContext): SignedMessage | undefined {
  const bench = rt.machine.benchState;
  if (bench === undefined || block.number - bench.startBlock < bench.duration) return undefined;
  rt.machine.benchState = undefined;
  const iterations = benchIterations(rt, block.nowMs) - bench.startIter;
  const sent = push(rt, REGISTRY_TOPIC, registryEventCodec.enc({ tag: 'BenchReport', value: { startTime: bench.startTimeMs, iterations } }));
  if (needPause(rt.machine)) rt.counter = pauseCounter(rt.counter, rt.cpu, block.nowMs);
  return sent;
}

/** `purge_mq`: drops egress the chain has accepted; `nextSequenceFor` reads `OffchainIngress`. */
export function purgeEgress(rt: WorkerRuntime, nextSequenceFor: (origin: MessageOrigin) => bigint): void {
  for (const channel of rt.egress.values()) purgeChannel(channel, nextSequenceFor(channel.origin));
}

/** The worker channel's messages from `onChainNextSequence` on: what pherry (re-)relays. */
export function pendingEgress(rt: WorkerRuntime, onChainNextSequence: bigint): readonly SignedMessage[] {
  return pendingFrom(rt.workerChannel, onChainNextSequence);
}

/** Switches a channel's dummy mode (the worker channel when `origin` is omitted). */
export function setDummyMode(rt: WorkerRuntime, dummy: boolean, origin?: MessageOrigin): void {
  const channel = origin === undefined ? rt.workerChannel : rt.egress.get(originKey(origin));
  if (channel === undefined) throw new Error('setDummyMode: no channel for that origin');
  channel.dummy = dummy;
}
