/**
 * Replay (issue 7): rebuilds the chain from the ledger alone — block 0's chain spec, then every
 * block's recorded extrinsics — and checks each block, in this order: it decodes; its own content
 * roots match its header; its parent link (its `parentHash` = hash of the previous recorded
 * header); re-executed, its state root, events and outbound messages match the record.
 *
 * Blame: a mismatch names the block whose bytes differ. A parent link that fails at block k is
 * ambiguous — k's `parentHash` changed, or k−1's header changed (then k−1's roots still match its
 * contents) — so it is decided one block later: if k+1 links to k, k's header is intact and the
 * culprit is k−1 (`blockHash`); otherwise k's header changed (`parentHash`). At the ledger's head
 * there is no k+1: k is blamed.
 *
 * Without `stopAtFirst` replay counts one mismatch per block (its first failing check) and goes on
 * executing the recorded extrinsics on the re-executed state — dropping the ones that are no
 * longer valid there — so a divergence may be counted again in later blocks (a dropped transfer
 * leaves its signer's later nonces in the future, for instance). A block that cannot be decoded,
 * or re-executed at all (a bad chain spec, a timestamp not after its parent's), or a gap in the
 * ledger, ends replay: nothing after it can be checked.
 */
import type { BlockHeader } from '../codec/blockHeader.codec';
import { blockHash } from '../codec/blockHeader.codec';
import type { RecordedEvent } from '../ports/eventStore';
import type { Runtime } from '../runtime/runtime';
import { type Block, blockHashHex, contentRoots } from './block';
import { ChainSpecScale } from './chainSpec';
import { createEconomics, type Economics, type TokenomicParameters } from '../economics';
import { type Chain, executeBlock, genesis, produceBlock } from './executive';
import { decodeBlockRecord, LedgerDecodeError } from './ledger';
import { TokenomicParametersStore } from './pallets/computationState';
import { createReportCheck } from './replayReports';

