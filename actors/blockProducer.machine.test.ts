import { createActor, fromPromise, initialTransition, transition } from 'xstate';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { createActorSystem } from './actorSystem';
import { blockProducerMachine, nextSlotAtMs, type ProduceBlockInput, type ProducedBlock } from './blockProducer.machine';
import { testClock } from './testing/testClock';

const input = { blockTimeMs: 12_000, firstBlockAtMs: 12_000, height: 0 };

describe('block producer machine (transition)', () => {
  const machine = blockProducerMachine({ now: () => 5_000 });

  it('waits for the first slot with a delay computed from the slot time', () => {
    const [snap, actions] = initialTransition(machine, input);
    expect(snap.value).toBe('waiting');
    expect(snap.context.statusMessage).toBe('waiting: block 1 due at 12000 ms');
    const raise = actions.find((a) => a.type === 'xstate.raise') as unknown as { params: { delay: number; id: string } };
    expect(raise.params).toMatchObject({ delay: 7_000, id: 'xstate.after.untilNextBlock.blockProducer.waiting' });
  });

  it('produces on the timer, counts the block and schedules the next slot', () => {
    const [s0] = initialTransition(machine, input);
    const [s1] = transition(machine, s0, { type: 'xstate.after.untilNextBlock.blockProducer.waiting' } as never);
    expect(s1.value).toBe('producing');
    const [s2] = transition(machine, s1, { type: 'xstate.done.actor.produceBlock', output: { number: 1 } } as never);
    expect(s2.value).toBe('waiting');
    expect(s2.context).toMatchObject({ height: 1, produced: 1, nextBlockAtMs: 24_000 });
  });

  it('a PAUSE during production takes effect once the block is appended', () => {
    const [s0] = initialTransition(machine, input);
    const [s1] = transition(machine, s0, { type: 'xstate.after.untilNextBlock.blockProducer.waiting' } as never);
    const [s2] = transition(machine, s1, { type: 'PAUSE' });
    expect(s2.value).toBe('producing');
    const [s3] = transition(machine, s2, { type: 'xstate.done.actor.produceBlock', output: { number: 1 } } as never);
    expect(s3.value).toBe('paused');
    expect(s3.context).toMatchObject({ height: 1, pauseRequested: false, statusMessage: 'paused at block 1' });
  });

  it('fails with a clear message when the block cannot be produced', () => {
    const [s0] = initialTransition(machine, input);
    const [s1] = transition(machine, s0, { type: 'xstate.after.untilNextBlock.blockProducer.waiting' } as never);
    const [s2] = transition(machine, s1, { type: 'xstate.error.actor.produceBlock', error: new Error('state root mismatch') } as never);
    expect(s2.value).toBe('failed');
    expect(s2.context.statusMessage).toBe('failed: could not produce block 1: state root mismatch');
  });

  it('starts done when the head is already at the target', () => {
    const [snap] = initialTransition(machine, { ...input, height: 5, targetHeight: 5 });
    expect(snap.value).toBe('done');
  });

  it('keeps slots on the grid after a pause', () => {
    expect(nextSlotAtMs(24_000, 12_000, 20_000)).toBe(24_000);
    expect(nextSlotAtMs(24_000, 12_000, 24_001)).toBe(36_000);
    expect(nextSlotAtMs(24_000, 12_000, 48_000)).toBe(48_000);
  });
});

function producerWorld(startMs = 0) {
  const clock = testClock(startMs);
  const appended: [number, number][] = [];
  const produceBlock = fromPromise<ProducedBlock, ProduceBlockInput>(async ({ input: i }) => {
    // idempotent by number, as the machine requires
    if (appended.every(([n]) => n !== i.number)) appended.push([i.number, i.atMs]);
    return { number: i.number };
  });
  const machine = blockProducerMachine(clock).provide({ actors: { produceBlock } });
  return { clock, appended, machine };
}

