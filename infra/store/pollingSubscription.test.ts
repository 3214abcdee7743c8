import type { RecordedEvent } from '../../domain/ports/eventStore';
import { StoreUnavailable } from '../../domain/ports/eventStoreErrors';
import { type PollSource, pollingSubscription, wakeSignal } from './pollingSubscription';

const recorded = (position: number): RecordedEvent => ({
  streamId: 's',
  version: position - 1,
  globalPosition: BigInt(position),
  type: 'T',
  schemaVersion: 0,
  data: new Uint8Array(),
  metadata: {},
});

/** A source over a fixed list whose reads can be made to fail. */
function source(count: number, failures: unknown[] = []): PollSource {
  const events = Array.from({ length: count }, (_, i) => recorded(i + 1));
  return {
    wake: wakeSignal(),
    headPosition: async () => BigInt(count),
    async readBatch(after, maxCount) {
      const failure = failures.shift();
      if (failure) throw failure;
      return events.filter((e) => e.globalPosition > after).slice(0, maxCount);
    },
  };
}

describe('pollingSubscription', () => {
  it('retries a retriable failure and delivers everything in order', async () => {
    const seen: bigint[] = [];
    const onError = jest.fn();
    const sub = pollingSubscription(
      source(5, [new StoreUnavailable('blip', true)]),
      { onEvent: (e) => void seen.push(e.globalPosition), onError },
      { pollIntervalMs: 1, batchSize: 2 },
    );
    await sub.caughtUp;
    await sub.stop();
    expect(seen).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(onError).not.toHaveBeenCalled();
  });

  it('stops on a non-retriable failure: onError, and caughtUp rejects', async () => {
    const failure = new StoreUnavailable('gone', false);
    const errors: unknown[] = [];
    const sub = pollingSubscription(source(3, [failure]), { onEvent: () => undefined, onError: (e) => errors.push(e) });
    await expect(sub.caughtUp).rejects.toBe(failure);
    expect(errors).toEqual([failure]);
    await sub.stop();
  });

  it('stop() from inside a callback ends delivery after that callback', async () => {
    const seen: bigint[] = [];
    let stopped: Promise<void> | undefined;
    const sub = pollingSubscription(source(5), {
      onEvent: (e) => {
        seen.push(e.globalPosition);
        if (e.globalPosition === 2n) stopped = sub.stop();
      },
    });
    await expect(sub.caughtUp).rejects.toThrow(/stopped before it caught up/);
    await stopped;
    await sub.stop();
    expect(seen).toEqual([1n, 2n]);
  });
});
