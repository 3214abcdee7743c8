/**
 * The ledger's unit: a sealed block = header + extrinsics + the events the runtime emitted (each
 * with its phase) + the block's outbound mq messages (ARCHITECTURE.md §3). Extrinsics, events and
 * messages are kept as their SCALE bytes, so the roots in the header are recomputable from the
 * record alone. Block 0 carries the chain spec instead of extrinsics.
 */
import { _void, Enum, Struct, u32, type Codec, type CodecType } from 'scale-ts';
import { type BlockHeader, blockHash, blockHeaderCodec } from '../codec/blockHeader.codec';
import { listRoot } from '../codec/listRoot';
import { bytes, option, scale, vec } from '../codec/scale';
import type { EventRecord, RuntimeEvent } from '../runtime/types';

export const blockCodec = Struct({
  header: blockHeaderCodec,
  /** block 0 only: the SCALE-encoded chain spec (committed to by `extrinsicsRoot`) */
  genesis: option(bytes()),
  extrinsics: vec(bytes()),
  events: vec(bytes()),
  outbound: vec(bytes()),
});
/** A sealed block as stored in the ledger. */
export type Block = CodecType<typeof blockCodec>;
/** Strict codec of `Block`. */
export const BlockScale = scale('Block', blockCodec);

export const phaseCodec = Enum({ Initialization: _void, ApplyExtrinsic: u32, Finalization: _void });

/** SCALE codec of `EventRecord` for a runtime's event codec. */
export function eventRecordCodec(eventCodec: Codec<RuntimeEvent>): Codec<EventRecord> {
  return Struct({ phase: phaseCodec, event: eventCodec }) as unknown as Codec<EventRecord>;
}

/** The roots a header commits to, recomputed from a block's contents. */
export function contentRoots(b: Pick<Block, 'genesis' | 'extrinsics' | 'events' | 'outbound'>) {
  return {
    extrinsicsRoot: listRoot(b.genesis === undefined ? b.extrinsics : [b.genesis]),
    eventsRoot: listRoot(b.events),
    outboundRoot: listRoot(b.outbound),
  };
}

/** `0x` hex of the block's hash. */
export const blockHashHex = (header: BlockHeader): string => `0x${Buffer.from(blockHash(header)).toString('hex')}`;
