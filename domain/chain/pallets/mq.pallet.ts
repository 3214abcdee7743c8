/**
 * PhalaMq (`PB:pallets/phala/src/mq.rs`, `mq/check_seq.rs`; DOMAIN.md §2.4, §14 F8, F10, F29):
 * the on-chain end of the message queue. Off-chain senders (workers, gatekeepers, clusters,
 * contracts) submit signed messages with a per-sender sequence that must be exactly the next
 * one; users and root push unsigned messages. Every accepted message goes through
 * `ctx.push` (Phala's `dispatch_message`): on-chain handlers first, their errors swallowed, then
 * the block's outbound list if the topic is off-chain.
 *
 * Phala's mq pallet has no events; phalanet adds some so the ingress counters and the genesis
 * queue are the fold of the ledger: `OffchainMessageAccepted`, `QueuedMessagesDispatched`,
 * `MessageQueued`, and the genesis hold's `GenesisQueueHeld` / `HeldMessagesDispatched`.
 *
 * The genesis hold (phalanet): a genesis with workers already computing (a network running at
 * block 0) needs its gatekeepers to know those workers, but a gatekeeper's economics ignores every
 * message dispatched before its master pubkey is on chain (`gk.rs` `process_messages`). So genesis
 * may hold the messages queued after its gatekeepers' launch (`force_hold_genesis_queue`, a genesis
 * call) and the registry releases them, in queue order, right after `MasterPubkeyOnChain`.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { Enum, Struct, type CodecType, u32 } from 'scale-ts';
import { isOffchainOrigin, type Message, type MessageOrigin, messageCodec, messageOriginCodec, messageSigningBytes, type SignedMessage, signedMessageCodec } from '../../codec/mq.codec';
import { fromHex } from '../../codec/hex';
import { bool, bytes, u64, unit, variant, vec } from '../../codec/scale';
import { isValidTopic, topicBytes } from '../../codec/topics';
import { sr25519Verify } from '../../crypto/sr25519Verify';
import { type Storage, type StorageReader, storageMap, storageValue } from '../../runtime/storage';
import { type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, unreachable } from '../../runtime/types';
import { panicError, RuntimePanic } from './runtimePanic';

/** The pallet's name (and its mq sender name). */
export const MQ = 'PhalaMq';

// events
/** PhalaMq's events (phalanet's own: Phala's mq pallet has none). */
export const MqEvent = Enum({
  /** a signed off-chain message passed every check; the sender's next sequence is `sequence + 1` */
  OffchainMessageAccepted: Struct({ sender: messageOriginCodec, sequence: u64 }),
  /** the genesis-queued messages were taken and dispatched (block 1's `on_initialize`, §14 F10) */
  QueuedMessagesDispatched: Struct({ count: u32 }),
  /** phalanet: a pallet message queued at genesis for block 1 (the event-sourced `queue_message` of a genesis build) */
  MessageQueued: Struct({ message: messageCodec }),
  /** phalanet, genesis: messages queued from now on wait for the master pubkey (module comment) */
  GenesisQueueHeld: unit,
  /** phalanet: the held genesis messages were dispatched, after `MasterPubkeyOnChain` */
  HeldMessagesDispatched: Struct({ count: u32 }),
});
/** A PhalaMq event. */
export type MqEvent = CodecType<typeof MqEvent>;

// state
/** `OffchainIngress[sender]`: the next expected sequence (absent = 0). Keyed by the origin's SCALE bytes. */
export const OffchainIngress = storageMap(MQ, 'OffchainIngress', messageOriginCodec, u64);
/**
 * `QueuedOutboundMessage`: messages queued at genesis, dispatched at block 1. Phala keeps one
 * `Vec`. Here the first `QUEUE_VEC_MAX` messages stay in that one list (so every ledger written
 * before the overflow existed replays to the same state roots) and the rest go to an overflow
 * map, one entry per message with a count: a 20,000-worker genesis queues ~60,000 messages, and
 * re-writing a growing list per message would be quadratic.
 */
const QueuedVec = storageValue<Message[]>(MQ, 'QueuedOutboundMessage', vec(messageCodec), []);
const QUEUE_VEC_MAX = 64;
const OverflowCount = storageValue(MQ, 'QueuedOutboundMessageCount', u32, 0);
const OverflowEntries = storageMap(MQ, 'QueuedOutboundMessages', u32, messageCodec);

