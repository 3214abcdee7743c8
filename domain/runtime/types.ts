/**
 * The vocabulary every pallet shares: origins, dispatch errors, block context, events with phases.
 * Pallets are deciders (ARCHITECTURE.md §3): `dispatch` decides and emits events through the
 * context; `evolve` folds one event into storage and never throws, so the state is always the fold
 * of the ledger's events (a property test checks it).
 */
import type { Either } from 'fp-ts/Either';
import type { Codec } from 'scale-ts';
import type { Message } from '../codec/mq.codec';
import type { Storage, StorageReader } from './storage';

/** Hex `0x…` 32-byte account id. */
export type AccountIdHex = string;

/** Who dispatched a call: a signed account, or Root (governance through the configured root account). */
export type Origin = { readonly type: 'Signed'; readonly who: AccountIdHex } | { readonly type: 'Root' };

/** A failed dispatch, named like Phala's errors: `{ pallet: 'PhalaComputation', error: 'InsufficientStake' }`. */
export interface DispatchError {
  readonly pallet: string;
  readonly error: string;
}

/** Shorthand for a pallet's error. */
export const dispatchError = (pallet: string, error: string): DispatchError => ({ pallet, error });

/** The block being built, as every hook and call sees it. */
export interface BlockContext {
  readonly number: number;
  readonly timestampMs: number;
}

/** A SCALE enum value as scale-ts represents it. */
export interface Tagged {
  readonly tag: string;
  readonly value: unknown;
}

/** One runtime event: the pallet's name as tag, the pallet's event as value. */
export type RuntimeEvent = { readonly tag: string; readonly value: Tagged };

/** Where in the block an event was emitted (Substrate's `Phase`). */
export type Phase =
  | { readonly tag: 'Initialization'; readonly value: undefined }
  | { readonly tag: 'ApplyExtrinsic'; readonly value: number }
  | { readonly tag: 'Finalization'; readonly value: undefined };

export interface EventRecord {
  readonly phase: Phase;
  readonly event: RuntimeEvent;
}

/** What a call sees while it runs. `emit` records an event and folds it into storage at once. */
export interface DispatchContext {
  /** read-only: a decider changes state only by emitting events */
  readonly storage: StorageReader;
  readonly block: BlockContext;
  emit(pallet: string, event: Tagged): void;
  /**
   * `dispatch_message` of Phala's mq pallet: runs the on-chain handlers bound to the message's
   * topic at once (their errors are swallowed, §14 F8; events they emitted stay), then, if the
   * topic is valid and off-chain, appends the message to this block's outbound messages. Outbound
   * messages are call output, not state: a failed extrinsic's messages vanish with it.
   */
  push(message: Message): void;
  /**
   * Dispatches another call as `origin` in a nested transaction (Substrate `with_transaction`):
   * on Left its changes and output are discarded and the caller decides what that means
   * (e.g. `Sudo.sudo` records the inner error and still succeeds).
   */
  dispatch(origin: Origin, call: RuntimeEvent): Either<DispatchError, void>;
}

/** An on-chain message handler (Phala's `on_message_received` family), bound to one topic. */
export interface MessageHandler {
  /** the exact topic path, e.g. `phala/mining/report` or `^phala/mining/update` */
  readonly topic: string;
  handle(ctx: DispatchContext, message: Message): Either<DispatchError, void>;
}

/** A runtime pallet as a decider. */
export interface Pallet<C extends Tagged = Tagged, E extends Tagged = Tagged> {
  readonly name: string;
  readonly calls: Codec<C>;
  readonly events: Codec<E>;
  /** decides a call; events go through `ctx.emit`; a Left rolls the whole extrinsic back */
  dispatch(ctx: DispatchContext, origin: Origin, call: C): Either<DispatchError, void>;
  /** folds one of this pallet's events into storage; total, never throws */
  evolve(storage: Storage, event: E, block: BlockContext): void;
  onInitialize?(ctx: DispatchContext): void;
  onFinalize?(ctx: DispatchContext): void;
  /** handlers run in pallet order, then declaration order (Phala's `msg_routing.rs` order) */
  readonly messageHandlers?: readonly MessageHandler[];
  /**
   * Transaction-pool validity before dispatch (Substrate's `ValidateUnsigned`/`check_seq`):
   * `'future'` waits in the pool (e.g. an mq sequence ahead of the chain's), `invalid` is dropped.
   */
  validate?(storage: StorageReader, origin: Origin, call: C): 'ok' | 'future' | { readonly invalid: string };
}

/**
 * Declares a pallet. The definition is checked against its own call and event types; the result
 * is erased to `Pallet` so that a runtime can hold pallets of different types in one list.
 */
export function definePallet<C extends Tagged, E extends Tagged>(pallet: Pallet<C, E>): Pallet {
  return pallet as unknown as Pallet;
}

/** Closes a `switch` over a union: a new variant that is not handled fails to type-check. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
