import { createActor, initialTransition, transition } from 'xstate';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { createActorSystem } from './actorSystem';
import { type ClientIntent, clientMachine } from './client.machine';
import { drawArrival } from './client.workload';
import { testClock } from './testing/testClock';
import { testRandom } from './testing/testRandom';

const rates = { contributionsPerBlock: 0.5, withdrawalsPerBlock: 0.1, contractCommandsPerBlock: 1, contractQueriesPerBlock: 0.4 };
const input = { clientId: 'alice', rates, blockTimeMs: 12_000, startAtMs: 0 };

function world(seed: number, startMs = 0) {
  const clock = testClock(startMs);
  const sent: ClientIntent[] = [];
  const machine = clientMachine({ clock, random: testRandom(seed).fork('client/alice') }).provide({
    actions: { submit: (_, intent) => void sent.push(intent) },
  });
  return { clock, sent, machine };
}

async function runFor(seed: number, untilMs: number): Promise<ClientIntent[]> {
  const { clock, sent, machine } = world(seed);
  const actor = createActor(machine, { input, clock });
  actor.start();
  await clock.advanceTo(untilMs);
  actor.stop();
  return sent;
}

describe('client workload draws', () => {
  it('match the configured rates over many arrivals (exponential gaps, weighted kinds)', () => {
    const random = testRandom(1);
    let at = 0;
    const counts: Record<string, number> = {};
    const n = 5_000;
    let increasing = true;
    for (let i = 1; i <= n; i++) {
      const a = drawArrival(random, i, rates, 12_000, at)!;
      increasing &&= a.atMs > at;
      at = a.atMs;
      counts[a.kind] = (counts[a.kind] ?? 0) + 1;
    }
    expect(increasing).toBe(true);
    // 2 arrivals per block of 12 s: mean gap 6 s
    expect(at / n).toBeGreaterThan(5_800);
    expect(at / n).toBeLessThan(6_200);
    expect(counts.contractCommand! / n).toBeCloseTo(0.5, 1);
    expect(counts.withdrawal! / n).toBeCloseTo(0.05, 1);
  });

  it('plans nothing when every rate is 0, and refuses a negative rate', () => {
    expect(drawArrival(testRandom(1), 1, { ...rates, contributionsPerBlock: 0, withdrawalsPerBlock: 0, contractCommandsPerBlock: 0, contractQueriesPerBlock: 0 }, 12_000, 0)).toBeUndefined();
    const [idle] = initialTransition(clientMachine({ clock: { now: () => 0 }, random: testRandom(1) }), { ...input, rates: { ...rates, contributionsPerBlock: 0, withdrawalsPerBlock: 0, contractCommandsPerBlock: 0, contractQueriesPerBlock: 0 } });
    expect(idle.value).toBe('finished');
    // the actor errors (and its supervisor sees the message) instead of running with a bad rate
    const [bad] = initialTransition(clientMachine({ clock: { now: () => 0 }, random: testRandom(1) }), { ...input, rates: { ...rates, withdrawalsPerBlock: -1 } });
    expect(bad.status).toBe('error');
    expect((bad.error as Error).message).toBe('client workload: withdrawalsPerBlock must be a finite number >= 0, got -1');
  });
});

describe('client machine (transition)', () => {
  it('submits the planned intent when its timer fires, then plans the next', () => {
    const machine = clientMachine({ clock: { now: () => 0 }, random: testRandom(9) });
    const [s0, a0] = initialTransition(machine, input);
    const first = s0.context.next!;
    expect(first.sequence).toBe(1);
    const raise = a0.find((a) => a.type === 'xstate.raise') as unknown as { params: { delay: number } };
    expect(raise.params.delay).toBe(first.atMs);
    const [s1, a1] = transition(machine, s0, { type: 'xstate.after.untilNextArrival.client.waiting' } as never);
    const submit = a1.find((a) => a.type === 'submit') as unknown as { params: ClientIntent };
    expect(submit.params).toEqual({ clientId: 'alice', ...first });
    expect(s1.context.emitted).toBe(1);
    expect(s1.context.emittedByKind[first.kind]).toBe(1);
    expect(s1.context.next!.sequence).toBe(2);
    expect(s1.context.next!.atMs).toBeGreaterThan(first.atMs);
  });

  it('stops planning after stopAtMs (guard)', () => {
    const machine = clientMachine({ clock: { now: () => 0 }, random: testRandom(9) });
    const [s0] = initialTransition(machine, { ...input, stopAtMs: 1 });
    expect(s0.value).toBe('finished');
  });
});

describe('client on the virtual clock', () => {
  it('is deterministic under a seed, and another seed gives another schedule', async () => {
    const a = await runFor(42, 600_000);
    const b = await runFor(42, 600_000);
    const c = await runFor(43, 600_000);
    expect(a.length).toBeGreaterThan(50); // ~2 per block over 50 blocks
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.map((i) => i.sequence)).toEqual(a.map((_, k) => k + 1));
  });

  it('pauses and resumes, drawing the next arrival from the resume time', async () => {
    const { clock, sent, machine } = world(5);
    const actor = createActor(machine, { input, clock });
    actor.start();
    await clock.advanceTo(60_000);
    const before = sent.length;
    actor.send({ type: 'PAUSE' });
    await clock.advanceTo(600_000);
    expect(sent.length).toBe(before);
    actor.send({ type: 'RESUME' });
    expect(actor.getSnapshot().context.next!.atMs).toBeGreaterThan(600_000);
    await clock.advanceTo(700_000);
    expect(sent.length).toBeGreaterThan(before);
    actor.stop();
  });
});

describe('client in the actor system', () => {
  it('persist, crash, restore: the arrival timer re-arms and the schedule continues exactly as without the crash', async () => {
    const reference = await runFor(7, 240_000);
    const clock = testClock(0);
    const store = memoryEventStore();
    const sent: ClientIntent[] = [];
    // a fresh Random from the same stream, as the driver recreates it after a restart
    const kind = () => ({
      kind: 'client',
      machine: clientMachine({ clock, random: testRandom(7).fork('client/alice') }).provide({ actions: { submit: (_, i) => void sent.push(i) } }),
      maxRestarts: 0,
      backoffMs: () => 0,
    });
    const first = createActorSystem({ store, clock });
    first.spawn(kind(), 'alice', input);
    await clock.advanceTo(100_000);
    await first.persist('client-alice');
    first.stop();
    expect(clock.pending()).toBe(0);
    const second = createActorSystem({ store, clock });
    await second.restore(kind(), 'alice');
    expect(clock.nextAtMs()).toBe((second.ref('client-alice')!.getSnapshot() as { context: { next: { atMs: number } } }).context.next.atMs);
    await clock.advanceTo(240_000);
    expect(sent).toEqual(reference);
    second.stop();
  });
});
