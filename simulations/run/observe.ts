/**
 * What the driver reads off the chain after each block: events decoded, the per-block series row,
 * workers by session state, and the reward totals of the summary. Reads state and the block's own
 * events only: one pass over the events, and the sessions and workers the block wrote.
 */
import { eventRecordCodec, type Block } from '../../domain/chain/block';
import { account } from '../../domain/chain/pallets/balances.pallet';
import { ComputationConfigValue, Sessions } from '../../domain/chain/pallets/computationState';
import { Pools } from '../../domain/chain/pallets/poolStorage';
import { Workers } from '../../domain/chain/pallets/registryState';
import type { Runtime } from '../../domain/runtime/runtime';
import type { Storage, StorageReader } from '../../domain/runtime/storage';
import type { RuntimeEvent, Tagged } from '../../domain/runtime/types';
import type { SeriesRow, WorkerStateName } from '../report/series';

const PHA_UNITS = 10n ** 12n;

/** The events of a block, decoded in order. */
export function decodeEvents(runtime: Runtime, block: Block): RuntimeEvent[] {
  const codec = eventRecordCodec(runtime.eventCodec);
  return block.events.map((bytes) => codec.dec(bytes).event);
}

/** Workers by session state (a registered worker without a session is `Unbound`) and ΣV. */
export interface SessionSummary {
  readonly workers: Record<WorkerStateName, number>;
  readonly totalV: bigint;
}

/**
 * Workers by session state and ΣV, kept up to date from the storage writes of each block: one
 * full pass when created, then work proportional to the sessions and workers a block touched
 * (khala-day's 20,000 sessions are not scanned per block).
 */
export interface SessionTally {
  summary(): SessionSummary;
}

/** A tally over `storage` (the chain's committed state). */
export function createSessionTally(storage: Storage): SessionTally {
  const sessionsChanged = storage.watch(Sessions.def);
  const workersChanged = storage.watch(Workers.def);
  const sessions = new Map<string, { state: WorkerStateName; v: bigint }>();
  const workers: Record<WorkerStateName, number> = { Unbound: 0, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 };
  const registered = new Set<string>();
  let totalV = 0n;
  const take = (keyId: string) => {
    const old = sessions.get(keyId);
    if (old !== undefined) {
      workers[old.state]--;
      totalV -= old.v;
      sessions.delete(keyId);
    }
    const now = storage.read(Sessions.def, keyId)?.[1] as { state: WorkerStateName; v: bigint } | undefined;
    if (now === undefined) return;
    sessions.set(keyId, { state: now.state, v: now.v });
    workers[now.state]++;
    totalV += now.v;
  };
  const refresh = () => {
    for (const k of sessionsChanged) take(k);
    sessionsChanged.clear();
    for (const k of workersChanged) {
      if (storage.read(Workers.def, k) === undefined) registered.delete(k);
      else registered.add(k);
    }
    workersChanged.clear();
  };
  for (const e of storage.entries(Sessions.def)) sessionsChanged.add(Sessions.keyId(e[0] as string));
  for (const e of storage.entries(Workers.def)) workersChanged.add(Workers.keyId(e[0] as string));
  return {
    summary() {
      refresh();
      return { workers: { ...workers, Unbound: Math.max(0, registered.size - sessions.size) }, totalV };
    },
  };
}

/** One full pass over the sessions: what {@link SessionTally} must always agree with (tests). */
export function scanSessions(s: StorageReader): SessionSummary {
  const workers: Record<WorkerStateName, number> = { Unbound: 0, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 };
  let totalV = 0n;
  const all = Sessions.entries(s);
  for (const [, session] of all) {
    workers[session.state as WorkerStateName]++;
    totalV += session.v;
  }
  workers.Unbound = Math.max(0, Workers.entries(s).length - all.length);
  return { workers, totalV };
}

/** Treasury account's PHA. */
export const treasuryBalance = (s: StorageReader): bigint => account(s, ComputationConfigValue.get(s).treasuryAccount).free;

const tagOf = (e: RuntimeEvent) => `${e.tag}.${(e.value as Tagged).tag}`;

/** Counts of interesting events in a block. */
export interface BlockCounts {
  payout: bigint;
  offline: number;
  recovered: number;
  /** messages accepted from workers (heartbeats, and the rarer bench reports and key uploads) */
  heartbeats: number;
  gatekeeperReports: number;
}

/** Scans a block's events once. */
export function countEvents(events: readonly RuntimeEvent[]): BlockCounts {
  const c: BlockCounts = { payout: 0n, offline: 0, recovered: 0, heartbeats: 0, gatekeeperReports: 0 };
  for (const e of events) {
    const v = (e.value as Tagged).value as Record<string, unknown>;
    switch (tagOf(e)) {
      case 'PhalaStakePoolv2.RewardReceived':
        c.payout += (v.toOwner as bigint) + (v.toStakers as bigint);
        break;
      case 'PhalaComputation.WorkerEnterUnresponsive':
        c.offline++;
        break;
      case 'PhalaComputation.WorkerExitUnresponsive':
        c.recovered++;
        break;
      case 'PhalaMq.OffchainMessageAccepted': {
        const sender = v.sender as { tag: string };
        if (sender.tag === 'Gatekeeper') c.gatekeeperReports++;
        else if (sender.tag === 'Worker') c.heartbeats++;
        break;
      }
      default:
    }
  }
  return c;
}

/** The series row of a block. */
export function seriesRowOf(block: Block, events: readonly RuntimeEvent[], s: StorageReader, tally: SessionTally, treasuryDelta: bigint, challenges: number): SeriesRow {
  const counts = countEvents(events);
  const { workers, totalV } = tally.summary();
  let stake = 0n;
  for (const [, pool] of Pools.entries(s)) if (pool.tag === 'StakePool') stake += pool.value.basepool.totalValue;
  return {
    block: block.header.number,
    timestampMs: Number(block.header.timestamp),
    workers,
    // V is U64F64; the series shows it with 12 decimals like an amount
    totalV: (totalV * PHA_UNITS) >> 64n,
    payout: counts.payout,
    treasury: treasuryDelta < 0n ? 0n : treasuryDelta,
    stake,
    events: events.length,
    challenges,
    heartbeats: counts.heartbeats,
    offline: counts.offline,
    recovered: counts.recovered,
    gatekeeperReports: counts.gatekeeperReports,
  };
}
