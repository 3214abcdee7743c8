/**
 * Replay's gatekeeper check (issue 7, Phala's `standalone/replay`): the gatekeepers' economics
 * re-derived from the ledger's messages by a {@link GkFollower}, and every report the chain
 * recorded (relayed by an extrinsic: its topic is on-chain only) compared with the one derived for
 * the block it is for (`WorkingInfoUpdateEvent`'s `block_number`). A report lands in a later block
 * than the one it is about, so
 * derived reports wait in a map until theirs arrives. A derived report not recorded yet is not a
 * mismatch (it may be in flight at the ledger's end); one skipped — a later block's report is
 * recorded first, and the gatekeeper channel is in order — is, and so is a recorded report that
 * differs, does not decode, or has no derived counterpart; each named by the block it is for.
 */
import { type Message, MessageScale } from '../codec/mq.codec';
import { type WorkingInfoUpdateEvent, WorkingInfoUpdateEventScale } from '../codec/systemEvents.codec';
import { topics } from '../codec/topics';
import { workingInfoUpdateRecord } from '../economics/chainMessages';
import { createGkFollower, type GkFollower } from '../economics/gkFollower';
import type { Economics, WorkingInfoUpdate } from '../economics/messages';
import type { TokenomicParameters } from '../economics/tokenomicParameters';
import type { Runtime } from '../runtime/runtime';
import { type Block, eventRecordCodec } from './block';
import { decodeExtrinsic } from './extrinsic';
import { BALANCES } from './pallets/balances.pallet';
import { MQ, type MqCall } from './pallets/mq.pallet';

/** A gatekeeper report that does not match its re-derivation. */
export interface ReportMismatch {
  /** the block the report is for */
  readonly block: number;
  readonly detail: string;
}

