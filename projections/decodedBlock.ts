/**
 * A ledger record decoded once for every projection: header fields as plain values and every
 * event with its phase, pallet, name and JSON-ready fields. A record that does not decode is a
 * `CorruptBlock` naming the block, never a half-applied projection.
 */
import type { Codec } from 'scale-ts';
import { BlockScale, blockHashHex, eventRecordCodec } from '../domain/chain/block';
import { type Message, MessageScale } from '../domain/codec/mq.codec';
import { decodeExact } from '../domain/codec/scale';
import type { RecordedEvent } from '../domain/ports/eventStore';
import type { RuntimeEvent } from '../domain/runtime/types';
import { type JsonObject, toJson } from './json';

/** The record type of a sealed block in the `chain` stream. */
export const BLOCK_SEALED = 'BlockSealed';

/** Where in the block an event was emitted, as a short string: `init`, `finalize` or `extrinsic:3`. */
export type PhaseText = 'initialization' | 'finalization' | `extrinsic:${number}`;

/** One event of a decoded block. */
export interface DecodedEvent {
  /** index of the event inside its block */
  readonly index: number;
  readonly phase: PhaseText;
  readonly pallet: string;
  readonly name: string;
  /** the event's fields with bigints as decimal strings and bytes as `0x` hex */
  readonly fields: JsonObject;
  /** the decoded event, for projections that need the typed values */
  readonly event: RuntimeEvent;
}

/** A block as projections see it. */
export interface DecodedBlock {
  readonly number: number;
  readonly hash: string;
  readonly parentHash: string;
  readonly timestampMs: number;
  readonly author: string;
  readonly extrinsicCount: number;
  readonly outboundCount: number;
  readonly events: readonly DecodedEvent[];
  /** the block's outbound mq messages, in order (what the pRuntimes — and the gatekeepers — see) */
  readonly outbound: readonly Message[];
}

/** A ledger record that cannot be a block: the message names the block and what is wrong. */
export class CorruptBlock extends Error {
  constructor(
    readonly blockNumber: number,
    readonly reason: string,
  ) {
    super(`CorruptBlock: block ${blockNumber} of stream chain cannot be decoded (${reason}); the ledger is damaged, restore it or replay into a new store`);
    this.name = 'CorruptBlock';
  }
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

function phaseText(phase: RuntimeEvent['value'] | { tag: string; value: unknown }): PhaseText {
  if (phase.tag === 'ApplyExtrinsic') return `extrinsic:${Number(phase.value)}`;
  return phase.tag === 'Initialization' ? 'initialization' : 'finalization';
}

/** Decodes a `BlockSealed` record with the runtime's event codec. */
export function decodeBlockRecord(record: RecordedEvent, eventCodec: Codec<RuntimeEvent>): DecodedBlock {
  const where = record.version;
  if (record.type !== BLOCK_SEALED) throw new CorruptBlock(where, `record type ${record.type}, expected ${BLOCK_SEALED}`);
  const recordCodec = eventRecordCodec(eventCodec);
  try {
    const block = BlockScale.decode(record.data);
    if (block.header.number !== record.version) throw new Error(`header says block ${block.header.number}`);
    const events = block.events.map((bytes, index): DecodedEvent => {
      const r = decodeExact(recordCodec, bytes, `event ${index}`);
      return { index, phase: phaseText(r.phase), pallet: r.event.tag, name: r.event.value.tag, fields: toJson(r.event.value.value), event: r.event };
    });
    return {
      number: block.header.number,
      hash: blockHashHex(block.header),
      parentHash: hex(block.header.parentHash),
      timestampMs: Number(block.header.timestamp),
      author: hex(block.header.author),
      extrinsicCount: block.extrinsics.length,
      outboundCount: block.outbound.length,
      events,
      outbound: block.outbound.map((bytes, i) => decodeExact(MessageScale.codec, bytes, `outbound message ${i}`)),
    };
  } catch (error) {
    throw new CorruptBlock(where, error instanceof Error ? error.message : String(error));
  }
}
