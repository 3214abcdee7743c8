import fc from 'fast-check';
import { challengeHit } from '../../domain/economics/challenge';
import { powTarget, U256_MAX } from '../../domain/economics/powTarget';
import * as E from 'fp-ts/Either';
import { verifyBlock } from './blockView';
import { challengeMessage, fakeIdentity, nextBlock, testChain, workerEventMessage } from './testing/pruntimeFixtures';
import { writeU256Words, xorLessOrEqual } from './u256Words';
import { createWorkerGroup } from './workerGroup';
import { createWorkerRuntime, handleHeartbeatChallenge, isChallengeable, pendingEgress, type WorkerRuntime } from './workerRuntime';

const u256 = fc.bigInt({ min: 0n, max: U256_MAX });
const cpu = { iterationsPer6s: 1000n };

/** A group of `n` fake workers; worker i is registered if `registered[i]`, computing if `computing[i]`, and paused if `paused[i]`. */
function groupOf(flags: readonly { registered: boolean; computing: boolean; paused: boolean }[], label = 'g') {
  const group = createWorkerGroup();
  const workers = flags.map((_, i) => createWorkerRuntime(fakeIdentity(`${label}/${i}`), cpu));
  for (const w of workers) group.add(w);
  const chain = testChain(group);
  chain.step(
    flags.flatMap((f, i) => {
      const pk = workers[i]!.pubkey;
      return [
        ...(f.registered ? [workerEventMessage(pk, { tag: 'Registered', value: { confidenceLevel: 1 } })] : []),
        ...(f.computing ? [workerEventMessage(pk, { tag: 'Started', value: { sessionId: i, initV: 1n, initP: 1 } })] : []),
        ...(f.computing && f.paused ? [workerEventMessage(pk, { tag: 'EnterUnresponsive', value: undefined })] : []),
      ];
    }),
  );
  return { group, workers, chain };
}

const expectedHits = (workers: readonly WorkerRuntime[], seed: bigint, target: bigint) =>
  workers.flatMap((w, i) => (isChallengeable(w.machine) && challengeHit(w.pubkeyHash, seed, target) ? [i] : []));

describe('u256 words', () => {
  it('xorLessOrEqual equals (a XOR s) ≤ t on bigints, including equality', () => {
    fc.assert(
      fc.property(u256, u256, u256, fc.boolean(), (a, s, t0, exact) => {
        const t = exact ? a ^ s : t0;
        const w = new Uint32Array(24);
        writeU256Words(a, w, 0);
        writeU256Words(s, w, 8);
        writeU256Words(t, w, 16);
        expect(xorLessOrEqual(w, 0, w.subarray(8, 16), w.subarray(16, 24))).toBe((a ^ s) <= t);
      }),
    );
  });
});

