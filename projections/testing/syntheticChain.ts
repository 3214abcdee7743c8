/**
 * Synthetic chains for projection specs: blocks sealed around hand-written events, encoded with
 * the assembled Phala runtime's event codec and decoded the way the runner decodes them. The
 * blocks carry no extrinsics, so they test a projection's fold, not the runtime.
 */
import { type Block, blockCodec, eventRecordCodec } from '../../domain/chain/block';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { type BlockHeader, blockHash } from '../../domain/codec/blockHeader.codec';
import type { RecordedEvent } from '../../domain/ports/eventStore';
import type { EventRecord, Tagged } from '../../domain/runtime/types';
import { type DecodedBlock, decodeBlockRecord } from '../decodedBlock';

const runtime = createPhalaRuntime();
const records = eventRecordCodec(runtime.eventCodec);
const ZERO: Uint8Array = new Uint8Array(32);

/** The Phala runtime's event codec (what the runner decodes with). */
export const phalaEventCodec = runtime.eventCodec;

/** An event emitted at block finalization. */
export const ev = (pallet: string, tag: string, value: object = {}): EventRecord => ({
  phase: { tag: 'Finalization', value: undefined },
  event: { tag: pallet, value: { tag, value } as Tagged },
});

/** Block `number`'s timestamp in a synthetic chain: 12 s blocks from 1,700,000,000 s. */
export const syntheticTimeMs = (number: number): number => 1_700_000_000_000 + number * 12_000;

/** Seals blocks 0..n around the given events (one list per block): the `BlockSealed` payloads. */
export function sealedChain(eventsPerBlock: readonly (readonly EventRecord[])[]): Uint8Array[] {
  let parent: Uint8Array = ZERO;
  return eventsPerBlock.map((events, number) => {
    const header: BlockHeader = { number, parentHash: parent, timestamp: BigInt(syntheticTimeMs(number)), extrinsicsRoot: ZERO, eventsRoot: ZERO, outboundRoot: ZERO, stateRoot: ZERO, author: ZERO };
    parent = blockHash(header);
    const block: Block = { header, genesis: undefined, extrinsics: [], events: events.map((e) => records.enc(e)), outbound: [] };
    return blockCodec.enc(block);
  });
}

/** Seals blocks 0..n with the given events (one list per block) and decodes them. */
export function syntheticChain(eventsPerBlock: readonly (readonly EventRecord[])[]): DecodedBlock[] {
  return sealedChain(eventsPerBlock).map((data, number) => {
    const record: RecordedEvent = { streamId: 'chain', version: number, globalPosition: BigInt(number + 1), type: 'BlockSealed', schemaVersion: 1, data };
    return decodeBlockRecord(record, runtime.eventCodec);
  });
}
