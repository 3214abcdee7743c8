import { assign, setup } from 'xstate';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { virtualScheduler } from '../simulations/scheduler';
import { seededRandom } from '../simulations/seededRandom';
import { virtualClock } from '../simulations/virtualClock';
import { type ActorKind, createActorSystem, RESTORED } from './actorSystem';

/**
 * A small retrying fetcher: `waiting` has a timer computed from domain state (`retryAtMs`), the
 * convention every timed state follows so a restore can re-arm it.
 */
function fetcher(now: () => number) {
  return setup({
    types: { context: {} as { attempts: number; retryAtMs: number; statusMessage: string }, events: {} as { type: 'FAIL' } | { type: 'CRASH' } | { type: typeof RESTORED } },
    actions: {
      explode: () => {
        throw new Error('disk on fire');
      },
    },
    delays: { untilRetry: ({ context }) => Math.max(0, context.retryAtMs - now()) },
  }).createMachine({
    id: 'fetcher',
    initial: 'idle',
    context: { attempts: 0, retryAtMs: 0, statusMessage: 'idle' },
    on: { CRASH: { actions: 'explode' } },
    states: {
      idle: {
        on: {
          FAIL: { target: 'waiting', actions: assign(({ context }) => ({ attempts: context.attempts + 1, retryAtMs: now() + 1000, statusMessage: `retrying in 1 s (attempt ${context.attempts + 1})` })) },
        },
      },
      waiting: {
        after: { untilRetry: 'done' },
        on: { [RESTORED]: { target: 'waiting', reenter: true } },
      },
      done: { entry: assign({ statusMessage: 'done' }) },
    },
  });
}

function world() {
  const scheduler = virtualScheduler({ random: seededRandom(7), startMs: 1_000_000 });
  const clock = virtualClock(scheduler);
  const store = memoryEventStore();
  const kind: ActorKind = { kind: 'fetcher', machine: fetcher(() => clock.now()), maxRestarts: 2, backoffMs: (n) => 100 * 2 ** n };
  return { scheduler, clock, store, kind };
}

describe('actor system', () => {
  it('spawns, addresses and reports a human-readable status', () => {
    const { store, clock, kind } = world();
    const system = createActorSystem({ store, clock });
    system.spawn(kind, 'a');
    system.send('fetcher-a', { type: 'FAIL' });
    expect(system.status('fetcher-a')).toMatchObject({ health: 'running', state: 'waiting', message: 'retrying in 1 s (attempt 1)' });
    expect(() => system.spawn(kind, 'a')).toThrow(/already exists/);
  });

  it('persists to the actor stream and restores in a new system, re-arming the timer from domain state', async () => {
    const w = world();
    const first = createActorSystem({ store: w.store, clock: w.clock });
    first.spawn(w.kind, 'a');
    first.send('fetcher-a', { type: 'FAIL' });
    await w.scheduler.runUntil(1_000_400);
    await first.persist('fetcher-a');
    first.stop(); // the process dies here

    const second = createActorSystem({ store: w.store, clock: w.clock });
    await second.restore(w.kind, 'a');
    expect(second.status('fetcher-a')).toMatchObject({ state: 'waiting' });
    await w.scheduler.runUntil(1_000_999);
    expect(second.status('fetcher-a')?.state).toBe('waiting');
    await w.scheduler.runUntil(1_001_000);
    expect(second.status('fetcher-a')).toMatchObject({ state: 'done', message: 'done' });
  });

  it('fences a second owner persisting the same actor', async () => {
    const w = world();
    const a = createActorSystem({ store: w.store, clock: w.clock });
    a.spawn(w.kind, 'x');
    await a.persist('fetcher-x');
    const b = createActorSystem({ store: w.store, clock: w.clock });
    await b.restore(w.kind, 'x');
    await b.persist('fetcher-x');
    await expect(a.persist('fetcher-x')).rejects.toThrow(/fenced/);
  });

  it('restarts a crashed actor from its last persisted state with back-off, then gives up', async () => {
    const w = world();
    const failed: string[] = [];
    const system = createActorSystem({ store: w.store, clock: w.clock, onFailed: (s) => failed.push(`${s.address}: ${s.message}`) });
    system.spawn(w.kind, 'c');
    system.send('fetcher-c', { type: 'FAIL' });
    await system.persist('fetcher-c');
    system.send('fetcher-c', { type: 'CRASH' });
    expect(system.status('fetcher-c')).toMatchObject({ health: 'restarting', restarts: 1, message: 'disk on fire' });
    await w.scheduler.runUntil(w.clock.now() + 199);
    expect(system.status('fetcher-c')?.health).toBe('restarting');
    await w.scheduler.runUntil(w.clock.now() + 1);
    expect(system.status('fetcher-c')).toMatchObject({ health: 'running', state: 'waiting' });
    system.send('fetcher-c', { type: 'CRASH' });
    await w.scheduler.runUntil(w.clock.now() + 400);
    expect(system.status('fetcher-c')).toMatchObject({ health: 'running', restarts: 2 });
    system.send('fetcher-c', { type: 'CRASH' });
    expect(system.status('fetcher-c')).toMatchObject({ health: 'failed', restarts: 2 });
    expect(failed).toEqual(['fetcher-c: disk on fire']);
  });

  it('crash(): the host dies, unpersisted state is lost, the supervisor restarts from the last snapshot and says so', async () => {
    const w = world();
    const restarted: string[] = [];
    const system = createActorSystem({ store: w.store, clock: w.clock, onRestarted: (s) => restarted.push(`${s.address} ${s.state}`) });
    system.spawn(w.kind, 'k');
    await system.persist('fetcher-k'); // persisted while idle
    system.send('fetcher-k', { type: 'FAIL' }); // not persisted: lost with the process
    system.crash('fetcher-k', 'fault injection: host killed');
    expect(system.status('fetcher-k')).toMatchObject({ health: 'restarting', restarts: 1, message: 'fault injection: host killed' });
    system.send('fetcher-k', { type: 'FAIL' }); // dropped while restarting
    await w.scheduler.runUntil(w.clock.now() + 200);
    expect(system.status('fetcher-k')).toMatchObject({ health: 'running', state: 'idle' });
    expect(restarted).toEqual(['fetcher-k idle']);
  });

  it('crash() before any persist restarts the actor afresh from its spawn input', async () => {
    const w = world();
    const system = createActorSystem({ store: w.store, clock: w.clock });
    system.spawn(w.kind, 'n');
    system.send('fetcher-n', { type: 'FAIL' });
    system.crash('fetcher-n', 'killed');
    await w.scheduler.runUntil(w.clock.now() + 200);
    expect(system.status('fetcher-n')).toMatchObject({ health: 'running', state: 'idle', restarts: 1 });
  });

  it('refuses to restore an actor that was never persisted', async () => {
    const w = world();
    await expect(createActorSystem({ store: w.store, clock: w.clock }).restore(w.kind, 'nobody')).rejects.toThrow(/no stored state/);
  });
});