describe('block producer on the virtual clock', () => {
  it('produces one block per slot up to the target height', async () => {
    const { clock, appended, machine } = producerWorld();
    const actor = createActor(machine, { input: { ...input, targetHeight: 3 }, clock });
    actor.start();
    await clock.advanceTo(35_999);
    expect(appended).toEqual([
      [1, 12_000],
      [2, 24_000],
    ]);
    await clock.advanceTo(100_000);
    expect(appended.map(([n]) => n)).toEqual([1, 2, 3]);
    expect(actor.getSnapshot().value).toBe('done');
    expect(actor.getSnapshot().context.statusMessage).toBe('done: reached the target height 3 (3 blocks produced)');
    expect(clock.pending()).toBe(0);
  });

  it('pauses and resumes on the slot grid', async () => {
    const { clock, appended, machine } = producerWorld();
    const actor = createActor(machine, { input, clock });
    actor.start();
    await clock.advanceTo(12_000);
    actor.send({ type: 'PAUSE' });
    await clock.advanceTo(50_000);
    expect(appended.map(([n]) => n)).toEqual([1]);
    actor.send({ type: 'RESUME' });
    await clock.advanceTo(60_000);
    expect(appended).toEqual([
      [1, 12_000],
      [2, 60_000],
    ]);
    expect(actor.getSnapshot().context.produced).toBe(2);
    actor.stop();
  });

  it('is deterministic: two runs give equal snapshots', async () => {
    const snaps: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { clock, machine } = producerWorld();
      const actor = createActor(machine, { input: { ...input, targetHeight: 4 }, clock });
      actor.start();
      await clock.advanceTo(100_000);
      snaps.push(JSON.stringify(actor.getPersistedSnapshot()));
    }
    expect(snaps[0]).toBe(snaps[1]);
  });
});

describe('block producer in the actor system', () => {
  it('persists between blocks, dies, restores: the slot timer re-arms and the next block comes on time', async () => {
    const { clock, appended, machine } = producerWorld(0);
    const store = memoryEventStore();
    const kind = { kind: 'producer', machine, maxRestarts: 1, backoffMs: () => 1_000 };
    const first = createActorSystem({ store, clock });
    first.spawn(kind, 'collator', input);
    await clock.advanceTo(30_000);
    await first.persist('producer-collator');
    first.stop();
    await clock.advanceTo(40_000); // down from 30 s to 40 s: the slot at 36 s passes meanwhile
    const second = createActorSystem({ store, clock });
    await second.restore(kind, 'collator');
    expect(second.status('producer-collator')).toMatchObject({ state: 'waiting', message: 'waiting: block 3 due at 36000 ms' });
    await clock.advanceTo(40_000);
    // the slot passed while the process was down: the re-armed timer fires at once
    expect(appended.map(([n, at]) => `${n}@${at}`)).toEqual(['1@12000', '2@24000', '3@36000']);
    await clock.advanceTo(48_000);
    expect(appended.map(([n]) => n)).toEqual([1, 2, 3, 4]);
    expect((second.ref('producer-collator')!.getSnapshot() as { context: { produced: number } }).context.produced).toBe(4);
    second.stop();
  });

  it('restored while producing, it asks for the same block again (produceBlock must be idempotent by number)', async () => {
    const clock = testClock(0);
    const asked: number[] = [];
    const releases: (() => void)[] = [];
    const produceBlock = fromPromise<ProducedBlock, ProduceBlockInput>(async ({ input: i }) => {
      asked.push(i.number);
      await new Promise<void>((resolve) => releases.push(resolve));
      return { number: i.number };
    });
    const machine = blockProducerMachine(clock).provide({ actors: { produceBlock } });
    const before = createActor(machine, { input, clock });
    before.start();
    await clock.advanceTo(12_000);
    const persisted = before.getPersistedSnapshot();
    before.stop();
    const after = createActor(machine, { snapshot: persisted, input, clock });
    after.start();
    await clock.advanceTo(12_001);
    expect(asked).toEqual([1, 1]);
    releases[1]!();
    await clock.advanceTo(12_002);
    expect(after.getSnapshot().context).toMatchObject({ height: 1, produced: 1, nextBlockAtMs: 24_000 });
    after.stop();
  });
});
