import { type PartitionControls, placementTracker } from './placementTracker';

/** A deferred promise the test resolves when it wants */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** lets every queued promise step run */
const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function harness() {
  const calls: string[] = [];
  const assigned: { partitions: readonly number[]; answer: ReturnType<typeof deferred<ReadonlyMap<number, bigint>>> }[] = [];
  const controls: PartitionControls = {
    pause: (ps) => void calls.push(`pause ${ps.join(',')}`),
    resume: (ps) => void calls.push(`resume ${ps.join(',')}`),
    seek: (p, offset) => void calls.push(`seek ${p}@${offset}`),
  };
  const tracker = placementTracker(
    controls,
    {
      onAssigned: (partitions) => {
        calls.push(`assigned ${partitions.join(',')}`);
        const answer = deferred<ReadonlyMap<number, bigint>>();
        assigned.push({ partitions, answer });
        return answer.promise;
      },
      onRevoked: async (partitions) => void calls.push(`revoked ${partitions.join(',')}`),
    },
    (message) => void calls.push(`log ${message}`),
  );
  return { calls, assigned, tracker };
}

describe('placementTracker', () => {
  it('pauses new partitions at once, and lets them flow from the host’s offsets once it has claimed them', async () => {
    const { calls, assigned, tracker } = harness();
    tracker.join([0, 1]);
    expect(calls).toEqual(['pause 0,1']);
    await settle();
    expect(tracker.isReady(0)).toBe(false);
    assigned[0]!.answer.resolve(new Map([[0, 5n], [1, 0n]]));
    await settle();
    expect(calls).toEqual(['pause 0,1', 'assigned 0,1', 'seek 0@5', 'seek 1@0', 'resume 0,1']);
    expect(tracker.ready()).toEqual([0, 1]);
  });

  it('stops a partition that leaves at once, and reports it revoked only after its message in flight', async () => {
    const { calls, assigned, tracker } = harness();
    tracker.join([0, 1]);
    await settle();
    assigned[0]!.answer.resolve(new Map([[0, 0n], [1, 0n]]));
    await settle();
    const work = deferred<string>();
    const handled = tracker.track(0, work.promise);
    tracker.join([1]);
    expect(tracker.isReady(0)).toBe(false);
    expect(tracker.ready()).toEqual([1]);
    await settle();
    expect(calls.slice(-1)).toEqual(['pause 0']);
    work.resolve('done');
    await handled;
    await settle();
    expect(calls.slice(-1)).toEqual(['revoked 0']);
  });

  it('never resumes a partition revoked while the host was still claiming it, even when it is given back', async () => {
    const { calls, assigned, tracker } = harness();
    tracker.join([3]);
    await settle();
    tracker.join([]);
    tracker.join([3]);
    assigned[0]!.answer.resolve(new Map([[3, 7n]]));
    await settle();
    expect(tracker.isReady(3)).toBe(false);
    // the second arrival is claimed anew, after the first was reported revoked
    expect(calls).toEqual(['pause 3', 'assigned 3', 'pause 3', 'pause 3', 'revoked 3', 'assigned 3']);
    assigned[1]!.answer.resolve(new Map([[3, 9n]]));
    await settle();
    expect(calls.slice(-2)).toEqual(['seek 3@9', 'resume 3']);
    expect(tracker.ready()).toEqual([3]);
  });

  it('keeps a partition the host did not give a start offset paused', async () => {
    const { calls, assigned, tracker } = harness();
    tracker.join([0, 1]);
    await settle();
    assigned[0]!.answer.resolve(new Map([[1, 2n]]));
    await settle();
    expect(tracker.ready()).toEqual([1]);
    expect(calls.slice(-2)).toEqual(['seek 1@2', 'resume 1']);
  });

  it('claims a lost partition again when the group still gives it to this member after a while', async () => {
    jest.useFakeTimers();
    try {
      const { calls, assigned, tracker } = harness();
      tracker.join([4, 5]);
      await settle();
      assigned[0]!.answer.resolve(new Map([[4, 0n], [5, 0n]]));
      await settle();
      tracker.lose(4, 1_000);
      await jest.advanceTimersByTimeAsync(999);
      expect(assigned).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(1);
      expect(assigned.map((a) => a.partitions)).toEqual([[4, 5], [4]]);
      assigned[1]!.answer.resolve(new Map([[4, 3n]]));
      await settle();
      expect(tracker.ready()).toEqual([4, 5]);
      // lost, and then a rebalance takes it away: not claimed again
      tracker.lose(5, 1_000);
      tracker.join([4]);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(assigned.map((a) => a.partitions)).toEqual([[4, 5], [4]]);
      expect(calls.filter((c) => c.startsWith('revoked'))).toEqual(['revoked 4', 'revoked 5']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('drops a lost partition and claims it again when a later join hands it over', async () => {
    const { calls, assigned, tracker } = harness();
    tracker.join([4]);
    await settle();
    assigned[0]!.answer.resolve(new Map([[4, 0n]]));
    await settle();
    tracker.lose(4, 60_000);
    await settle();
    expect(calls.slice(-2)).toEqual(['pause 4', 'revoked 4']);
    expect(tracker.isReady(4)).toBe(false);
    tracker.join([4]);
    await settle();
    expect(calls.slice(-2)).toEqual(['pause 4', 'assigned 4']);
    tracker.close();
  });

  it('retries a failed claim with a backoff until it succeeds', async () => {
    jest.useFakeTimers();
    try {
      const { calls, assigned, tracker } = harness();
      tracker.join([0]);
      await settle();
      assigned[0]!.answer.reject(new Error('store down'));
      await settle();
      expect(calls).toContain('log assignment handler failed: retrying');
      expect(assigned).toHaveLength(1);
      await jest.advanceTimersByTimeAsync(100);
      expect(assigned).toHaveLength(2);
      assigned[1]!.answer.resolve(new Map([[0, 1n]]));
      await settle();
      expect(tracker.ready()).toEqual([0]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('after close, a join changes nothing and revokeAll reports everything held', async () => {
    const { calls, assigned, tracker } = harness();
    tracker.join([0, 1]);
    await settle();
    assigned[0]!.answer.resolve(new Map([[0, 0n], [1, 0n]]));
    await settle();
    tracker.close();
    tracker.join([2]);
    expect(tracker.isReady(0)).toBe(false);
    await tracker.revokeAll();
    expect(calls.slice(-1)).toEqual(['revoked 0,1']);
    expect(calls).not.toContain('pause 2');
  });
});