/** What a mismatch is about. */
export type MismatchKind = 'decode' | 'blockHash' | 'parentHash' | 'extrinsicsRoot' | 'eventsRoot' | 'outboundRoot' | 'stateRoot' | 'events' | 'gatekeeperReport';
/** A block that does not match its record. */
export interface Mismatch {
  readonly block: number;
  readonly what: MismatchKind;
  readonly detail: string;
}
/** Replay settings. */
export interface ReplayOptions {
  readonly runtime: Runtime;
  /** stop after this block */
  readonly toBlock?: number;
  /** stop at the first mismatch */
  readonly stopAtFirst: boolean;
  /** called after each block is replayed (progress) */
  readonly onBlock?: (number: number) => void;
  /** the gatekeeper economics engine to re-derive reports with; default `createEconomics` */
  readonly economics?: (params: TokenomicParameters) => Economics;
}
/** The outcome of a replay. */
export interface ReplayResult {
  readonly head?: { readonly number: number; readonly hash: string; readonly stateRoot: string };
  readonly blocks: number;
  readonly mismatches: number;
  readonly firstMismatch?: Mismatch;
  readonly verified: boolean;
  /** gatekeeper reports the ledger recorded that were compared with their re-derivation */
  readonly reportsCompared: number;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
const sameList = (a: readonly Uint8Array[], b: readonly Uint8Array[]) => a.length === b.length && a.every((x, i) => same(x, b[i]!));

/** The block's own consistency: its header's roots against its contents. */
export function ownRootsMismatch(block: Block): Mismatch | undefined {
  const roots = contentRoots(block);
  for (const what of ['extrinsicsRoot', 'eventsRoot', 'outboundRoot'] as const) {
    if (!same(roots[what], block.header[what])) return { block: block.header.number, what, detail: `header ${what} ${hex(block.header[what])}, contents give ${hex(roots[what])}` };
  }
  return undefined;
}

/** Compares a re-executed block with the recorded one. */
function executionMismatch(recorded: Block, mine: Block): Mismatch | undefined {
  const block = recorded.header.number;
  if (!same(mine.header.stateRoot, recorded.header.stateRoot)) return { block, what: 'stateRoot', detail: `re-executed ${hex(mine.header.stateRoot)}, recorded ${hex(recorded.header.stateRoot)}` };
  if (!sameList(mine.events, recorded.events)) return { block, what: 'events', detail: `re-executed ${mine.events.length} event(s) differ from the ${recorded.events.length} recorded` };
  if (!sameList(mine.outbound, recorded.outbound)) return { block, what: 'outboundRoot', detail: `re-executed ${mine.outbound.length} outbound message(s) differ from the ${recorded.outbound.length} recorded` };
  return undefined;
}

const UNLIMITED = { maxExtrinsics: Number.MAX_SAFE_INTEGER, maxBytes: Number.MAX_SAFE_INTEGER };

/**
 * Re-executes a recorded block on `chain` (genesis for block 0); a throw means it cannot be
 * executed. `lenient` applies what it can of the recorded extrinsics and drops the invalid ones
 * (the block then differs in its events and state, and is counted), so that replay can go on.
 */
function reExecute(runtime: Runtime, chain: Chain | undefined, block: Block, lenient: boolean): { chain: Chain; mine: Block } {
  if (block.genesis !== undefined) {
    const g = genesis(runtime, ChainSpecScale.decode(block.genesis));
    return { chain: g.chain, mine: g.block };
  }
  if (chain === undefined) throw new Error('no genesis before this block');
  const input = { timestampMs: Number(block.header.timestamp), author: block.header.author };
  const mine = lenient ? produceBlock(chain, { ...input, pool: block.extrinsics, limits: UNLIMITED }).block : executeBlock(chain, { ...input, extrinsics: block.extrinsics });
  // continue from the recorded header so that one bad block does not break every later parent link
  chain.head = block.header;
  return { chain, mine };
}

class Stop extends Error {}

/** Replays `records` (the `chain` stream in version order). */
export async function replayLedger(records: AsyncIterable<RecordedEvent>, options: ReplayOptions): Promise<ReplayResult> {
  let chain: Chain | undefined;
  let prev: BlockHeader | undefined;
  let head: ReplayResult['head'];
  let blocks = 0;
  let brokenLink: { block: number; detail: string } | undefined;
  const blamed = new Set<number>();
  const reports = createReportCheck(options.runtime, options.economics ?? createEconomics);
  const found: Mismatch[] = [];
  const report = (m: Mismatch) => {
    if (blamed.has(m.block)) return;
    blamed.add(m.block);
    found.push(m);
    if (options.stopAtFirst) throw new Stop();
  };
  const result = (): ReplayResult => {
    const firstMismatch = [...found].sort((a, b) => a.block - b.block)[0];
    return { ...(head === undefined ? {} : { head }), blocks, mismatches: found.length, ...(firstMismatch === undefined ? {} : { firstMismatch }), verified: found.length === 0, reportsCompared: reports.compared() };
  };
  try {
    for await (const record of records) {
      const expected = prev === undefined ? 0 : prev.number + 1;
      if (record.version !== expected) report({ block: expected, what: 'decode', detail: `block ${expected} is missing from the ledger (next record is version ${record.version})` });
      if (record.version !== expected) break;
      let block: Block;
      try {
        block = decodeBlockRecord(record);
      } catch (e) {
        if (!(e instanceof LedgerDecodeError)) throw e;
        report({ block: e.block, what: 'decode', detail: e.detail });
        break;
      }
      const n = block.header.number;
      const linked = prev === undefined || same(block.header.parentHash, blockHash(prev));
      if (brokenLink !== undefined) {
        if (linked) report({ block: brokenLink.block - 1, what: 'blockHash', detail: `its header hash is not the parent hash block ${brokenLink.block} records (${brokenLink.detail})` });
        else report({ block: brokenLink.block, what: 'parentHash', detail: brokenLink.detail });
        brokenLink = undefined;
      }
      const own = ownRootsMismatch(block);
      if (own !== undefined) report(own);
      if (!linked) brokenLink = { block: n, detail: `parentHash ${hex(block.header.parentHash)}, block ${n - 1} hashes to ${hex(blockHash(prev!))}` };
      let run: { chain: Chain; mine: Block };
      try {
        run = reExecute(options.runtime, chain, block, !options.stopAtFirst);
      } catch (e) {
        report({ block: n, what: 'stateRoot', detail: `cannot be re-executed: ${e instanceof Error ? e.message : String(e)}` });
        break;
      }
      chain = run.chain;
      const diff = executionMismatch(block, run.mine);
      if (diff !== undefined) report(diff);
      const storage = run.chain.storage;
      for (const m of reports.onBlock(block, () => TokenomicParametersStore.get(storage))) report({ block: m.block, what: 'gatekeeperReport', detail: m.detail });
      prev = block.header;
      head = { number: n, hash: blockHashHex(block.header), stateRoot: hex(block.header.stateRoot) };
      blocks++;
      options.onBlock?.(n);
      if (options.toBlock !== undefined && n >= options.toBlock) break;
    }
    if (brokenLink !== undefined) report({ block: brokenLink.block, what: 'parentHash', detail: brokenLink.detail });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return result();
}