/** Whether genesis holds what it queues (the genesis hold, module comment). */
const GenesisHold = storageValue(MQ, 'GenesisQueueHeld', bool, false);
const HeldCount = storageValue(MQ, 'HeldOutboundMessageCount', u32, 0);
const HeldEntries = storageMap(MQ, 'HeldOutboundMessages', u32, messageCodec);

/** The held genesis messages, in queue order. */
export const HeldOutboundMessages = {
  get(s: StorageReader): Message[] {
    const n = HeldCount.get(s);
    return Array.from({ length: n }, (_, i) => {
      const m = HeldEntries.get(s, i);
      if (m === undefined) throw new Error(`held message ${i} of ${n} is missing`);
      return m;
    });
  },
};

/** The genesis-queued messages, in queue order (read access to `QueuedOutboundMessage`). */
export const QueuedOutboundMessage = {
  get(s: StorageReader): Message[] {
    const out = [...QueuedVec.get(s)];
    const n = OverflowCount.get(s);
    for (let i = 0; i < n; i++) {
      const m = OverflowEntries.get(s, i);
      if (m === undefined) throw new Error(`queued message ${QUEUE_VEC_MAX + i} (overflow ${i} of ${n}) is missing`);
      out.push(m);
    }
    return out;
  },
};

function appendQueued(s: Storage, message: Message): void {
  if (GenesisHold.get(s)) {
    const n = HeldCount.get(s);
    HeldEntries.set(s, n, message);
    HeldCount.set(s, n + 1);
    return;
  }
  const head = QueuedVec.get(s);
  if (head.length < QUEUE_VEC_MAX) {
    QueuedVec.set(s, [...head, message]);
    return;
  }
  const n = OverflowCount.get(s);
  OverflowEntries.set(s, n, message);
  OverflowCount.set(s, n + 1);
}

/** The next sequence `sync_offchain_message` accepts from `sender`. */
export const nextIngressSequence = (s: StorageReader, sender: MessageOrigin): bigint => OffchainIngress.get(s, sender) ?? 0n;

// evolve
function evolve(s: Storage, e: MqEvent): void {
  switch (e.tag) {
    case 'OffchainMessageAccepted':
      OffchainIngress.set(s, e.value.sender, e.value.sequence + 1n);
      return;
    case 'QueuedMessagesDispatched': {
      QueuedVec.reset(s);
      const n = OverflowCount.get(s);
      for (let i = 0; i < n; i++) OverflowEntries.remove(s, i);
      OverflowCount.reset(s);
      return;
    }
    case 'MessageQueued':
      appendQueued(s, e.value.message);
      return;
    case 'GenesisQueueHeld':
      GenesisHold.set(s, true);
      return;
    case 'HeldMessagesDispatched': {
      const n = HeldCount.get(s);
      for (let i = 0; i < n; i++) HeldEntries.remove(s, i);
      HeldCount.reset(s);
      GenesisHold.reset(s);
      return;
    }
    default:
      unreachable(e);
  }
}

// commands
/** PhalaMq's calls, Phala's indices 0–2, and phalanet's genesis-only hold at 100. */
export const MqCall = variant(
  'MqCall',
  {
    sync_offchain_message: Struct({ signedMessage: signedMessageCodec }),
    push_message: Struct({ destination: bytes(), payload: bytes() }),
    force_push_pallet_message: Struct({ destination: bytes(), payload: bytes() }),
    /** phalanet, Root at genesis only: hold what genesis queues from now on (module comment) */
    force_hold_genesis_queue: unit,
  },
  { force_hold_genesis_queue: 100 },
);
/** A PhalaMq call. */
export type MqCall = CodecType<typeof MqCall>;

/**
 * Where the signing key of an off-chain origin comes from (`Registry::check_message`): a worker
 * signs with its own key; the gatekeepers with the master key; clusters and contracts with keys
 * the Phat pallet records. The registry provides it (`registryMessageKey`).
 */
export type MessageKeyLookup = (s: StorageReader, sender: MessageOrigin) => Either<DispatchError, Uint8Array>;

