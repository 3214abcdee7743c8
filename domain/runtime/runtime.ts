/**
 * Assembles pallets into a runtime: one SCALE codec for calls and one for events (enums indexed
 * by pallet, in declaration order), a total `evolve`, hooks, and `applyCall`, which runs one call
 * as a transaction: a failed dispatch changes nothing and returns its error.
 */
import { isLeft, type Either, left, right } from 'fp-ts/Either';
import { Enum, type Codec } from 'scale-ts';
import type { Message } from '../codec/mq.codec';
import { isOffchainTopic } from '../codec/topics';
import type { Storage } from './storage';
import type { BlockContext, DispatchContext, DispatchError, MessageHandler, Origin, Pallet, RuntimeEvent, Tagged } from './types';

/** What one call (or hook) produced: events in order and outbound mq messages in order. */
export interface CallOutput {
  readonly events: RuntimeEvent[];
  readonly outbound: Message[];
}

export interface Runtime {
  readonly pallets: readonly Pallet[];
  /** SCALE codec of a runtime call: `{ tag: palletName, value: palletCall }` */
  readonly callCodec: Codec<RuntimeEvent>;
  /** SCALE codec of a runtime event: `{ tag: palletName, value: palletEvent }` */
  readonly eventCodec: Codec<RuntimeEvent>;
  pallet(name: string): Pallet | undefined;
  /** folds one runtime event into storage (total: an unknown pallet is a bug in the ledger codec) */
  evolve(storage: Storage, event: RuntimeEvent, block: BlockContext): void;
  /** runs `call` as a transaction; on Left nothing it did is kept and the output is empty */
  applyCall(storage: Storage, block: BlockContext, origin: Origin, call: RuntimeEvent): { result: Either<DispatchError, void> } & CallOutput;
  /** a context whose `emit`/`push` record into `sink` and evolve `storage` */
  context(storage: Storage, block: BlockContext, sink: CallOutput): DispatchContext;
}

/** Runtime-wide behaviour that belongs to no single pallet. */
export interface RuntimeOptions {
  /**
   * What a message pushed while block 0 is built becomes. Genesis has no outbound (Phala's genesis
   * builds call `queue_message`, dispatched in block 1's `on_initialize`, DOMAIN.md §14 F10), so
   * the mq pallet queues it here; neither the handlers nor the outbound see it before block 1.
   * Without this option a push at block 0 is an ordinary push.
   */
  readonly queueAtGenesis?: (ctx: DispatchContext, message: Message) => void;
}

/** Builds a runtime from pallets; their order fixes the SCALE indices of calls and events. */
export function createRuntime(pallets: readonly Pallet[], options: RuntimeOptions = {}): Runtime {
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

  const handlers = new Map<string, MessageHandler[]>();
  for (const p of pallets) {
    for (const h of p.messageHandlers ?? []) {
      const list = handlers.get(h.topic) ?? [];
      list.push(h);
      handlers.set(h.topic, list);
    }
  }
  const topicOf = (m: Message) => Buffer.from(m.destination).toString('latin1');

  const context = (storage: Storage, block: BlockContext, sink: CallOutput): DispatchContext => {
    const ctx: DispatchContext = {
      storage,
      block,
      emit(pallet, value) {
        const event = { tag: pallet, value };
        sink.events.push(event);
        evolve(storage, event, block);
      },
      push(message) {
        if (block.number === 0 && options.queueAtGenesis !== undefined) {
          options.queueAtGenesis(ctx, message);
          return;
        }
        // handler errors are swallowed on purpose (Phala's mq ignores them, §14 F8)
        for (const h of handlers.get(topicOf(message)) ?? []) h.handle(ctx, message);
        if (isOffchainTopic(message.destination)) sink.outbound.push(message);
      },
      dispatch(origin, call) {
        const { result, events, outbound } = applyCall(storage, block, origin, call);
        sink.events.push(...events);
        sink.outbound.push(...outbound);
        return result;
      },
    };
    return ctx;
  };

  function applyCall(storage: Storage, block: BlockContext, origin: Origin, call: RuntimeEvent): { result: Either<DispatchError, void> } & CallOutput {
    const p = byName.get(call.tag);
    if (p === undefined) return { result: left({ pallet: 'System', error: 'CallFiltered' }), events: [], outbound: [] };
    const out: CallOutput = { events: [], outbound: [] };
    storage.begin();
    let result: Either<DispatchError, void>;
    try {
      result = p.dispatch(context(storage, block, out), origin, call.value);
    } catch (panic) {
      // a Rust panic inside the call: nothing it did may survive; the caller decides what a panic means
      storage.rollback();
      throw panic;
    }
    if (isLeft(result)) {
      storage.rollback();
      return { result, events: [], outbound: [] };
    }
    storage.commit();
    return { result: right(undefined), ...out };
  }

  return {
    pallets,
    callCodec: enumOf((p) => p.calls),
    eventCodec: enumOf((p) => p.events),
    pallet: (name) => byName.get(name),
    evolve,
    context,
    applyCall,
  };
}
