/**
 * What the payout checkers need from a block beyond its decoded events: each event's phase (which
 * extrinsic emitted it) and the gatekeeper reports (`^phala/mining/update`) the block applied,
 * decoded from the extrinsics that carried them. Decoded once per block object and shared by the
 * checkers (a WeakMap, so nothing outlives the block).
 */
import { type Block, eventRecordCodec } from '../../domain/chain/block';
import { decodeExtrinsic } from '../../domain/chain/extrinsic';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import type { SignedMessage } from '../../domain/codec/mq.codec';
import { type WorkingInfoUpdateEvent, WorkingInfoUpdateEventScale } from '../../domain/codec/systemEvents.codec';
import { topics } from '../../domain/codec/topics';
import type { Runtime } from '../../domain/runtime/runtime';
import type { EventRecord } from '../../domain/runtime/types';

/** A gatekeeper report the block applied. */
export interface AppliedReport {
  /** index of the extrinsic that carried it */
  readonly extrinsic: number;
  /** its mq sequence (the gatekeepers share one sender, `MessageOrigin::Gatekeeper`) */
  readonly sequence: bigint;
  readonly report: WorkingInfoUpdateEvent;
}

/** A block's events with phases, and its applied gatekeeper reports in block order. */
export interface BlockView {
  readonly records: readonly EventRecord[];
  readonly reports: readonly AppliedReport[];
}

let defaultRuntime: Runtime | undefined;
const views = new WeakMap<Block, BlockView>();
const recordCodecs = new WeakMap<Runtime, ReturnType<typeof eventRecordCodec>>();
const REPORT_TOPIC = Buffer.from(topics.workingInfoUpdate, 'latin1');

/** Extrinsic indices that succeeded (their `Balances.ExtrinsicSuccess` is in the records). */
function succeeded(records: readonly EventRecord[]): Set<number> {
  const ok = new Set<number>();
  for (const r of records) {
    if (r.phase.tag === 'ApplyExtrinsic' && r.event.tag === 'Balances' && r.event.value.tag === 'ExtrinsicSuccess') ok.add(r.phase.value);
  }
  return ok;
}

/** The report a successful extrinsic carried, if it is a gatekeeper `sync_offchain_message` on the report topic. */
function reportOf(runtime: Runtime, bytes: Uint8Array): { sequence: bigint; report: WorkingInfoUpdateEvent } | undefined {
  const call = runtime.callCodec.dec(decodeExtrinsic(bytes).call);
  if (call.tag !== 'PhalaMq' || call.value.tag !== 'sync_offchain_message') return undefined;
  const signed = (call.value.value as { signedMessage: SignedMessage }).signedMessage;
  if (signed.message.sender.tag !== 'Gatekeeper' || !REPORT_TOPIC.equals(signed.message.destination)) return undefined;
  try {
    return { sequence: signed.sequence, report: WorkingInfoUpdateEventScale.decode(signed.message.payload) };
  } catch {
    // the pallet's handler refuses an undecodable report too: nothing was paid
    return undefined;
  }
}

/** The view of `block` (decoded once; `runtime` defaults to the Phala runtime's codecs). */
export function blockView(block: Block, runtime?: Runtime): BlockView {
  const cached = views.get(block);
  if (cached !== undefined) return cached;
  const rt = runtime ?? (defaultRuntime ??= createPhalaRuntime());
  let codec = recordCodecs.get(rt);
  if (codec === undefined) recordCodecs.set(rt, (codec = eventRecordCodec(rt.eventCodec)));
  const records = block.events.map((bytes) => codec.dec(bytes));
  const ok = succeeded(records);
  const reports: AppliedReport[] = [];
  block.extrinsics.forEach((bytes, i) => {
    if (!ok.has(i)) return;
    const r = reportOf(rt, bytes);
    if (r !== undefined) reports.push({ extrinsic: i, ...r });
  });
  const view = { records, reports };
  views.set(block, view);
  return view;
}
