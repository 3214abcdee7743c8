/**
 * The phalanet block header (ARCHITECTURE.md §3) and its hash. Not a Substrate header: the
 * `outboundRoot` commits to the block's outbound mq messages so an enclave can authenticate
 * them from a verified header chain (our stand-in for storage proofs).
 */
import { blake2b256 } from './hash';
import { type CodecType, fixedBytes, scale, struct, u32, u64 } from './scale';

const h256 = fixedBytes(32);

/** `{ number u32, parentHash, timestamp u64 ms, extrinsicsRoot, eventsRoot, outboundRoot, stateRoot, author }`. */
export const blockHeaderCodec = struct({
  number: u32,
  parentHash: h256,
  timestamp: u64,
  extrinsicsRoot: h256,
  eventsRoot: h256,
  outboundRoot: h256,
  stateRoot: h256,
  author: h256,
});
/** A block header; `timestamp` is unix milliseconds. */
export type BlockHeader = CodecType<typeof blockHeaderCodec>;
/** Strict codec of `BlockHeader`. */
export const BlockHeaderScale = scale('BlockHeader', blockHeaderCodec);

/** `blake2_256(SCALE(header))`. */
export function blockHash(header: BlockHeader): Uint8Array {
  return blake2b256(blockHeaderCodec.enc(header));
}
