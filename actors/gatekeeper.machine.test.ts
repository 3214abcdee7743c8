import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { createActorSystem } from './actorSystem';
import { type GatekeeperEvent, type GatekeeperMachine, gatekeeperMachine } from './gatekeeper.machine';
import { testClock } from './testing/testClock';

const input = { gatekeeperId: 'gk1', rotationTimeoutMs: 60_000 };
const machine = gatekeeperMachine({ now: () => 0 });
type Snap = SnapshotFrom<GatekeeperMachine>;

function run(events: readonly GatekeeperEvent[], start?: Snap): [Snap, string[]] {
  let [snap] = start === undefined ? initialTransition(machine, input) : [start];
  let actions: string[] = [];
  for (const e of events) {
    const [next, a] = transition(machine, snap, e);
    snap = next;
    actions = a.map((x) => x.type);
  }
  return [snap, actions];
}

const firstLaunch: GatekeeperEvent[] = [
  { type: 'REGISTERED', block: 1 },
  { type: 'KEY_RECEIVED', block: 2, rotationId: 0, generated: true },
  { type: 'LAUNCHED', block: 3 },
];

describe('gatekeeper machine (transition)', () => {
  it('first gatekeeper: syncing → waitingForKey → launching → active, dummy egress until launched', () => {
    const [s0] = initialTransition(machine, input);
    expect([s0.value, s0.context.egress]).toEqual(['syncing', 'dummy']);
    const [s1] = run(firstLaunch.slice(0, 1));
    expect([s1.value, s1.context.statusMessage]).toEqual(['waitingForKey', 'waiting for the master key: registered as gatekeeper at block 1']);
    const [s2, a2] = run(firstLaunch.slice(0, 2));
    expect([s2.value, s2.context.egress]).toEqual(['launching', 'live']);
    expect(a2).not.toContain('restartForReplay');
    const [s3] = run(firstLaunch);
    expect(s3.value).toEqual({ active: 'serving' });
    expect(s3.context).toMatchObject({ launchedAtBlock: 3, first: true, egress: 'live', statusMessage: 'active: serving with master key 0' });
  });

  it('later gatekeeper: a shared key forces a restart and a silent replay from genesis', () => {
    const [s, actions] = run([
      { type: 'REGISTERED', block: 20 },
      { type: 'KEY_RECEIVED', block: 21, rotationId: 0, generated: false },
    ]);
    expect(s.value).toBe('rejoining');
    expect(actions).toContain('restartForReplay');
    expect(s.context).toMatchObject({ egress: 'dummy', replayFromBlock: 0, statusMessage: 'rejoining: replaying silently from block 0 with the sealed master key' });
    const [live] = run([{ type: 'CAUGHT_UP', block: 25 }], s);
    expect(live.value).toEqual({ active: 'serving' });
    expect(live.context).toMatchObject({ launchedAtBlock: 25, egress: 'live' });
  });

  it('rotation: only the matching MasterPubkeyRotated completes it (guard)', () => {
    const [rotating] = run([...firstLaunch, { type: 'ROTATION_STARTED', block: 10, rotationId: 1 }]);
    expect(rotating.value).toEqual({ active: 'rotating' });
    const [stillRotating] = run([{ type: 'ROTATION_DONE', block: 11, rotationId: 7 }], rotating);
    expect(stillRotating.value).toEqual({ active: 'rotating' });
    const [done] = run([{ type: 'ROTATION_DONE', block: 11, rotationId: 1 }], rotating);
    expect(done.value).toEqual({ active: 'serving' });
    expect(done.context).toMatchObject({ rotationId: 1, pendingRotationId: null, statusMessage: 'active: serving with master key 1' });
  });

  it('crash and rejoin: replays from the checkpoint silently and resumes a rotation seen while down', () => {
    const [crashed] = run([...firstLaunch, { type: 'CRASHED', reason: 'power loss' }]);
    expect([crashed.value, crashed.context.egress]).toEqual(['crashed', 'dummy']);
    const [back] = run(
      [{ type: 'ROTATION_STARTED', block: 30, rotationId: 1 }, { type: 'RESTARTED', checkpointBlock: 28 }, { type: 'CAUGHT_UP', block: 31 }],
      crashed,
    );
    expect(back.value).toEqual({ active: 'rotating' });
    expect(back.context).toMatchObject({ replayFromBlock: 28, launchedAtBlock: 3, crashes: 1 });
  });

  it('a gatekeeper that crashed before getting its key waits for it again', () => {
    const [s] = run([{ type: 'REGISTERED', block: 5 }, { type: 'CRASHED', reason: 'x' }, { type: 'RESTARTED', checkpointBlock: 4 }]);
    expect(s.value).toBe('waitingForKey');
  });

  it('is deterministic: the same events give equal snapshots', () => {
    const events: GatekeeperEvent[] = [...firstLaunch, { type: 'ROTATION_STARTED', block: 10, rotationId: 1 }, { type: 'CRASHED', reason: 'x' }];
    expect(JSON.stringify(run(events)[0])).toBe(JSON.stringify(run(events)[0]));
  });

  it('unregistered: goes silent and drops the role at the next rotation', () => {
    const [s] = run([...firstLaunch, { type: 'UNREGISTERED', block: 40 }]);
    expect([s.value, s.context.egress]).toEqual(['retiring', 'dummy']);
    const [r] = run([{ type: 'ROTATION_STARTED', block: 41, rotationId: 1 }, { type: 'ROTATION_DONE', block: 42, rotationId: 1 }], s);
    expect(r.value).toBe('retired');
  });
});

describe('gatekeeper rotation timer', () => {
  it('flags a rotation not confirmed in time, and the timer survives a persist / crash / restore', async () => {
    const clock = testClock(1_000_000);
    const store = memoryEventStore();
    const kind = { kind: 'gatekeeper', machine: gatekeeperMachine(clock), maxRestarts: 1, backoffMs: () => 1 };
    const first = createActorSystem({ store, clock });
    first.spawn(kind, 'gk1', input);
    for (const e of [...firstLaunch, { type: 'ROTATION_STARTED', block: 10, rotationId: 1 }]) first.send('gatekeeper-gk1', e);
    await clock.advanceBy(45_000);
    await first.persist('gatekeeper-gk1');
    first.stop();

    const second = createActorSystem({ store, clock });
    await second.restore(kind, 'gk1');
    expect(second.status('gatekeeper-gk1')?.state).toBe('{"active":"rotating"}');
    await clock.advanceTo(1_059_999);
    expect(second.status('gatekeeper-gk1')?.state).toBe('{"active":"rotating"}');
    await clock.advanceTo(1_060_000);
    expect(second.status('gatekeeper-gk1')).toMatchObject({
      state: '{"active":"rotationOverdue"}',
      message: 'active: rotation 1 not confirmed on chain after 60000 ms; still serving with key 0',
    });
    second.send('gatekeeper-gk1', { type: 'ROTATION_DONE', block: 20, rotationId: 1 });
    expect(second.status('gatekeeper-gk1')?.state).toBe('{"active":"serving"}');
    second.stop();
  });
});
