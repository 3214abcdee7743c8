/**
 * The worker host's context and the human-readable status line of each of its states (what
 * `phalanet status` and the actor system's `ActorStatus.message` show an operator).
 */

/** What the host last learned about its chain session (DOMAIN.md §5.2, "none" = Ready/unbound). */
export type SessionFact = 'none' | 'computing' | 'unresponsive' | 'coolingDown';

/** The worker host's private state; JSON only, since it is persisted with the snapshot. */
export interface WorkerHostContext {
  readonly workerId: string;
  readonly registrationTimeoutMs: number;
  readonly registrationAttemptsMax: number;
  /** attempts made in the current registration (0 when not registering) */
  readonly registrationAttempt: number;
  /** virtual time at which the current attempt is given up and re-submitted */
  readonly registrationDeadlineMs: number | null;
  readonly registeredAtBlock: number | null;
  /** the chain's `initial_score`, once the benchmark is reported */
  readonly score: number | null;
  readonly session: SessionFact;
  /** block of the last session change (start or stop) */
  readonly sessionSinceBlock: number | null;
  readonly unresponsiveSinceBlock: number | null;
  /** the pRuntime's block at start (checkpoint), then the head it caught up with */
  readonly headBlock: number | null;
  readonly crashes: number;
  readonly restarts: number;
  readonly lastError: string | null;
  readonly statusMessage: string;
}

/** The worker host's top-level states. */
export type WorkerHostStateName =
  | 'starting'
  | 'syncing'
  | 'registering'
  | 'benchmarking'
  | 'synced'
  | 'computing'
  | 'unresponsive'
  | 'coolingDown'
  | 'crashed'
  | 'error';

const at = (block: number | null) => (block === null ? '' : ` at block ${block}`);

/** One line saying what the worker is doing and what it waits for. */
export function workerHostStatus(state: WorkerHostStateName, c: WorkerHostContext): string {
  switch (state) {
    case 'starting':
      return c.restarts === 0 ? 'starting: booting pRuntime' : `starting: restoring pRuntime from its sealed checkpoint (restart ${c.restarts})`;
    case 'syncing':
      return `syncing: catching up with the chain head from block ${c.headBlock ?? 0}`;
    case 'registering':
      return `registering: waiting for the chain to accept the attestation (attempt ${c.registrationAttempt} of ${c.registrationAttemptsMax})`;
    case 'benchmarking':
      return `benchmarking: registered${at(c.registeredAtBlock)}, waiting for the benchmark score`;
    case 'synced':
      return `synced: registered${at(c.registeredAtBlock)}, score ${c.score ?? 'unknown'}; waiting for a computing session`;
    case 'computing':
      return `computing: session running since block ${c.sessionSinceBlock ?? '?'}`;
    case 'unresponsive':
      return `unresponsive since block ${c.unresponsiveSinceBlock ?? '?'}: marked offline by the gatekeeper; waiting for its heartbeats to be seen`;
    case 'coolingDown':
      return `cooling down since block ${c.sessionSinceBlock ?? '?'}: session stopped; stake locked until reclaimed`;
    case 'crashed':
      return `crashed: ${c.lastError ?? 'unknown reason'}; waiting to be restarted from the sealed checkpoint (crash ${c.crashes})`;
    case 'error':
      return `error: ${c.lastError ?? 'unknown error'}; needs an operator restart`;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
