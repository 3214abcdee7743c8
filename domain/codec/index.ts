/** Canonical SCALE encodings of the chain: mq envelope and payloads, header, list roots. */
export * from './blockHeader.codec';
export * from './contractEvents.codec';
export * from './gatekeeperEvents.codec';
export * from './hash';
export * from './hex';
export * from './listRoot';
export * from './mq.codec';
export * from './registration.codec';
export { bytesEqual, concatBytes, DecodeError, decodeExact, type Scale, scale } from './scale';
/** The strict SCALE primitives (u8…u256, bytes, vec, option, variant, …) for other modules' codecs. */
export * as scaleCodec from './scale';
export * from './systemEvents.codec';
export * from './topics';
export * from './scaleHex.io';
