/**
 * What the parts of the simulated bus share: the scheduler, latency, faults, counters and trace.
 * Internal to `simulations/network`.
 */
import type { BusMessage } from '../../domain/ports/bus';
import type { Random } from '../../domain/ports/random';
import type { Scheduler } from '../scheduler';
import type { FaultLayer } from './faults';

/** One-way latency of the network: `baseMs` plus a seeded uniform draw in [0, jitterMs] */
export interface LatencyConfig {
  readonly baseMs: number;
  readonly jitterMs: number;
}

/** What happened on the simulated network, for traces and determinism checks */
export type BusTraceEntry =
  | { readonly kind: 'dropped'; readonly atMs: number; readonly topic: string; readonly messageId: string; readonly nodeId: string }
  | {
      readonly kind: 'appended';
      readonly atMs: number;
      readonly topic: string;
      readonly partition: number;
      readonly offset: bigint;
      readonly messageId: string;
      readonly nodeId: string;
      /** true for the second copy a `duplicate` fault appends */
      readonly copy: boolean;
    }
  | {
      readonly kind: 'delivered' | 'failed';
      readonly atMs: number;
      readonly topic: string;
      readonly partition: number;
      readonly offset: bigint;
      readonly groupId: string;
      readonly memberId: string;
      readonly nodeId: string;
      readonly messageId: string;
    }
  | { readonly kind: 'held'; readonly atMs: number; readonly untilMs: number; readonly nodeId: string; readonly topic: string | null };

/** Counters of the simulated network */
export interface BusStats {
  /** messages handed to `publish` */
  published: number;
  /** messages lost by the `drop` fault */
  dropped: number;
  /** extra copies appended by the `duplicate` fault */
  duplicated: number;
  /** records appended to partition logs (copies included) */
  appended: number;
  /** handler invocations (redeliveries included) */
  delivered: number;
  /** handler invocations that rejected */
  failed: number;
  /** publishes or deliveries held back by a network cut */
  held: number;
}

/** A record in a partition log */
export interface StoredRecord {
  readonly message: BusMessage;
  readonly partition: number;
  readonly offset: bigint;
  readonly appendedAtMs: number;
  /** the node that published it */
  readonly fromNode: string;
}

/** Shared state of one simulated network */
export interface NetworkContext {
  readonly scheduler: Scheduler;
  readonly faults: FaultLayer;
  readonly latency: LatencyConfig;
  /** root of the latency streams: one fork per producer node and per (group, topic, partition) */
  readonly latencyRandom: Random;
  /** how long a rejected message waits before it is delivered again */
  readonly retryDelayMs: number;
  readonly stats: BusStats;
  /** absent when nobody listens: callers use `trace?.(…)`, which then builds no entry */
  readonly trace: ((entry: BusTraceEntry) => void) | undefined;
}

/** one seeded latency draw from `stream` */
export function drawLatencyMs(latency: LatencyConfig, stream: Random): number {
  return latency.jitterMs > 0 ? latency.baseMs + stream.nextInt(0, latency.jitterMs) : latency.baseMs;
}

/** a fresh copy of a message, so no handler can change what the log holds */
export function copyMessage(message: BusMessage): BusMessage {
  const { topic, key, value, id, headers } = message;
  return headers === undefined
    ? { topic, key, value: value.slice(), id }
    : { topic, key, value: value.slice(), id, headers: { ...headers } };
}
