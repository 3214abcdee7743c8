/**
 * The worker host: one pherry + pRuntime pair, in the spirit of Phala's runtime-bridge (prb v3's
 * `WorkerLifecycleState`: Starting, Synchronizing, Preparing, Working, HasError, Restarting).
 *
 *   starting → syncing → synced ─────────────────────────────→ computing ⇄ unresponsive
 *                           ↘ registering → benchmarking → synced ↗        ↓ SESSION_STOPPED
 *                                 ↘ error (attempts exhausted)    synced ← coolingDown (RECLAIMED)
 *   any live state → crashed (CRASHED) → starting (RESTARTED); any → error (FAILED)
 *
 * The machine owns waiting, retries and the human-readable `statusMessage`; the chain (deciders,
 * engines) owns the truth. Per-block work (syncing every block, heartbeats) never passes through
 * here: the driver sends an event only when a fact concerns this worker (ARCHITECTURE.md §4).
 *
 * EVENT TABLE (all sent by the simulation driver / infra host, never by other machines)
 * | event               | payload             | when                                                           |
 * | RUNTIME_STARTED     | block               | pRuntime answered after (re)start; `block` = its checkpoint (0 = fresh) |
 * | HEAD_REACHED        | block               | pherry caught up with the chain head after (re)starting        |
 * | REGISTERED          | block               | the block holding `register_worker_v2` for this worker was synced |
 * | BENCHMARK_DONE      | score               | the chain set `initial_score` from this worker's BenchReport     |
 * | SESSION_STARTED     | block               | `start_computing` for the session bound to this worker (T2)      |
 * | MARKED_UNRESPONSIVE | block               | a GK report listed the worker as offline (T3)                    |
 * | RECOVERED           | block               | a GK report listed the worker as recovered (T4)                  |
 * | SESSION_STOPPED     | block               | `stop_computing` (T5): the session is cooling down               |
 * | RECLAIMED           | block               | the cooled-down stake was reclaimed (T6): ready for a new session |
 * | CRASHED             | reason              | the pRuntime process died (fault injection, panic)              |
 * | RESTARTED           | —                   | the operator restarted it; it restores from its sealed checkpoint |
 * | FAILED              | message             | an unrecoverable error (bad attestation, version refused)      |
 * | phalanet.restored   | —                   | sent by the actor system after a restore: re-arms the timer     |
 * Facts about the chain session (SESSION_*, MARKED_UNRESPONSIVE, RECOVERED, REGISTERED,
 * BENCHMARK_DONE) are recorded in any state, so a worker that is down or re-syncing returns to
 * the right state once it has caught up.
 *
 * ACTIONS the driver provides (`.provide({ actions })`; defaults do nothing):
 * `startRuntime` (entering `starting`), `startSync` (entering `syncing`), `submitRegistration`
 * (each registration attempt; read `context.registrationAttempt`), `reportStatus` (every state entry).
 *
 * TIMER: `registering` re-submits when the chain has not accepted the registration by
 * `registrationDeadlineMs` (delay `registrationRetry`, xstate id
 * `xstate.after.registrationRetry.workerHost.registering`), at most `registrationAttemptsMax`
 * attempts, then `error`.
 *
 * CONTEXT: see `WorkerHostContext`. Everything is JSON (numbers, strings, null): it is persisted.
 */
import { assign, setup } from 'xstate';
import { RESTORED } from './actorSystem';
import { type MachineClock, msUntil } from './machineClock';
import { type WorkerHostContext, type WorkerHostStateName, workerHostStatus } from './workerHost.status';

export type { SessionFact, WorkerHostContext, WorkerHostStateName } from './workerHost.status';

/** What a worker host starts from. */
export interface WorkerHostInput {
  /** the worker's pubkey (hex) or another stable name used in messages */
  readonly workerId: string;
  readonly registrationTimeoutMs: number;
  readonly registrationAttemptsMax: number;
}

