/**
 * A pRuntime's egress (`crates/phala-mq/src/send_queue.rs`): one channel per origin, each with its
 * own next sequence and signing key. A push takes the next sequence; a channel in dummy mode still
 * takes it but drops the message (a gatekeeper syncing silently keeps its sequence aligned with
 * the active ones). Messages stay until the chain has accepted them (`purge`). Mutable records:
 * a process hosts thousands of these, so no copy per push.
 */
import { type Message, type MessageOrigin, messageSigningBytes, originKey, type SignedMessage } from '../../domain/codec/mq.codec';
import type { KeyRef } from '../vault/keyVault';

/** One origin's channel. */
export interface EgressChannel {
  readonly origin: MessageOrigin;
  /** `originKey(origin)`, kept to name the signing stream without re-encoding per push */
  readonly originHex: string;
  /** the vault key that signs for this origin: identity for `Worker(pk)`; master / cluster / contract later */
  readonly key: KeyRef;
  /** the sequence the next push takes */
  sequence: bigint;
  /** signed, not yet known to be on chain, in sequence order */
  messages: SignedMessage[];
  dummy: boolean;
}

/** Channels by `originKey(origin)`. Iteration order = creation order (Phala: BTreeMap by origin; only the grouping matters). */
export type EgressQueue = Map<string, EgressChannel>;

/** Signs `bytes` for the message `sequence` of channel `originHex`. */
export type EgressSigner = (key: KeyRef, originHex: string, sequence: bigint, bytes: Uint8Array) => Uint8Array;

/** Opens (or returns) the channel of `origin`, signing with `key`. */
export function openChannel(queue: EgressQueue, origin: MessageOrigin, key: KeyRef): EgressChannel {
  const id = originKey(origin);
  let channel = queue.get(id);
  if (channel === undefined) {
    channel = { origin, originHex: id, key, sequence: 0n, messages: [], dummy: false };
    queue.set(id, channel);
  }
  return channel;
}

/** `enqueue_message`: signs and queues, or only advances the sequence in dummy mode. Returns the queued message. */
export function pushMessage(channel: EgressChannel, destination: Uint8Array, payload: Uint8Array, sign: EgressSigner): SignedMessage | undefined {
  const sequence = channel.sequence;
  channel.sequence = sequence + 1n;
  if (channel.dummy) return undefined;
  const message: Message = { sender: channel.origin, destination, payload };
  const signature = sign(channel.key, channel.originHex, sequence, messageSigningBytes(message, sequence));
  const signed: SignedMessage = { message, sequence, signature };
  channel.messages.push(signed);
  return signed;
}

/** `purge`: drops every message whose sequence the chain has already accepted. */
export function purgeChannel(channel: EgressChannel, onChainNextSequence: bigint): void {
  if (channel.messages.length === 0 || channel.messages[0]!.sequence >= onChainNextSequence) return;
  channel.messages = channel.messages.filter((m) => m.sequence >= onChainNextSequence);
}

/** What a relayer submits after a restart: the channel's messages from the on-chain next sequence on (pherry `msg_sync`). */
export function pendingFrom(channel: EgressChannel, onChainNextSequence: bigint): readonly SignedMessage[] {
  return channel.messages.filter((m) => m.sequence >= onChainNextSequence);
}