/** sr25519 verification as the pallet uses it (message, signature, public key). */
export type VerifySignature = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;

/** Dependencies of the mq pallet. */
export interface MqDeps {
  readonly messageKey: MessageKeyLookup;
  /** defaults to `sr25519Verify` (substrate context) */
  readonly verify?: VerifySignature;
}

/** The sender of a message pushed by a pallet: `MessageOrigin::Pallet(name bytes)`. */
export const palletOrigin = (palletName: string): MessageOrigin => ({ tag: 'Pallet', value: topicBytes(palletName) });

/** `MessageOriginInfo::push_message_to`: a pallet's message on `topic`. */
export function pushPalletMessage(ctx: DispatchContext, palletName: string, topic: string, payload: Uint8Array): void {
  ctx.push({ sender: palletOrigin(palletName), destination: topicBytes(topic), payload });
}

/** Queues a message for block 1 through the `MessageQueued` event (the runtime's `queueAtGenesis`: genesis has no outbound). */
export function queueMessage(ctx: DispatchContext, message: Message): void {
  ctx.emit(MQ, { tag: 'MessageQueued', value: { message } });
}

/** Queues a pallet message for block 1 through the `MessageQueued` event (genesis calls use it: genesis has no outbound). */
export function queuePalletMessage(ctx: DispatchContext, palletName: string, topic: string, payload: Uint8Array): void {
  queueMessage(ctx, { sender: palletOrigin(palletName), destination: topicBytes(topic), payload });
}

/** Queues a message at genesis (`queue_bound_message`) by a direct write; it is dispatched in block 1's `on_initialize`. */
export function queueGenesisMessage(s: Storage, palletName: string, topic: string, payload: Uint8Array): void {
  appendQueued(s, { sender: palletOrigin(palletName), destination: topicBytes(topic), payload });
}

/** Runs `ctx.push`, turning a handler's {@link RuntimePanic} into the `Panic` dispatch error. */
function dispatchMessage(ctx: DispatchContext, message: Message): Either<DispatchError, void> {
  try {
    ctx.push(message);
    return right(undefined);
  } catch (e) {
    if (e instanceof RuntimePanic) return left(panicError(e.reason));
    throw e;
  }
}

const mqError = (error: string) => left(dispatchError(MQ, error));
const badOrigin = () => left(dispatchError('System', 'BadOrigin'));

/** The checks of `sync_offchain_message`, in Phala's order (§14 F8). */
function checkSigned(s: StorageReader, deps: MqDeps, signed: SignedMessage): Either<DispatchError, void> {
  const { sender, destination } = signed.message;
  if (!isOffchainOrigin(sender)) return mqError('BadSender');
  if (!isValidTopic(destination)) return mqError('BadDestination');
  if (signed.sequence !== nextIngressSequence(s, sender)) return mqError('BadSequence');
  const key = deps.messageKey(s, sender);
  if (isLeft(key)) return key;
  // Phala's registry raises these two; `MalformedSignature` cannot happen for 64 bytes
  if (signed.signature.length !== 64) return left(dispatchError('PhalaRegistry', 'InvalidSignatureLength'));
  const verify = deps.verify ?? sr25519Verify;
  if (!verify(messageSigningBytes(signed.message, signed.sequence), signed.signature, key.right)) {
    return left(dispatchError('PhalaRegistry', 'InvalidSignature'));
  }
  return right(undefined);
}