/** Events a worker host accepts (see the EVENT TABLE above). */
export type WorkerHostEvent =
  | { readonly type: 'RUNTIME_STARTED'; readonly block: number }
  | { readonly type: 'HEAD_REACHED'; readonly block: number }
  | { readonly type: 'REGISTERED'; readonly block: number }
  | { readonly type: 'BENCHMARK_DONE'; readonly score: number }
  | { readonly type: 'SESSION_STARTED'; readonly block: number }
  | { readonly type: 'MARKED_UNRESPONSIVE'; readonly block: number }
  | { readonly type: 'RECOVERED'; readonly block: number }
  | { readonly type: 'SESSION_STOPPED'; readonly block: number }
  | { readonly type: 'RECLAIMED'; readonly block: number }
  | { readonly type: 'CRASHED'; readonly reason: string }
  | { readonly type: 'RESTARTED' }
  | { readonly type: 'FAILED'; readonly message: string }
  | { readonly type: typeof RESTORED };

const status = (state: WorkerHostStateName) => [{ type: 'setStatus' as const, params: { state } }, 'reportStatus' as const];

/** Records every fact about this worker's chain state, whatever the lifecycle state. */
function recordFact(context: WorkerHostContext, event: WorkerHostEvent): Partial<WorkerHostContext> {
  switch (event.type) {
    case 'REGISTERED':
      return { registeredAtBlock: event.block, registrationDeadlineMs: null };
    case 'BENCHMARK_DONE':
      return { score: event.score };
    case 'SESSION_STARTED':
      return { session: 'computing', sessionSinceBlock: event.block };
    case 'MARKED_UNRESPONSIVE':
      return context.session === 'computing' ? { session: 'unresponsive', unresponsiveSinceBlock: event.block } : {};
    case 'RECOVERED':
      return context.session === 'unresponsive' ? { session: 'computing', unresponsiveSinceBlock: null } : {};
    case 'SESSION_STOPPED':
      return { session: 'coolingDown', sessionSinceBlock: event.block, unresponsiveSinceBlock: null };
    case 'RECLAIMED':
      return { session: 'none', sessionSinceBlock: null };
    default:
      return {};
  }
}

/**
 * The worker host machine. `clock` is read for deadlines only (timers run on the actor's clock).
 * Provide `startRuntime`, `startSync`, `submitRegistration`, `reportStatus`.
 */
