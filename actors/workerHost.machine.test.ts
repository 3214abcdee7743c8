import { createActor, initialTransition, type SnapshotFrom, transition } from 'xstate';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { createActorSystem } from './actorSystem';
import { testClock } from './testing/testClock';
import { type WorkerHostEvent, type WorkerHostMachine, workerHostMachine } from './workerHost.machine';

const input = { workerId: '0xw1', registrationTimeoutMs: 30_000, registrationAttemptsMax: 3 };
const clock = { now: () => 1_000 };
const machine = workerHostMachine(clock);

type Snap = SnapshotFrom<WorkerHostMachine>;
const actionTypes = (actions: readonly { type: string }[]) => actions.map((a) => a.type);

function run(events: readonly WorkerHostEvent[], start?: Snap): [Snap, string[]] {
  let [snap] = start === undefined ? initialTransition(machine, input) : [start];
  let last: string[] = [];
  for (const e of events) {
    const [next, actions] = transition(machine, snap, e);
    snap = next;
    last = actionTypes(actions);
  }
  return [snap, last];
}

const toSynced: WorkerHostEvent[] = [
  { type: 'RUNTIME_STARTED', block: 0 },
  { type: 'HEAD_REACHED', block: 40 },
  { type: 'REGISTERED', block: 42 },
  { type: 'BENCHMARK_DONE', score: 2000 },
];

describe('worker host machine (transition)', () => {
  it('boots the pRuntime and starts syncing', () => {
    const [snap, actions] = initialTransition(machine, input);
    expect(snap.value).toBe('starting');
    expect(snap.context.statusMessage).toBe('starting: booting pRuntime');
    expect(actionTypes(actions)).toEqual(['reportStatus', 'startRuntime']);
    const [syncing, next] = run([{ type: 'RUNTIME_STARTED', block: 0 }]);
    expect(syncing.value).toBe('syncing');
    expect(next).toEqual(['reportStatus', 'startSync']);
  });

  it('registers once synced, arming the re-submission timer from the deadline', () => {
    const [snap, actions] = run(toSynced.slice(0, 2));
    expect(snap.value).toBe('registering');
    expect(snap.context).toMatchObject({ registrationAttempt: 1, registrationDeadlineMs: 31_000, headBlock: 40 });
    expect(snap.context.statusMessage).toBe('registering: waiting for the chain to accept the attestation (attempt 1 of 3)');
    expect(actions).toContain('submitRegistration');
    expect(actions).toContain('xstate.raise'); // the delayed re-submission
  });

  it('walks the whole lifecycle: registered, benchmarked, computing ⇄ unresponsive, cooling down, ready again', () => {
    const steps: [WorkerHostEvent, string][] = [
      ...toSynced.map((e, i) => [e, ['syncing', 'registering', 'benchmarking', 'synced'][i]] as [WorkerHostEvent, string]),
      [{ type: 'SESSION_STARTED', block: 50 }, 'computing'],
      [{ type: 'MARKED_UNRESPONSIVE', block: 60 }, 'unresponsive'],
      [{ type: 'RECOVERED', block: 63 }, 'computing'],
      [{ type: 'SESSION_STOPPED', block: 70 }, 'coolingDown'],
      [{ type: 'RECLAIMED', block: 90 }, 'synced'],
    ];
    let [snap] = initialTransition(machine, input);
    for (const [event, expected] of steps) {
      [snap] = transition(machine, snap, event);
      expect([event.type, snap.value]).toEqual([event.type, expected]);
    }
    expect(snap.context).toMatchObject({ registeredAtBlock: 42, score: 2000, session: 'none', registrationDeadlineMs: null });
  });

  it('says why it waits in every state', () => {
    const [unresponsive] = run([...toSynced, { type: 'SESSION_STARTED', block: 50 }, { type: 'MARKED_UNRESPONSIVE', block: 60 }]);
    expect(unresponsive.context.statusMessage).toMatch(/^unresponsive since block 60: marked offline/);
    const [synced] = run(toSynced);
    expect(synced.context.statusMessage).toBe('synced: registered at block 42, score 2000; waiting for a computing session');
  });

  it('ignores session facts that do not apply (guards): a recovery without an unresponsive mark changes nothing', () => {
    const [computing] = run([...toSynced, { type: 'SESSION_STARTED', block: 50 }]);
    const [after] = transition(machine, computing, { type: 'RECOVERED', block: 55 });
    expect(after.value).toBe('computing');
    expect(after.context).toEqual(computing.context);
    const [notSynced] = run([{ type: 'RUNTIME_STARTED', block: 0 }, { type: 'SESSION_STARTED', block: 3 }]);
    expect(notSynced.value).toBe('syncing');
  });

  it('records session facts while down and resumes in the right state after re-syncing', () => {
    const [crashed] = run([...toSynced, { type: 'SESSION_STARTED', block: 50 }, { type: 'CRASHED', reason: 'SGX enclave lost' }]);
    expect(crashed.value).toBe('crashed');
    expect(crashed.context.statusMessage).toBe('crashed: SGX enclave lost; waiting to be restarted from the sealed checkpoint (crash 1)');
    const [back] = run(
      [{ type: 'MARKED_UNRESPONSIVE', block: 52 }, { type: 'RESTARTED' }, { type: 'RUNTIME_STARTED', block: 48 }, { type: 'HEAD_REACHED', block: 55 }],
      crashed,
    );
    expect(back.value).toBe('unresponsive');
    expect(back.context).toMatchObject({ restarts: 1, unresponsiveSinceBlock: 52, headBlock: 55 });
  });

  it('a restarted worker that registered before its crash does not register again', () => {
    const [snap] = run([...toSynced.slice(0, 3), { type: 'CRASHED', reason: 'oom' }, { type: 'RESTARTED' }, { type: 'RUNTIME_STARTED', block: 42 }, { type: 'HEAD_REACHED', block: 45 }]);
    expect(snap.value).toBe('benchmarking');
    expect(snap.context.statusMessage).toBe('benchmarking: registered at block 42, waiting for the benchmark score');
  });

  it('FAILED leads to error from any state, and only a restart leaves it', () => {
    const [snap] = run([...toSynced, { type: 'FAILED', message: 'attestation refused: UnknownQuoteBodyFormat' }, { type: 'CRASHED', reason: 'x' }]);
    expect(snap.value).toBe('error');
    expect(snap.context.statusMessage).toBe('error: attestation refused: UnknownQuoteBodyFormat; needs an operator restart');
    const [restarted] = transition(machine, snap, { type: 'RESTARTED' });
    expect(restarted.value).toBe('starting');
  });

  it('is deterministic: the same events give equal snapshots', () => {
    const events: WorkerHostEvent[] = [...toSynced, { type: 'SESSION_STARTED', block: 50 }, { type: 'CRASHED', reason: 'x' }];
    expect(JSON.stringify(run(events)[0])).toBe(JSON.stringify(run(events)[0]));
  });
});

