/**
 * A stand-in simulation driver for the `simulate` command's tests: deterministic in the resolved
 * scenario (its seed, name and duration), it streams synthetic series rows, reports progress and
 * a note, appends one record per block to the store's `chain` stream, and can be told to fail a
 * check or crash mid-run.
 */
import { createHash } from 'node:crypto';
import type { CheckResult } from '../../../../simulations/report/summary';
import type { SeriesRow, WorkerStateName } from '../../../../simulations/report/series';
import { syntheticRows } from '../../../../simulations/report/testing/syntheticSeries';
import type { RunSimulation, RunSimulationOptions } from '../../../../simulations/run/api';

/** How the fake run behaves. */
export interface FakeRunOptions {
  /** this check fails at this block */
  readonly failCheck?: { readonly name: string; readonly block: number; readonly detail: string };
  /** throws after producing this block */
  readonly crashAfterBlock?: number;
  /** returns no checks at all */
  readonly noChecks?: boolean;
}

/** The check names the fake reports, in order. */
export const FAKE_CHECKS = ['no double payout', 'PHA issuance constant', 'emission audit'] as const;

function hash(...parts: (string | number | bigint)[]): string {
  return `0x${createHash('sha256').update(parts.join('|')).digest('hex')}`;
}

/** What the last call to the fake saw (for assertions). */
export interface FakeDriver {
  readonly run: RunSimulation;
  readonly calls: RunSimulationOptions[];
}

/** A fake driver; every call is recorded in `calls`. */
export function fakeRunSimulation(options: FakeRunOptions = {}): FakeDriver {
  const calls: RunSimulationOptions[] = [];
  const run: RunSimulation = async (o) => {
    calls.push(o);
    const { scenario, store } = o;
    const totalBlocks = scenario.durationBlocks;
    const workers = scenario.topology.totals.workers;
    let last: SeriesRow | undefined;
    let payout = 0n;
    let treasury = 0n;
    let events = 0;
    await store.append('chain', [{ type: 'Genesis', schemaVersion: 1, data: new Uint8Array([0]) }], 'no-stream');
    for (const row of syntheticRows({ blocks: totalBlocks, workers, seed: Number(scenario.seed % 0xffff_ffffn), blockTimeMs: scenario.chain.blockTimeMs })) {
      await store.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data: new Uint8Array([row.block & 0xff]) }], row.block - 1);
      o.onSeriesRow?.(row);
      o.onProgress?.({ block: row.block, totalBlocks });
      if (row.block === 1) o.onNote?.(1, `${scenario.topology.totals.gatekeepers} gatekeeper(s) started`);
      payout += row.payout;
      treasury += row.treasury;
      events += row.events;
      last = row;
      if (options.crashAfterBlock === row.block) throw new Error('fake driver crashed on purpose');
    }
    const byState = (last?.workers ?? { Unbound: 0, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 }) as Record<WorkerStateName, number>;
    const checks: CheckResult[] = options.noChecks
      ? []
      : FAKE_CHECKS.map((name) =>
          options.failCheck?.name === name ? { name, passed: false, block: options.failCheck.block, detail: options.failCheck.detail } : { name, passed: true },
        );
    return {
      head: { number: totalBlocks, hash: hash('head', scenario.name, scenario.seed, totalBlocks), stateRoot: hash('state', scenario.name, scenario.seed, totalBlocks) },
      events,
      workers: { ...byState },
      rewards: { payout, treasury },
      checks,
    };
  };
  return { run, calls };
}
