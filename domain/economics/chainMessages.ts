/**
 * What the gatekeeper economics takes from the chain's messages, and what its report looks like on
 * chain — shared by the gatekeeper pRuntime (`enclave/gatekeeper`), replay (which re-derives every
 * report from the ledger) and the workers projection (the full gatekeeper view), so that all three
 * feed the engine the same way.
 */
import { type ClusterEvent, ClusterEventScale } from '../codec/contractEvents.codec';
import {
  type GatekeeperChange,
  GatekeeperChangeScale,
  type GatekeeperEvent,
  GatekeeperEventScale,
  type GatekeeperLaunch,
  GatekeeperLaunchScale,
  type KeyDistribution,
  KeyDistributionScale,
} from '../codec/gatekeeperEvents.codec';
import { fromHex, toHexPlain } from '../codec/hex';
import type { Message, MessageOrigin } from '../codec/mq.codec';
import type { Scale } from '../codec/scale';
import { type SystemEvent, SystemEventScale, type WorkingInfoUpdateEvent, type WorkingReportEvent, WorkingReportEventScale } from '../codec/systemEvents.codec';
import { topics } from '../codec/topics';
import type { EconomicsMessage, WorkingInfoUpdate } from './messages';

/** A chain message the gatekeeper role acts on, decoded; everything else is `undefined`. */
export type GkInbound =
  | { readonly kind: 'launch'; readonly origin: MessageOrigin; readonly event: GatekeeperLaunch }
  | { readonly kind: 'change'; readonly origin: MessageOrigin; readonly event: GatekeeperChange }
  | { readonly kind: 'key'; readonly origin: MessageOrigin; readonly event: KeyDistribution }
  | { readonly kind: 'gatekeeperEvent'; readonly origin: MessageOrigin; readonly event: GatekeeperEvent }
  | { readonly kind: 'cluster'; readonly origin: MessageOrigin; readonly event: ClusterEvent }
  | { readonly kind: 'system'; readonly origin: MessageOrigin; readonly event: SystemEvent }
  | { readonly kind: 'report'; readonly origin: MessageOrigin; readonly event: WorkingReportEvent };

const utf8 = new TextDecoder('utf-8', { fatal: false });

// phala-mq's `select_ignore_errors!` drops a message its receiver cannot decode: so do we.
function tryDecode<T>(codec: Scale<T>, payload: Uint8Array): T | undefined {
  try {
    return codec.decode(payload);
  } catch {
    return undefined;
  }
}

/** Decodes a chain message by its topic (the subscriptions a pRuntime with GK state holds). */
export function decodeGkInbound(message: Message): GkInbound | undefined {
  const origin = message.sender;
  const p = message.payload;
  switch (utf8.decode(message.destination)) {
    case topics.gatekeeperLaunch: {
      const event = tryDecode(GatekeeperLaunchScale, p);
      return event && { kind: 'launch', origin, event };
    }
    case topics.gatekeeperChange: {
      const event = tryDecode(GatekeeperChangeScale, p);
      return event && { kind: 'change', origin, event };
    }
    case topics.gatekeeperKey: {
      const event = tryDecode(KeyDistributionScale, p);
      return event && { kind: 'key', origin, event };
    }
    case topics.gatekeeperEvent: {
      const event = tryDecode(GatekeeperEventScale, p);
      return event && { kind: 'gatekeeperEvent', origin, event };
    }
    case topics.clusterEvent: {
      const event = tryDecode(ClusterEventScale, p);
      return event && { kind: 'cluster', origin, event };
    }
    case topics.systemEvent: {
      const event = tryDecode(SystemEventScale, p);
      return event && { kind: 'system', origin, event };
    }
    case topics.workingReport: {
      const event = tryDecode(WorkingReportEventScale, p);
      return event && { kind: 'report', origin, event };
    }
    default:
      return undefined;
  }
}

const hexKey = (pubkey: Uint8Array) => `0x${toHexPlain(pubkey)}`;

/**
 * What the economics engine sees of an inbound message (`ComputingEconomics::process_messages`):
 * worker events and challenges from a pallet, heartbeats from the worker itself, parameter changes
 * from a pallet. A message from the wrong origin is ignored, as gk.rs does.
 */
export function economicsMessageOf(inbound: GkInbound): EconomicsMessage | undefined {
  switch (inbound.kind) {
    case 'system':
      return inbound.origin.tag === 'Pallet' ? systemEconomics(inbound.event) : undefined;
    case 'report':
      return inbound.origin.tag === 'Worker' ? heartbeatEconomics(hexKey(inbound.origin.value), inbound.event) : undefined;
    case 'gatekeeperEvent':
      return inbound.origin.tag === 'Pallet' && inbound.event.tag === 'TokenomicParametersChanged'
        ? { type: 'TokenomicParametersChanged', params: inbound.event.value }
        : undefined;
    case 'launch':
    case 'change':
    case 'key':
    case 'cluster':
      return undefined;
    default: {
      const unknown: never = inbound;
      throw new Error(`unknown inbound ${JSON.stringify(unknown)}`);
    }
  }
}

function systemEconomics(event: SystemEvent): EconomicsMessage | undefined {
  if (event.tag === 'HeartbeatChallenge') return { type: 'HeartbeatChallenge', seed: event.value.seed, onlineTarget: event.value.onlineTarget };
  const pubkey = hexKey(event.value.pubkey);
  const e = event.value.event;
  switch (e.tag) {
    case 'Registered':
      return { type: 'WorkerRegistered', pubkey, confidenceLevel: e.value.confidenceLevel };
    case 'BenchStart':
      return undefined;
    case 'BenchScore':
      return { type: 'BenchScore', pubkey, score: e.value };
    case 'Started':
      return { type: 'WorkerStarted', pubkey, sessionId: e.value.sessionId, initV: e.value.initV, initP: e.value.initP };
    case 'Stopped':
      return { type: 'WorkerStopped', pubkey };
    case 'EnterUnresponsive':
      return { type: 'WorkerEnterUnresponsive', pubkey };
    case 'ExitUnresponsive':
      return { type: 'WorkerExitUnresponsive', pubkey };
    default: {
      const unknown: never = e;
      throw new Error(`unknown worker event ${JSON.stringify(unknown)}`);
    }
  }
}

function heartbeatEconomics(pubkey: string, event: WorkingReportEvent): EconomicsMessage {
  const v = event.value;
  const base = { type: 'Heartbeat', pubkey, sessionId: v.sessionId, challengeBlock: v.challengeBlock, challengeTimeMs: Number(v.challengeTime), iterations: v.iterations } as const;
  return event.tag === 'HeartbeatV2' ? { ...base, nClusters: event.value.nClusters } : base;
}

/** The engine's report as the chain records it (`WorkingInfoUpdateEvent`): pubkeys as bytes, the time as u64. */
export function workingInfoUpdateRecord(r: WorkingInfoUpdate): WorkingInfoUpdateEvent {
  const bytes = (hex: string) => fromHex(hex, 'worker pubkey', 32);
  return {
    blockNumber: r.blockNumber,
    timestampMs: BigInt(r.timestampMs),
    offline: r.offline.map(bytes),
    recoveredToOnline: r.recoveredToOnline.map(bytes),
    settle: r.settle.map((s) => ({ pubkey: bytes(s.pubkey), v: s.v, payout: s.payout, treasury: s.treasury })),
  };
}