// decide
function decide(deps: MqDeps) {
  return (ctx: DispatchContext, origin: Origin, call: MqCall): Either<DispatchError, void> => {
    switch (call.tag) {
      case 'sync_offchain_message': {
        if (origin.type !== 'Signed') return badOrigin();
        const signed = call.value.signedMessage;
        const checked = checkSigned(ctx.storage, deps, signed);
        if (isLeft(checked)) return checked;
        ctx.emit(MQ, { tag: 'OffchainMessageAccepted', value: { sender: signed.message.sender, sequence: signed.sequence } });
        return dispatchMessage(ctx, signed.message);
      }
      case 'push_message': {
        if (origin.type !== 'Signed') return badOrigin();
        // no topic check (§14 F8): an invalid topic is routed but never goes off-chain
        const sender: MessageOrigin = { tag: 'AccountId', value: fromHex(origin.who, 'signer', 32) };
        return dispatchMessage(ctx, { sender, destination: call.value.destination, payload: call.value.payload });
      }
      case 'force_push_pallet_message':
        if (origin.type !== 'Root') return badOrigin();
        return dispatchMessage(ctx, { sender: palletOrigin('ForcePushed'), destination: call.value.destination, payload: call.value.payload });
      case 'force_hold_genesis_queue':
        if (origin.type !== 'Root') return badOrigin();
        if (ctx.block.number !== 0) return mqError('GenesisOnly');
        if (!GenesisHold.get(ctx.storage)) ctx.emit(MQ, { tag: 'GenesisQueueHeld', value: undefined });
        return right(undefined);
      default:
        return unreachable(call);
    }
  };
}

/** Block 1 (or any block with a queue): dispatch the genesis-queued messages first (§14 F10). */
function onInitialize(ctx: DispatchContext): void {
  const queued = QueuedOutboundMessage.get(ctx.storage);
  if (queued.length === 0) return;
  ctx.emit(MQ, { tag: 'QueuedMessagesDispatched', value: { count: queued.length } });
  for (const m of queued) {
    const r = dispatchMessage(ctx, m);
    // a genesis message that panics a handler makes block 1 unbuildable: a broken chain spec
    if (isLeft(r)) throw new Error(`genesis-queued message panicked: ${r.left.error}`);
  }
}

/**
 * Dispatches the held genesis messages, in queue order, after whatever the caller pushed (the
 * registry calls it right after `MasterPubkeyOnChain`). Nothing held: nothing happens.
 */
export function releaseHeldMessages(ctx: DispatchContext): void {
  if (!GenesisHold.get(ctx.storage)) return;
  const held = HeldOutboundMessages.get(ctx.storage);
  ctx.emit(MQ, { tag: 'HeldMessagesDispatched', value: { count: held.length } });
  for (const m of held) {
    const r = dispatchMessage(ctx, m);
    if (isLeft(r)) throw new Error(`held genesis message panicked: ${r.left.error}`);
  }
}

/** Builds the PhalaMq pallet around the registry's signing-key lookup. */
export function createMqPallet(deps: MqDeps): Pallet {
  return definePallet<MqCall, MqEvent>({ name: MQ, calls: MqCall, events: MqEvent, dispatch: decide(deps), evolve, onInitialize, validate });
}

/** The transaction pool's sequence rule (`CheckMqSequence`): a future sequence waits, a stale one is dropped. */
function validate(storage: StorageReader, _origin: Origin, call: MqCall): 'ok' | 'future' | { readonly invalid: string } {
  if (call.tag !== 'sync_offchain_message') return 'ok';
  const check = checkOffchainMessage(storage, call.value.signedMessage);
  if (check === 'ok') return 'ok';
  if ('future' in check) return 'future';
  if ('stale' in check) return { invalid: `StaleSequence(expected ${check.stale.expected})` };
  return { invalid: check.invalid };
}

/** What the transaction pool does with a `sync_offchain_message` (`CheckMqSequence`). */
export type OffchainMessageCheck =
  | 'ok'
  | { readonly future: { readonly expected: bigint } }
  | { readonly stale: { readonly expected: bigint } }
  | { readonly invalid: string };

/**
 * The block producer's pre-check of a signed message (§2.4 tx-pool rule): a stale sequence is
 * dropped, a future one is kept until its predecessor lands (`requires (sender, seq − 1)`), the
 * expected one may be included. Sender and topic are checked too (they would fail the dispatch);
 * the signature is left to the dispatch.
 */
export function checkOffchainMessage(s: StorageReader, signed: SignedMessage): OffchainMessageCheck {
  if (!isOffchainOrigin(signed.message.sender)) return { invalid: 'BadSender' };
  if (!isValidTopic(signed.message.destination)) return { invalid: 'BadDestination' };
  const expected = nextIngressSequence(s, signed.message.sender);
  if (signed.sequence < expected) return { stale: { expected } };
  if (signed.sequence > expected) return { future: { expected } };
  return 'ok';
}