describe('worker host registration timer (virtual clock)', () => {
  function started(startMs = 0) {
    const vclock = testClock(startMs);
    const submitted: number[] = [];
    const m = workerHostMachine(vclock).provide({
      actions: { submitRegistration: ({ context }) => void submitted.push(vclock.now() * 10 + context.registrationAttempt) },
    });
    const actor = createActor(m, { input, clock: vclock });
    actor.start();
    actor.send({ type: 'RUNTIME_STARTED', block: 0 });
    actor.send({ type: 'HEAD_REACHED', block: 10 });
    return { vclock, actor, submitted };
  }

  it('re-submits every registrationTimeoutMs, then gives up into error', async () => {
    const { vclock, actor, submitted } = started();
    await vclock.advanceTo(29_999);
    expect(submitted).toEqual([1]);
    await vclock.advanceTo(30_000);
    expect(actor.getSnapshot().context.statusMessage).toMatch(/attempt 2 of 3/);
    await vclock.advanceTo(90_000);
    expect(submitted).toEqual([1, 300_002, 600_003]);
    expect(actor.getSnapshot().value).toBe('error');
    expect(actor.getSnapshot().context.statusMessage).toBe('error: the chain did not accept the registration after 3 attempts of 30000 ms; needs an operator restart');
    expect(vclock.pending()).toBe(0);
  });

  it('stops the timer once the registration is accepted', async () => {
    const { vclock, actor, submitted } = started();
    await vclock.advanceTo(10_000);
    actor.send({ type: 'REGISTERED', block: 12 });
    expect(vclock.pending()).toBe(0);
    await vclock.advanceTo(100_000);
    expect(submitted).toEqual([1]);
    expect(actor.getSnapshot().value).toBe('benchmarking');
  });
});

describe('worker host in the actor system', () => {
  it('persists while registering, crashes, restores: the timer re-arms for the time left and fires', async () => {
    const vclock = testClock(5_000_000);
    const store = memoryEventStore();
    const submitted: number[] = [];
    const kind = {
      kind: 'worker',
      machine: workerHostMachine(vclock).provide({ actions: { submitRegistration: () => void submitted.push(vclock.now()) } }),
      maxRestarts: 3,
      backoffMs: () => 1_000,
    };
    const first = createActorSystem({ store, clock: vclock });
    first.spawn(kind, 'w1', input);
    first.send('worker-w1', { type: 'RUNTIME_STARTED', block: 0 });
    first.send('worker-w1', { type: 'HEAD_REACHED', block: 10 });
    await vclock.advanceBy(20_000);
    await first.persist('worker-w1');
    first.stop(); // the process dies; its timers die with it
    expect(vclock.pending()).toBe(0);

    const second = createActorSystem({ store, clock: vclock });
    await second.restore(kind, 'w1');
    expect(second.status('worker-w1')).toMatchObject({ state: 'registering', message: 'registering: waiting for the chain to accept the attestation (attempt 1 of 3)' });
    expect(vclock.nextAtMs()).toBe(5_030_000);
    await vclock.advanceTo(5_029_999);
    expect(submitted).toEqual([5_000_000]);
    await vclock.advanceTo(5_030_000);
    expect(submitted).toEqual([5_000_000, 5_030_000]);
    expect(second.status('worker-w1')?.message).toMatch(/attempt 2 of 3/);
    second.stop();
  });
});
