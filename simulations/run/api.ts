/**
 * The contract between the simulation driver (`runSimulation`) and its callers (the `simulate`
 * command, tests, benchmarks): what a run is given and what it hands back. The CLI turns a
 * `SimulationResult` into the `RunSummary` of issue 6 (adding seed, scenario, store URL, duration).
 */
import type { LeakScanner } from '../checks/leakScanner';
import type { ActorSystem } from '../../actors/actorSystem';
import type { Clock } from '../../domain/ports/clock';
import type { EventStore } from '../../domain/ports';
import type { CheckResult } from '../report/summary';
import type { SeriesRow, WorkerStateName } from '../report/series';
import type { ResolvedScenario } from '../scenario/resolved.codec';

/** Where a run is, reported after every block. */
export interface SimulationProgress {
  /** the block just produced (1-based; genesis is 0) */
  readonly block: number;
  readonly totalBlocks: number;
}

/** What a run needs. The store must be empty: the ledger (block 0 = chain spec) is written to it. */
export interface RunSimulationOptions {
  readonly scenario: ResolvedScenario;
  readonly store: EventStore;
  /** one call per produced block, in order (the CSV writer, tests) */
  readonly onSeriesRow?: (row: SeriesRow) => void;
  /** progress after every block */
  readonly onProgress?: (progress: SimulationProgress) => void;
  /** human-readable lines worth logging (a gatekeeper joined, a fault switched on) */
  readonly onNote?: (block: number, line: string) => void;
  /** once, before the first block: the run's actor system (operators' tooling, tests that steer an actor) */
  readonly onActors?: (actors: SimulationActors) => void;
  /**
   * the scanner behind "no secret leaked" (default: a new one). The run watches every enclave
   * object on it, so a test can scan what the run left behind — store files, projections — after.
   */
  readonly leakScanner?: LeakScanner;
}

/** The run's actors as `onActors` sees them. */
export interface SimulationActors {
  readonly system: ActorSystem;
  /** the run's virtual clock (timers on it fire between blocks, in seeded order) */
  readonly clock: Clock;
  /** the block producer's address (PAUSE / RESUME it) */
  readonly producer: string;
  /** the address of gatekeeper host `index` */
  gatekeeper(index: number): string;
}

/** What a run produced. Amounts are PHA units (10^12 per PHA). */
export interface SimulationResult {
  readonly head: { readonly number: number; readonly hash: string; readonly stateRoot: string };
  /** runtime events in all blocks, genesis included */
  readonly events: number;
  /** workers by session state at the head (Phala's states plus "Unbound") */
  readonly workers: Readonly<Record<WorkerStateName, number>>;
  /** W-PHA actually minted to pools and owners, PHA actually sent to the treasury */
  readonly rewards: { readonly payout: bigint; readonly treasury: bigint };
  /** every invariant check, in a fixed order */
  readonly checks: readonly CheckResult[];
}

/** Runs a resolved scenario to its end (or its first fatal error). */
export type RunSimulation = (options: RunSimulationOptions) => Promise<SimulationResult>;