describe('worker group lottery', () => {
  const flag = fc.record({ registered: fc.boolean(), computing: fc.boolean(), paused: fc.boolean() });

  it('hits exactly the workers challengeHit picks among the registered, computing, unpaused ones', () => {
    fc.assert(
      fc.property(fc.array(flag, { minLength: 1, maxLength: 40 }), u256, fc.nat(), fc.integer({ min: -1, max: 1 }), (flags, seed, pick, delta) => {
        const { group, workers } = groupOf(flags);
        // targets at a worker's own threshold (± 1) exercise the ≤ boundary
        const edge = (workers[pick % workers.length]!.pubkeyHash ^ seed) + BigInt(delta);
        for (const target of [edge < 0n ? 0n : edge > U256_MAX ? U256_MAX : edge, powTarget(20, 30, 12), 0n, U256_MAX]) {
          expect(group.lottery(seed, target)).toEqual(expectedHits(workers, seed, target));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('processing a challenge block gives each hit worker one heartbeat, as the single-worker path does', () => {
    fc.assert(
      fc.property(fc.array(flag, { minLength: 1, maxLength: 20 }), u256, (flags, seed) => {
        const target = U256_MAX >> 2n;
        const a = groupOf(flags, 'eq');
        const b = groupOf(flags, 'eq');
        const { view, egress } = a.chain.step([challengeMessage(seed, target)]);
        const single = b.workers.map((w) => handleHeartbeatChallenge(w, { number: view.number, nowMs: view.nowMs }, seed, target));
        expect(egress.map((e) => e.worker)).toEqual(expectedHits(a.workers, seed, target));
        expect(egress.map((e) => e.messages)).toEqual(single.flatMap((m) => (m === undefined ? [] : [[m]])));
      }),
      { numRuns: 30 },
    );
  });

  it('keeps the challengeable list right as workers start, pause, resume and stop over many blocks', () => {
    const events = ['Started', 'Stopped', 'EnterUnresponsive', 'ExitUnresponsive'] as const;
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat(7), fc.constantFrom(...events)), { maxLength: 6 }), { minLength: 1, maxLength: 15 }), u256, (blocks, seed) => {
        const { group, workers, chain } = groupOf(Array.from({ length: 8 }, () => ({ registered: true, computing: false, paused: false })), 'dyn');
        const target = U256_MAX >> 1n;
        for (const block of blocks) {
          chain.step(
            block.map(([w, tag]) =>
              workerEventMessage(workers[w]!.pubkey, tag === 'Started' ? { tag, value: { sessionId: w, initV: 1n, initP: 1 } } : { tag, value: undefined }),
            ),
          );
          expect(group.lottery(seed, target)).toEqual(expectedHits(workers, seed, target));
          expect(group.lottery(seed, U256_MAX)).toEqual(workers.flatMap((w, i) => (isChallengeable(w.machine) ? [i] : [])));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('routes a WorkerEvent to the named worker only, ignores unknown pubkeys, and purges accepted egress', () => {
    const { group, workers, chain } = groupOf([
      { registered: true, computing: true, paused: false },
      { registered: true, computing: true, paused: false },
    ]);
    chain.step([workerEventMessage(new Uint8Array(32).fill(9), { tag: 'Stopped', value: undefined })]);
    chain.step([workerEventMessage(workers[1]!.pubkey, { tag: 'Stopped', value: undefined })]);
    expect(workers.map((w) => w.machine.workingState?.sessionId)).toEqual([0, undefined]);
    chain.step([challengeMessage(0n, U256_MAX)]);
    chain.step([challengeMessage(0n, U256_MAX)]);
    expect(pendingEgress(workers[0]!, 0n).map((m) => m.sequence)).toEqual([0n, 1n]);
    group.purge(() => 1n);
    expect(pendingEgress(workers[0]!, 0n).map((m) => m.sequence)).toEqual([1n]);
    expect(() => group.processBlock(chain.step([]).view)).toThrow(/expected block/);
  });
});

/** `n` workers whose machines are already registered and (mostly) computing, as restored workers join a group. */
function bigGroup(n: number) {
  const group = createWorkerGroup();
  const workers: WorkerRuntime[] = [];
  for (let i = 0; i < n; i++) {
    const w = createWorkerRuntime(fakeIdentity(`big/${i}`), cpu);
    w.machine.registered = true;
    if (i % 10 !== 0) w.machine.workingState = { sessionId: i, state: i % 50 === 1 ? 'Paused' : 'Computing', startTimeMs: 0n, startIter: 0n };
    workers.push(w);
    group.add(w);
  }
  return { group, workers };
}

describe('worker group at 20,000 workers', () => {
  it('processes a block with one challenge touching only the hit workers', () => {
    const n = 20_000;
    const { group, workers } = bigGroup(n);
    const chain = testChain(group);
    const target = powTarget(20, n, 12);
    const seed = 0x1234_5678_9abc_def0_1234_5678_9abc_def0_1234_5678_9abc_def0_1234_5678_9abc_def0n;
    chain.step([challengeMessage(seed ^ 1n, target)]); // warm-up (JIT)
    // a shared 2-core machine is noisy: time 15 blocks and print the median
    const timings: number[] = [];
    let head = chain.head();
    let hits = 0;
    for (let k = 0; k < 15; k++) {
      const blockSeed = seed ^ (BigInt(k) << 200n);
      const block = nextBlock(head, [challengeMessage(blockSeed, target)]);
      const view = verifyBlock(head, block);
      if (E.isLeft(view)) throw new Error(view.left._tag);
      head = block.header;
      const t0 = performance.now();
      const egress = group.processBlock(view.right);
      timings.push(performance.now() - t0);
      expect(egress.map((e) => e.worker)).toEqual(expectedHits(workers, blockSeed, target));
      expect(egress.every((e) => e.messages.length === 1 && e.messages[0]!.message.sender.tag === 'Worker')).toBe(true);
      hits += egress.length;
    }
    const ms = timings.sort((a, b) => a - b)[7]!;
    process.stdout.write(`worker group: ${n} workers, one challenge: median ${ms.toFixed(3)} ms per block (${((ms / n) * 1000).toFixed(4)} ms per 1,000 workers; min ${timings[0]!.toFixed(3)} ms; ${(hits / 15).toFixed(1)} hits/block)\n`);
    expect(hits).toBeGreaterThan(0);
  });
});
