/**
 * Synthetic but plausible per-block series for tests and the sample report
 * (`scripts/render-sample-report.ts`): workers register, bind, start computing, sometimes go
 * unresponsive and recover, some stop and cool down; V grows while computing; settlements pay
 * out in bursts with a treasury share. Deterministic for a seed (its own xorshift, no I/O).
 */
import { PHA_UNITS } from '../../../domain/index';
import type { SeriesRow, WorkerStateName } from '../series';
import type { RunSummary } from '../summary';

/** A tiny deterministic generator (xorshift32) returning floats in [0, 1). */
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** Knobs of the synthetic run. */
export interface SyntheticOptions {
  readonly blocks: number;
  readonly workers: number;
  readonly seed: number;
  readonly blockTimeMs?: number;
  readonly genesisMs?: number;
}

const STAKE_UNITS = 5_000n * PHA_UNITS;
const COOL_DOWN_BLOCKS = 600;

/** One row per block, produced lazily (so tests can stream 7,200 blocks). */
export function* syntheticRows(o: SyntheticOptions): Generator<SeriesRow> {
  const rand = xorshift(o.seed);
  const n = o.workers;
  const state: WorkerStateName[] = new Array(n).fill('Unbound');
  const since = new Array<number>(n).fill(0);
  const registeredAt = Array.from({ length: n }, (_, i) => Math.floor((i / n) * Math.min(600, o.blocks / 3)));
  const v = new Array<bigint>(n).fill(0n);
  let registered = 0;
  for (let block = 1; block <= o.blocks; block++) {
    let payout = 0n;
    let offline = 0;
    let recovered = 0;
    let challenges = 0;
    let heartbeats = 0;
    while (registered < n && registeredAt[registered]! <= block) registered++;
    for (let i = 0; i < registered; i++) {
      const r = rand();
      const s = state[i]!;
      const age = block - since[i]!;
      const go = (next: WorkerStateName) => {
        state[i] = next;
        since[i] = block;
      };
      if (s === 'Unbound' && age > 20 && r < 0.05) go('Ready');
      else if (s === 'Ready' && age > 10 && r < 0.04) {
        go('WorkerIdle');
        v[i] = 3_000n * PHA_UNITS + BigInt(Math.floor(rand() * 2_000)) * PHA_UNITS;
      } else if (s === 'WorkerIdle') {
        v[i] = v[i]! + v[i]! / 20_000n;
        if (r < 0.02) challenges++;
        if (r < 0.0006 || (block > o.blocks * 0.55 && block < o.blocks * 0.58 && r < 0.004)) {
          go('WorkerUnresponsive');
          offline++;
        } else if (r > 0.99985) go('WorkerCoolingDown');
        else if (r > 0.992) {
          const paid = v[i]! / 1_500n;
          payout += paid;
          heartbeats++;
        }
      } else if (s === 'WorkerUnresponsive') {
        v[i] = v[i]! - v[i]! / 5_000n;
        if (age > 30 && r < 0.03) {
          go('WorkerIdle');
          recovered++;
        }
      } else if (s === 'WorkerCoolingDown' && age > COOL_DOWN_BLOCKS) {
        go('Ready');
        v[i] = 0n;
      }
    }
    yield blockRow(block, o, state, v, { payout, offline, recovered, challenges, heartbeats });
  }
}

interface BlockCounts {
  payout: bigint;
  offline: number;
  recovered: number;
  challenges: number;
  heartbeats: number;
}

function blockRow(block: number, o: SyntheticOptions, state: readonly WorkerStateName[], v: readonly bigint[], c: BlockCounts): SeriesRow {
  const workers: Record<WorkerStateName, number> = { Unbound: 0, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 };
  let totalV = 0n;
  for (let i = 0; i < state.length; i++) {
    const s = state[i]!;
    workers[s]++;
    if (s !== 'Unbound' && s !== 'Ready') totalV += v[i]!;
  }
  const stake = BigInt(workers.WorkerIdle + workers.WorkerUnresponsive + workers.WorkerCoolingDown) * STAKE_UNITS;
  const gatekeeperReports = c.offline + c.recovered + (c.payout > 0n ? 1 : 0);
  return {
    block,
    timestampMs: (o.genesisMs ?? 1_700_000_000_000) + block * (o.blockTimeMs ?? 12_000),
    workers,
    totalV,
    payout: c.payout,
    treasury: (c.payout * 25n) / 100n,
    stake,
    events: 2 + c.challenges + c.heartbeats * 2 + gatekeeperReports * 3,
    challenges: c.challenges,
    heartbeats: c.heartbeats,
    offline: c.offline,
    recovered: c.recovered,
    gatekeeperReports,
  };
}

/** A summary consistent with `syntheticRows` for the same options, with one failed check. */
export function syntheticSummary(o: SyntheticOptions, last: SeriesRow, totals: { payout: string; treasury: string; events: number }): RunSummary {
  return {
    seed: o.seed,
    scenario: 'khala-day',
    blocks: o.blocks,
    events: totals.events,
    store: 'sqlite:runs/khala-day/ledger.db',
    head: { number: last.block, hash: `0x${'3c'.repeat(32)}`, stateRoot: `0x${'a7'.repeat(32)}` },
    workers: { ...last.workers },
    rewards: { payout: totals.payout, treasury: totals.treasury },
    checks: [
      { name: 'no double payout', passed: true },
      { name: 'stake conserved', passed: true },
      { name: 'mq sequences contiguous', passed: true },
      { name: 'gatekeepers agree', passed: false, block: Math.floor(o.blocks * 0.56), detail: 'gatekeeper 2 settled 0.250000000000 PHA more to worker 0x5e1f…a9 than gatekeeper 0' },
      { name: 'no secret leaked', passed: true },
    ],
    durationMs: 83_412,
  };
}