export function workerHostMachine(clock: MachineClock) {
  return setup({
    types: { context: {} as WorkerHostContext, events: {} as WorkerHostEvent, input: {} as WorkerHostInput },
    actions: {
      startRuntime: () => {},
      startSync: () => {},
      submitRegistration: () => {},
      reportStatus: () => {},
      setStatus: assign(({ context }, params: { state: WorkerHostStateName }) => ({ statusMessage: workerHostStatus(params.state, context) })),
      recordFact: assign(({ context, event }) => recordFact(context, event)),
      recordHead: assign(({ event }) => ('block' in event ? { headBlock: event.block } : {})),
      beginRegistrationAttempt: assign(({ context }) => ({
        registrationAttempt: context.registrationAttempt + 1,
        registrationDeadlineMs: clock.now() + context.registrationTimeoutMs,
      })),
      resetRegistration: assign({ registrationAttempt: 0, registrationDeadlineMs: null }),
      recordRegistrationGiveUp: assign(({ context }) => ({
        lastError: `the chain did not accept the registration after ${context.registrationAttempt} attempts of ${context.registrationTimeoutMs} ms`,
        registrationDeadlineMs: null,
      })),
      recordCrash: assign(({ context, event }) => ({ crashes: context.crashes + 1, lastError: event.type === 'CRASHED' ? event.reason : context.lastError })),
      recordFailure: assign(({ event, context }) => ({ lastError: event.type === 'FAILED' ? event.message : context.lastError })),
      recordRestart: assign(({ context }) => ({ restarts: context.restarts + 1, registrationAttempt: 0, registrationDeadlineMs: null })),
    },
    guards: {
      needsRegistration: ({ context }) => context.registeredAtBlock === null,
      needsScore: ({ context }) => context.score === null,
      isComputing: ({ context }) => context.session === 'computing',
      isUnresponsive: ({ context }) => context.session === 'unresponsive',
      isCoolingDown: ({ context }) => context.session === 'coolingDown',
      canRetryRegistration: ({ context }) => context.registrationAttempt < context.registrationAttemptsMax,
    },
    delays: {
      registrationRetry: ({ context }) => msUntil(clock, context.registrationDeadlineMs ?? clock.now()),
    },
  }).createMachine({
    id: 'workerHost',
    initial: 'starting',
    context: ({ input }) => ({
      workerId: input.workerId,
      registrationTimeoutMs: input.registrationTimeoutMs,
      registrationAttemptsMax: input.registrationAttemptsMax,
      registrationAttempt: 0,
      registrationDeadlineMs: null,
      registeredAtBlock: null,
      score: null,
      session: 'none',
      sessionSinceBlock: null,
      unresponsiveSinceBlock: null,
      headBlock: null,
      crashes: 0,
      restarts: 0,
      lastError: null,
      statusMessage: '',
    }),
    on: {
      REGISTERED: { actions: 'recordFact' },
      BENCHMARK_DONE: { actions: 'recordFact' },
      SESSION_STARTED: { actions: 'recordFact' },
      MARKED_UNRESPONSIVE: { actions: 'recordFact' },
      RECOVERED: { actions: 'recordFact' },
      SESSION_STOPPED: { actions: 'recordFact' },
      RECLAIMED: { actions: 'recordFact' },
      CRASHED: { target: '.crashed', actions: 'recordCrash' },
      FAILED: { target: '.error', actions: 'recordFailure' },
    },
    states: {
      starting: {
        entry: [...status('starting'), 'startRuntime'],
        on: { RUNTIME_STARTED: { target: 'syncing', actions: 'recordHead' } },
      },
      syncing: {
        entry: [...status('syncing'), 'startSync'],
        on: {
          HEAD_REACHED: [
            { guard: 'isComputing', target: 'computing', actions: 'recordHead' },
            { guard: 'isUnresponsive', target: 'unresponsive', actions: 'recordHead' },
            { guard: 'isCoolingDown', target: 'coolingDown', actions: 'recordHead' },
            { guard: 'needsRegistration', target: 'registering', actions: ['recordHead', 'beginRegistrationAttempt', 'submitRegistration'] },
            { guard: 'needsScore', target: 'benchmarking', actions: 'recordHead' },
            { target: 'synced', actions: 'recordHead' },
          ],
        },
      },
      registering: {
        entry: status('registering'),
        after: {
          registrationRetry: [
            { guard: 'canRetryRegistration', target: 'registering', reenter: true, actions: ['beginRegistrationAttempt', 'submitRegistration'] },
            { target: 'error', actions: 'recordRegistrationGiveUp' },
          ],
        },
        on: {
          REGISTERED: { target: 'benchmarking', actions: ['recordFact', 'resetRegistration'] },
          [RESTORED]: { target: 'registering', reenter: true },
        },
      },
      benchmarking: {
        entry: status('benchmarking'),
        on: { BENCHMARK_DONE: { target: 'synced', actions: 'recordFact' } },
      },
      synced: {
        entry: status('synced'),
        on: { SESSION_STARTED: { target: 'computing', actions: 'recordFact' } },
      },
      computing: {
        entry: status('computing'),
        on: {
          MARKED_UNRESPONSIVE: { target: 'unresponsive', actions: 'recordFact' },
          SESSION_STOPPED: { target: 'coolingDown', actions: 'recordFact' },
        },
      },
      unresponsive: {
        entry: status('unresponsive'),
        on: {
          RECOVERED: { target: 'computing', actions: 'recordFact' },
          SESSION_STOPPED: { target: 'coolingDown', actions: 'recordFact' },
        },
      },
      coolingDown: {
        entry: status('coolingDown'),
        on: {
          RECLAIMED: { target: 'synced', actions: 'recordFact' },
          // `restart_computing` reclaims without waiting for the cool-down and starts at once
          SESSION_STARTED: { target: 'computing', actions: 'recordFact' },
        },
      },
      crashed: {
        entry: status('crashed'),
        on: { CRASHED: { actions: 'recordCrash' }, RESTARTED: { target: 'starting', actions: 'recordRestart' } },
      },
      error: {
        entry: status('error'),
        on: { CRASHED: {}, FAILED: { actions: ['recordFailure', ...status('error')] }, RESTARTED: { target: 'starting', actions: 'recordRestart' } },
      },
    },
  });
}

/** The machine type (for `ActorKind`s and typed snapshots). */
export type WorkerHostMachine = ReturnType<typeof workerHostMachine>;
