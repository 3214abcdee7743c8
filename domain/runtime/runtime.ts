/**
 * Assembles pallets into a runtime: one SCALE codec for calls and one for events (enums indexed
 * by pallet, in declaration order), a total `evolve`, hooks, and `applyCall`, which runs one call
 * as a transaction: a failed dispatch changes nothing and returns its error.
 */
import { isLeft, type Either, left, right } from 'fp-ts/Either';
import { Enum, type Codec } from 'scale-ts';
import type { Storage } from './storage';
import type { BlockContext, DispatchContext, DispatchError, Origin, Pallet, RuntimeEvent, Tagged } from './types';

export interface Runtime {
  readonly pallets: readonly Pallet[];
  /** SCALE codec of a runtime call: `{ tag: palletName, value: palletCall }` */
  readonly callCodec: Codec<RuntimeEvent>;
  /** SCALE codec of a runtime event: `{ tag: palletName, value: palletEvent }` */
  readonly eventCodec: Codec<RuntimeEvent>;
  pallet(name: string): Pallet | undefined;
  /** folds one runtime event into storage (total: an unknown pallet is a bug in the ledger codec) */
  evolve(storage: Storage, event: RuntimeEvent, block: BlockContext): void;
  /** runs `call` as a transaction; on Left nothing it did is kept and `events` is empty */
  applyCall(storage: Storage, block: BlockContext, origin: Origin, call: RuntimeEvent): { result: Either<DispatchError, void>; events: RuntimeEvent[] };
  /** a context whose `emit` records into `sink` and evolves `storage` */
  context(storage: Storage, block: BlockContext, sink: RuntimeEvent[]): DispatchContext;
}

/** Builds a runtime from pallets; their order fixes the SCALE indices of calls and events. */
export function createRuntime(pallets: readonly Pallet[]): Runtime {
  const byName = new Map<string, Pallet>();
  for (const p of pallets) {
    if (byName.has(p.name)) throw new Error(`pallet ${p.name} declared twice`);
    byName.set(p.name, p);
  }
  const enumOf = (pick: (p: Pallet) => Codec<Tagged>): Codec<RuntimeEvent> => {
    const inner: Record<string, Codec<Tagged>> = {};
    for (const p of pallets) inner[p.name] = pick(p);
    // scale-ts types enums from literal records; the pallet list is dynamic, so widen once here
    return Enum(inner as Parameters<typeof Enum>[0]) as unknown as Codec<RuntimeEvent>;
  };

  const evolve = (storage: Storage, event: RuntimeEvent, block: BlockContext) => {
    const p = byName.get(event.tag);
    if (p === undefined) throw new Error(`event of unknown pallet ${event.tag}`);
    p.evolve(storage, event.value, block);
  };

  const context = (storage: Storage, block: BlockContext, sink: RuntimeEvent[]): DispatchContext => ({
    storage,
    block,
    emit(pallet, value) {
      const event = { tag: pallet, value };
      sink.push(event);
      evolve(storage, event, block);
    },
  });

  return {
    pallets,
    callCodec: enumOf((p) => p.calls),
    eventCodec: enumOf((p) => p.events),
    pallet: (name) => byName.get(name),
    evolve,
    context,
    applyCall(storage, block, origin, call) {
      const p = byName.get(call.tag);
      if (p === undefined) return { result: left({ pallet: 'System', error: 'CallFiltered' }), events: [] };
      const events: RuntimeEvent[] = [];
      storage.begin();
      const result = p.dispatch(context(storage, block, events), origin, call.value);
      if (isLeft(result)) {
        storage.rollback();
        return { result, events: [] };
      }
      storage.commit();
      return { result: right(undefined), events };
    },
  };
}
