/**
 * The message queue envelope, byte-exact with `phala-mq` (`crates/phala-mq/src/types.rs`):
 * `MessageOrigin`, `Topic`, `Message`, `SignedMessage`, the bytes a sender signs, and the
 * `wrap_content_to_sign` prefix for every other kind of signed content.
 */
import { blake2b256 } from './hash';
import { toHexPlain } from './hex';
import { bytes, type CodecType, concatBytes, fixedBytes, scale, struct, u64, unit, variant } from './scale';

const h256 = fixedBytes(32);

/** `MessageOrigin`: declaration order 0..6, and `Reserved` forced to index 255 (`#[codec(index = 255)]`). */
export const messageOriginCodec = variant(
  'MessageOrigin',
  {
    Pallet: bytes(),
    Contract: h256,
    Worker: h256,
    AccountId: h256,
    MultiLocation: bytes(),
    Gatekeeper: unit,
    Cluster: h256,
    Reserved: unit,
  },
  { Reserved: 255 },
);
/** Who sent an mq message. Off-chain origins sign their messages. */
export type MessageOrigin = CodecType<typeof messageOriginCodec>;
/** Strict codec of `MessageOrigin`. */
export const MessageOriginScale = scale('MessageOrigin', messageOriginCodec);

/** True for origins located off-chain (they must sign): Contract, Worker, Gatekeeper, Cluster. */
export function isOffchainOrigin(o: MessageOrigin): boolean {
  switch (o.tag) {
    case 'Contract':
    case 'Worker':
    case 'Gatekeeper':
    case 'Cluster':
      return true;
    case 'Pallet':
    case 'AccountId':
    case 'MultiLocation':
    case 'Reserved':
      return false;
    default: {
      const never: never = o;
      throw new Error(`unknown origin ${String(never)}`);
    }
  }
}

/** Canonical identity of an origin (its SCALE bytes as hex): Phala compares origins by encoding. */
export function originKey(o: MessageOrigin): string {
  return toHexPlain(messageOriginCodec.enc(o));
}

/** `Message { sender, destination: Topic(Vec<u8>), payload: Vec<u8> }`. */
export const messageCodec = struct({
  sender: messageOriginCodec,
  destination: bytes(),
  payload: bytes(),
});
/** An mq message. `destination` is the topic path bytes. */
export type Message = CodecType<typeof messageCodec>;
/** Strict codec of `Message`. */
export const MessageScale = scale('Message', messageCodec);

/** `SignedMessage { message, sequence: u64, signature: Vec<u8> }`. */
export const signedMessageCodec = struct({
  message: messageCodec,
  sequence: u64,
  signature: bytes(),
});
/** A message with its per-sender sequence and the sender's signature. */
export type SignedMessage = CodecType<typeof signedMessageCodec>;
/** Strict codec of `SignedMessage`. */
export const SignedMessageScale = scale('SignedMessage', signedMessageCodec);

const toBeSignedCodec = struct({ message: messageCodec, sequence: u64 });

/** The bytes an mq sender signs: SCALE(`{message, sequence}`), NOT wrapped (`data_be_signed`). */
export function messageSigningBytes(message: Message, sequence: bigint): Uint8Array {
  return toBeSignedCodec.enc({ message, sequence });
}

/** `SignedContentType` (`crates/phala-types/src/lib.rs`). */
export const SignedContentType = {
  MqMessage: 0,
  RpcResponse: 1,
  EndpointInfo: 2,
  MasterKeyRotation: 3,
  MasterKeyStore: 4,
  ClusterStateRequest: 5,
  EventChainBlock: 6,
} as const;
/** One of the `SignedContentType` numbers. */
export type SignedContentType = (typeof SignedContentType)[keyof typeof SignedContentType];

/**
 * `wrap_content_to_sign`: mq messages are signed as-is (backward compatibility); everything else
 * is `0xff ‖ type ‖ data`, 0xff being `MessageOrigin::Reserved`, so no wrapped content can ever
 * be replayed as an mq message.
 */
export function wrapContentToSign(data: Uint8Array, type: SignedContentType): Uint8Array {
  if (type === SignedContentType.MqMessage) return data.slice();
  return concatBytes(Uint8Array.of(0xff, type), data);
}

/** A stable id of a signed message (blake2-256 of its SCALE bytes), for dedupe by consumers. */
export function signedMessageId(m: SignedMessage): Uint8Array {
  return blake2b256(signedMessageCodec.enc(m));
}
