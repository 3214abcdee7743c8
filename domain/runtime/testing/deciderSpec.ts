/**
 * Decider specs for pallets (STYLE.md "Tests" 1): `given(events).when(origin, call).thenEmits(events)`
 * or `.thenRejects('ErrorName')`. Storage is built by folding the given events, which also checks
 * that `evolve` accepts them; after the call, the given plus emitted events are folded again into
 * fresh storage and must give exactly the same state (a decider that wrote storage directly fails).
 */
import { isLeft } from 'fp-ts/Either';
import type { Message } from '../../codec/mq.codec';
import type { Runtime } from '../runtime';
import { Storage } from '../storage';
import type { BlockContext, Origin, RuntimeEvent } from '../types';

export interface Spec {
  when(origin: Origin, call: RuntimeEvent, block?: BlockContext): SpecResult;
  readonly storage: Storage;
}

export interface SpecResult {
  thenEmits(expected: readonly RuntimeEvent[]): Storage;
  thenRejects(error: string): Storage;
  readonly events: RuntimeEvent[];
  /** off-chain mq messages the call pushed, in order */
  readonly outbound: Message[];
}

const dump = (s: Storage) =>
  s
    .allEntries()
    .map((e) => `${Buffer.from(e.key).toString('hex')}=${e.value === undefined ? '-' : Buffer.from(e.value).toString('hex')}`)
    .sort();

const defaultBlock: BlockContext = { number: 1, timestampMs: 12_000 };

/** Starts a spec from a genesis storage (built by `setup`) plus the given events. */
export function decider(runtime: Runtime, setup: (s: Storage) => void = () => {}) {
  return {
    given(events: readonly RuntimeEvent[], block: BlockContext = defaultBlock): Spec {
      const storage = new Storage();
      setup(storage);
      for (const e of events) runtime.evolve(storage, e, block);
      storage.drainChanges();
      return {
        storage,
        when(origin, call, at = block) {
          const { result, events: emitted, outbound } = runtime.applyCall(storage, at, origin, call);
          // the event-sourcing invariant: the state is exactly the fold of the events
          const refold = new Storage();
          setup(refold);
          for (const e of events) runtime.evolve(refold, e, block);
          for (const e of emitted) runtime.evolve(refold, e, at);
          expect(dump(refold)).toEqual(dump(storage));
          return {
            events: emitted,
            outbound,
            thenEmits(expected) {
              if (isLeft(result)) throw new Error(`expected success, got ${result.left.pallet}.${result.left.error}`);
              expect(emitted).toEqual(expected);
              return storage;
            },
            thenRejects(error) {
              if (!isLeft(result)) throw new Error(`expected ${error}, but the call succeeded with ${JSON.stringify(emitted, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
              expect(result.left.error).toBe(error);
              return storage;
            },
          };
        },
      };
    },
  };
}
