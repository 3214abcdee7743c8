/**
 * The block producer of a run as an actor (`actors/blockProducer.machine.ts`) in the run's actor
 * system: its slot timer runs on the scheduler, and each time it fires the machine invokes
 * `produceBlock`, which the driver binds to one block's work (produce, append, sync hosts, check,
 * prepare the next). A paused producer produces nothing: the driver has no other path to the
 * chain. The run is over when the producer reaches its target height (`done`).
 *
 * Its snapshot is persisted after every block it appended. A crashed producer (the actor system's
 * `crash`) is restarted by the supervisor from that snapshot, its slot timer re-armed from
 * `nextBlockAtMs`; restored while `producing`, it asks for the same block again, and `produce`
 * must then answer for the block already on the chain (idempotent by number).
 */
import { fromPromise } from 'xstate';
import { type BlockProducerContext, type BlockProducerInput, blockProducerMachine, type ProducedBlock, type ProduceBlockInput } from '../../actors/blockProducer.machine';
import type { ActorKind, ActorSystem } from '../../actors/actorSystem';
import type { Clock } from '../../domain/ports/clock';
import type { Scheduler } from '../scheduler';

/** The hosted producer. */
export interface HostedProducer {
  readonly address: string;
  /** virtual time passes (the network, timers, the producer's slots) until the target height is reached */
  run(): Promise<void>;
  context(): BlockProducerContext;
}

/** Spawns the producer; `produce` does block `number` with timestamp `atMs` (the slot time). */
export function hostBlockProducer(system: ActorSystem, clock: Clock, scheduler: Scheduler, input: BlockProducerInput, produce: (p: ProduceBlockInput) => Promise<void>): HostedProducer {
  let inFlight: Promise<void> | undefined;
  const machine = blockProducerMachine(clock).provide({
    actors: {
      produceBlock: fromPromise<ProducedBlock, ProduceBlockInput>(async ({ input: p }) => {
        const work = produce(p);
        inFlight = work.then(
          () => undefined,
          () => undefined,
        );
        await work;
        return { number: p.number };
      }),
    },
  });
  // a block that fails to produce is a driver bug: the machine goes to `failed` and the run stops;
  // a crash of the actor itself (its host process) is restarted from the last snapshot
  const kind: ActorKind = { kind: 'blockProducer', machine, maxRestarts: 3, backoffMs: () => 0 };
  const address = 'blockProducer-producer';
  system.spawn(kind, 'producer', input);
  const snapshot = () => system.ref(address)?.getSnapshot() as { value: string; context: BlockProducerContext };
  return {
    address,
    context: () => snapshot().context,
    async run() {
      let persistedHeight = -1;
      for (;;) {
        // a block in flight finishes before virtual time moves on (a store doing real I/O)
        if (inFlight !== undefined) {
          const pending = inFlight;
          inFlight = undefined;
          await pending;
          continue;
        }
        const health = system.status(address)?.health;
        if (health === 'restarting') {
          // the supervisor's restart is a timer on the same clock
          const next = scheduler.nextAtMs();
          if (next === undefined) throw new Error('block producer: restarting with nothing scheduled');
          await scheduler.runUntil(next);
          continue;
        }
        const { value, context } = snapshot();
        // persisted once per block appended, in the state that waits for the next slot
        if (value !== 'producing' && context.height > persistedHeight) {
          persistedHeight = context.height;
          await system.persist(address);
        }
        if (value === 'done') return;
        if (value === 'producing') {
          // the block is appended; let the machine take its result before reading the next slot
          await new Promise((resolve) => setImmediate(resolve));
          continue;
        }
        if (value === 'failed' || system.status(address)?.health !== 'running') throw new Error(`block producer: ${context.lastError ?? system.status(address)?.message ?? 'failed'}`);
        // one scheduler pass per block: everything due up to the slot, the slot timer among them
        const next = value === 'waiting' ? Math.max(context.nextBlockAtMs, scheduler.now()) : scheduler.nextAtMs();
        if (next === undefined) throw new Error(`the run stalled after block ${context.height}: the block producer is ${value} and nothing else is scheduled (paused without a RESUME?)`);
        await scheduler.runUntil(next);
      }
    },
  };
}
