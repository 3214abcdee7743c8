/**
 * What the driver reads off the chain after each block: events decoded, the per-block series row,
 * workers by session state, and the reward totals of the summary. Reads state and the block's own
 * events only, so it costs one pass over the events plus one over the sessions per block.
 */
import { eventRecordCodec, type Block } from '../../domain/chain/block';
import { account } from '../../domain/chain/pallets/balances.pallet';
import { ComputationConfigValue, Sessions } from '../../domain/chain/pallets/computationState';
import { Pools } from '../../domain/chain/pallets/poolStorage';
import { Workers } from '../../domain/chain/pallets/registryState';
import type { Runtime } from '../../domain/runtime/runtime';
import type { StorageReader } from '../../domain/runtime/storage';
import type { RuntimeEvent, Tagged } from '../../domain/runtime/types';
import type { SeriesRow, WorkerStateName } from '../report/series';

const PHA_UNITS = 10n ** 12n;

/** The events of a block, decoded in order. */
export function decodeEvents(runtime: Runtime, block: Block): RuntimeEvent[] {
  const codec = eventRecordCodec(runtime.eventCodec);
  return block.events.map((bytes) => codec.dec(bytes).event);
}

/** Workers by session state (a registered worker without a session is `Unbound`) and ΣV, in one pass over the sessions. */
function sessionSummary(s: StorageReader): { workers: Record<WorkerStateName, number>; totalV: bigint } {
  const workers: Record<WorkerStateName, number> = { Unbound: 0, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 };
  let bound = 0;
  let totalV = 0n;
  for (const [, session] of Sessions.entries(s)) {
    workers[session.state as WorkerStateName]++;
    totalV += session.v;
    bound++;
  }
  workers.Unbound = Math.max(0, Workers.entries(s).length - bound);
  return { workers, totalV };
}

/** Workers by session state; a registered worker without a session is `Unbound`. */
export const workersByState = (s: StorageReader): Record<WorkerStateName, number> => sessionSummary(s).workers;

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
export function seriesRowOf(block: Block, events: readonly RuntimeEvent[], s: StorageReader, treasuryDelta: bigint, challenges: number): SeriesRow {
  const counts = countEvents(events);
  const { workers, totalV } = sessionSummary(s);
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