/** The check, fed every replayed block in order. */
export interface ReportCheck {
  /** compares the reports `block` records, then derives `block`'s own; `paramsNow` reads the state after `block` */
  onBlock(block: Block, paramsNow: () => TokenomicParameters | undefined): ReportMismatch[];
  /** derived reports waiting for their record */
  pending(): number;
  /** recorded reports compared with a derived one so far (equal or not) */
  compared(): number;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const utf8 = new TextDecoder();
const short = (k: string) => `${k.slice(0, 10)}…`;

/** A report a block records, by the index of the extrinsic that relayed it, or why it cannot be read. */
export type RecordedReport = { readonly extrinsic: number } & ({ readonly report: WorkingInfoUpdateEvent } | { readonly error: string });

/** The signed message of a `PhalaMq.sync_offchain_message` extrinsic; undefined for anything else. */
function syncedMessage(bytes: Uint8Array, runtime: Runtime): Message | undefined {
  try {
    const call = runtime.callCodec.dec(decodeExtrinsic(bytes).call);
    if (call.tag !== MQ) return undefined;
    const mq = call.value as MqCall;
    return mq.tag === 'sync_offchain_message' ? mq.value.signedMessage.message : undefined;
  } catch {
    return undefined; // the executive refuses it; the roots and events checks judge the block
  }
}

/** Indices of the block's extrinsics that succeeded (their phase holds `ExtrinsicSuccess`). */
function succeeded(block: Block, runtime: Runtime): Set<number> {
  const codec = eventRecordCodec(runtime.eventCodec);
  const ok = new Set<number>();
  for (const bytes of block.events) {
    let r: ReturnType<typeof codec.dec>;
    try {
      r = codec.dec(bytes);
    } catch {
      return ok; // a damaged event list is the events checks' to blame
    }
    if (r.phase.tag === 'ApplyExtrinsic' && r.event.tag === BALANCES && r.event.value.tag === 'ExtrinsicSuccess') ok.add(Number(r.phase.value));
  }
  return ok;
}

/**
 * The gatekeeper reports `block` records. `^phala/mining/update` is an on-chain topic (never in
 * the outbound messages): a report is the message of a `sync_offchain_message` extrinsic from the
 * `Gatekeeper` origin that succeeded — a second gatekeeper's copy of the same sequence fails.
 */
export function recordedReports(block: Block, runtime: Runtime): RecordedReport[] {
  const candidates: { index: number; payload: Uint8Array }[] = [];
  block.extrinsics.forEach((bytes, index) => {
    const m = syncedMessage(bytes, runtime);
    if (m !== undefined && m.sender.tag === 'Gatekeeper' && utf8.decode(m.destination) === topics.workingInfoUpdate) candidates.push({ index, payload: m.payload });
  });
  if (candidates.length === 0) return [];
  const ok = succeeded(block, runtime);
  return candidates
    .filter((c) => ok.has(c.index))
    .map((c): RecordedReport => {
      try {
        return { extrinsic: c.index, report: WorkingInfoUpdateEventScale.decode(c.payload) };
      } catch (e) {
        return { extrinsic: c.index, error: e instanceof Error ? e.message : String(e) };
      }
    });
}

// an outbound message that does not decode is the `outboundRoot` check's to blame; the GK skips it
function decodedMessage(bytes: Uint8Array): Message[] {
  try {
    return [MessageScale.decode(bytes)];
  } catch {
    return [];
  }
}

const keys = (list: readonly Uint8Array[]) => list.map(hex).join(',');

/** The first field in which a recorded report differs from the derived one, in words; undefined if equal. */
export function reportDifference(derived: WorkingInfoUpdateEvent, recorded: WorkingInfoUpdateEvent): string | undefined {
  if (derived.timestampMs !== recorded.timestampMs) return `timestamp: derived ${derived.timestampMs} ms, recorded ${recorded.timestampMs} ms`;
  for (const list of ['offline', 'recoveredToOnline'] as const) {
    const d = keys(derived[list]);
    const r = keys(recorded[list]);
    if (d !== r) return `${list}: derived [${derived[list].map((k) => short(hex(k))).join(', ')}], recorded [${recorded[list].map((k) => short(hex(k))).join(', ')}]`;
  }
  const n = Math.max(derived.settle.length, recorded.settle.length);
  for (let i = 0; i < n; i++) {
    const d = derived.settle[i];
    const r = recorded.settle[i];
    if (d === undefined || r === undefined) return `settle: derived ${derived.settle.length} entries, recorded ${recorded.settle.length}`;
    const worker = hex(r.pubkey);
    if (worker !== hex(d.pubkey)) return `settle[${i}]: derived worker ${hex(d.pubkey)}, recorded ${worker}`;
    for (const field of ['v', 'payout', 'treasury'] as const) {
      if (d[field] !== r[field]) return `settle[${i}] worker ${worker} ${field}: derived ${d[field]} (U64F64 bits), recorded ${r[field]}`;
    }
  }
  return undefined;
}

/** A fresh check; `createEngine` is `createEconomics`. */
export function createReportCheck(runtime: Runtime, createEngine: (params: TokenomicParameters) => Economics): ReportCheck {
  const follower: GkFollower = createGkFollower(createEngine);
  const derived = new Map<number, WorkingInfoUpdate>();
  let compared = 0;
  /** Derived reports older than `blockNumber` that were never recorded: the channel is in order, so they never will be. */
  const skipped = (blockNumber: number): ReportMismatch[] => {
    const out: ReportMismatch[] = [];
    for (const [k, report] of derived) {
      if (k >= blockNumber) break;
      derived.delete(k);
      out.push({ block: k, detail: `a report for block ${k} is derived (${report.settle.length} settled, ${report.offline.length} offline, ${report.recoveredToOnline.length} recovered) but none was recorded before the one for block ${blockNumber}` });
    }
    return out;
  };
  const compare = (blockNumber: number, recorded: WorkingInfoUpdateEvent): string | undefined => {
    const mine = derived.get(blockNumber);
    if (mine === undefined) {
      const s = follower.status();
      const why = s.status === 'failed' ? `the economics engine failed at block ${s.atBlock} (${s.reason})` : `no report is derived for it (gatekeeper ${s.status})`;
      return `a report for block ${blockNumber} is recorded but ${why}`;
    }
    compared += 1;
    derived.delete(blockNumber);
    return reportDifference(workingInfoUpdateRecord(mine), recorded);
  };
  return {
    onBlock(block, paramsNow) {
      const messages = block.outbound.flatMap((bytes) => decodedMessage(bytes));
      const found: ReportMismatch[] = [];
      for (const r of recordedReports(block, runtime)) {
        if ('error' in r) {
          found.push({ block: block.header.number, detail: `a gatekeeper report recorded in block ${block.header.number} does not decode: ${r.error}` });
          continue;
        }
        for (const m of skipped(r.report.blockNumber)) found.push({ block: m.block, detail: `${m.detail} (recorded in block ${block.header.number})` });
        const diff = compare(r.report.blockNumber, r.report);
        if (diff !== undefined) found.push({ block: r.report.blockNumber, detail: `${diff} (recorded in block ${block.header.number})` });
      }
      const out = follower.processBlock({ number: block.header.number, timestampMs: Number(block.header.timestamp), messages }, paramsNow);
      if (out.report !== undefined) derived.set(block.header.number, out.report);
      return found;
    },
    pending: () => derived.size,
    compared: () => compared,
  };
}
