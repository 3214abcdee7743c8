/**
 * The worker hosts' lifecycle actors (`actors/workerHost.machine.ts`) in a run: one actor per
 * worker, hosted by the run's actor system on the virtual clock (spawned when the worker starts,
 * so genesis workers that are already registered cost nothing), told only the facts that concern it — read from the
 * block's events (registered, benchmarked, session started/stopped, marked unresponsive,
 * recovered) and from the faults (crashed, restarted). The machine owns the registration retries
 * (its timer runs on the scheduler) and the human-readable status of each worker.
 */
import type { ActorKind, ActorSystem } from '../../actors/actorSystem';
import { workerHostMachine } from '../../actors/workerHost.machine';
import type { Clock } from '../../domain/ports/clock';
import type { RuntimeEvent, Tagged } from '../../domain/runtime/types';
import type { WorkerHost } from './hosts';

/** One actor per worker, addressed by pubkey and by session account. */
export interface WorkerFleet {
  /** starts the worker's host (its pRuntime answers, pherry syncs to the head at `block`) */
  start(w: WorkerHost, block: number): void;
  /** routes a block's events to the workers they concern */
  observe(block: number, events: readonly RuntimeEvent[]): void;
  crashed(w: WorkerHost, reason: string): void;
  restarted(w: WorkerHost, block: number): void;
  /** the worker's lifecycle state and status line */
  status(w: WorkerHost): { state: string; message: string } | undefined;
}

/** Creates the fleet in `system`; `submitRegistration` is what a registration attempt does. */
export function createWorkerFleet(
  system: ActorSystem,
  clock: Clock,
  blockTimeMs: number,
  submitRegistration: (w: WorkerHost) => void,
  onStatus?: (w: WorkerHost, message: string) => void,
): WorkerFleet {
  /** pubkey → the actor's address */
  const actors = new Map<string, string>();
  const bySession = new Map<string, string>();
  const send = (pubkey: string, event: { type: string } & Record<string, unknown>) => {
    const address = actors.get(pubkey);
    if (address !== undefined) system.send(address, event);
  };
  const machine = workerHostMachine(clock);
  return {
    start(w, block) {
      if (actors.has(w.pubkeyHex)) return;
      const provided = machine.provide({
        actions: {
          submitRegistration: () => submitRegistration(w),
          reportStatus: ({ context }) => onStatus?.(w, (context as { statusMessage: string }).statusMessage),
        },
      });
      const kind: ActorKind = { kind: 'workerHost', machine: provided, maxRestarts: 3, backoffMs: (n) => n * blockTimeMs };
      system.spawn(kind, w.name, { workerId: w.name, registrationTimeoutMs: 6 * blockTimeMs, registrationAttemptsMax: 5 });
      actors.set(w.pubkeyHex, `workerHost-${w.name}`);
      send(w.pubkeyHex, { type: 'RUNTIME_STARTED', block: 0 });
      send(w.pubkeyHex, { type: 'HEAD_REACHED', block });
    },
    observe(block, events) {
      for (const e of events) {
        const v = (e.value as Tagged).value as Record<string, unknown>;
        switch (`${e.tag}.${(e.value as Tagged).tag}`) {
          case 'PhalaRegistry.WorkerAdded':
            send(v.pubkey as string, { type: 'REGISTERED', block });
            break;
          case 'PhalaRegistry.InitialScoreSet':
            send(v.pubkey as string, { type: 'BENCHMARK_DONE', score: v.initScore as number });
            break;
          case 'PhalaComputation.SessionBound':
            bySession.set(v.session as string, v.worker as string);
            break;
          case 'PhalaComputation.WorkerStarted':
            send(bySession.get(v.session as string) ?? '', { type: 'SESSION_STARTED', block });
            break;
          case 'PhalaComputation.WorkerStopped':
            send(bySession.get(v.session as string) ?? '', { type: 'SESSION_STOPPED', block });
            break;
          case 'PhalaComputation.WorkerReclaimed':
            send(bySession.get(v.session as string) ?? '', { type: 'RECLAIMED', block });
            break;
          case 'PhalaComputation.WorkerEnterUnresponsive':
            send(bySession.get(v.session as string) ?? '', { type: 'MARKED_UNRESPONSIVE', block });
            break;
          case 'PhalaComputation.WorkerExitUnresponsive':
            send(bySession.get(v.session as string) ?? '', { type: 'RECOVERED', block });
            break;
          default:
        }
      }
    },
    crashed(w, reason) {
      send(w.pubkeyHex, { type: 'CRASHED', reason });
    },
    restarted(w, block) {
      send(w.pubkeyHex, { type: 'RESTARTED' });
      send(w.pubkeyHex, { type: 'RUNTIME_STARTED', block });
      send(w.pubkeyHex, { type: 'HEAD_REACHED', block });
    },
    status(w) {
      const address = actors.get(w.pubkeyHex);
      const status = address === undefined ? undefined : system.status(address);
      return status === undefined ? undefined : { state: status.state, message: status.message };
    },
  };
}
