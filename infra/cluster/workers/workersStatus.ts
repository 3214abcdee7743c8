/**
 * What `/status` and `/metrics` say about the workers role: the owned partitions with their
 * epochs, the workers each hosts and the block they are synced to, workers by state, and the
 * partition host's counters (applied, skipped, fenced writes, claims, undecodable).
 */
import type { WorkerRuntime } from '../../../enclave/pruntime';
import type { PartitionHostStats } from '../placementHost';

/** A worker's state as the pRuntime's replicated machine has it. */
export type WorkerActorState = 'unregistered' | 'idle' | 'benchmarking' | 'computing' | 'unresponsive';

/** The state of one worker. */
export function workerStateOf(rt: WorkerRuntime): WorkerActorState {
  const m = rt.machine;
  if (!m.registered) return 'unregistered';
  if (m.workingState !== undefined) return m.workingState.state === 'Computing' ? 'computing' : 'unresponsive';
  return m.benchState === undefined ? 'idle' : 'benchmarking';
}

/** The role's status. */
export interface WorkersStatus {
  readonly topic: string;
  readonly partitions: readonly { readonly partition: number; readonly epoch: string; readonly workers: number; readonly syncedBlock: number | null }[];
  readonly actorsByState: Readonly<Record<string, number>>;
  readonly stats: PartitionHostStats;
}
