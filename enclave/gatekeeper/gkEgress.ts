import { type Message, messageSigningBytes } from '../../domain/codec/mq.codec';

/** One message on the shared `Gatekeeper` channel, with its sequence and the master key's signature. */
export interface GkEgressEntry {
  readonly message: Message;
  readonly sequence: bigint;
  readonly signature: Uint8Array;
}

/** Signs the bytes of the message at `sequence` (the caller picks the key and the randomness). */
export type SequenceSigner = (toSign: Uint8Array, sequence: bigint) => Uint8Array;

/**
 * The `Gatekeeper` origin's send queue (`phala-mq` `send_queue.rs`). Every push takes the next
 * sequence; in dummy mode (a GK syncing silently) the sequence still advances but nothing is
 * signed or kept, so a silent GK's sequence stays aligned with the active GKs' and it can take
 * over the moment it is registered.
 */
export interface GkEgress {
  readonly nextSequence: () => bigint;
  readonly dummy: () => boolean;
  setDummy(dummy: boolean): void;
  push(destination: string, payload: Uint8Array): void;
  /** what was pushed since the last drain, in push order */
  drain(): GkEgressEntry[];
}

/** A GK egress channel starting at sequence 0, in dummy mode (`Gatekeeper::new` sets it). */
export function createGkEgress(sign: SequenceSigner): GkEgress {
  let sequence = 0n;
  let dummy = true;
  let pending: GkEgressEntry[] = [];
  const utf8 = new TextEncoder();
  return {
    nextSequence: () => sequence,
    dummy: () => dummy,
    setDummy: (value) => {
      dummy = value;
    },
    push: (destination, payload) => {
      const message: Message = { sender: { tag: 'Gatekeeper', value: undefined }, destination: utf8.encode(destination), payload };
      const seq = sequence;
      sequence += 1n;
      if (dummy) return;
      pending.push({ message, sequence: seq, signature: sign(messageSigningBytes(message, seq), seq) });
    },
    drain: () => {
      const out = pending;
      pending = [];
      return out;
    },
  };
}
