/**
 * The full gatekeeper view of the workers (what Phala's `standalone/replay` serves at
 * `/workers`): the economics engine re-derived from the ledger by the same {@link GkFollower} replay
 * uses, plus the bookkeeping gk.rs keeps beside it in `TokenomicInfo` — V at start, totals and
 * last blocks of payouts (from the derived reports) and of slashes (the V an unresponsive worker
 * lost, measured block by block from the block that reports it offline — the engine slashes in
 * that block already — until it recovers). The workers
 * projection holds one of these as its in-memory state (`memory.ts`).
 */
import { COMPUTATION } from '../domain/chain/pallets/computationState';
import { createEconomics, type PortableEconomics, resumeEconomics, share, type TokenomicParameters, zeroTokenomicInfo } from '../domain/economics';
import { createGkFollower, type FollowerStatus, type GkFollower } from '../domain/economics/gkFollower';
import type { DecodedBlock } from './decodedBlock';
import type { ProjectionMemory } from './memory';
import type { ProjectionWriter } from './store';

/** One worker as the gatekeepers see it; U64F64 values as raw bits. */
export interface GkWorkerView {
  readonly vBits: bigint;
  readonly vInitBits: bigint;
  readonly vDeductibleBits: bigint;
  readonly pBenchBits: bigint;
  readonly pInstantBits: bigint;
  readonly shareBits: bigint;
  readonly working: boolean;
  readonly unresponsive: boolean;
  readonly waitingHeartbeats: readonly number[];
  readonly payoutTotalBits: bigint;
  readonly payoutCount: number;
  readonly lastPayoutBlock: number | null;
  readonly slashTotalBits: bigint;
  readonly slashCount: number;
  readonly lastSlashBlock: number | null;
}

interface Books {
  vInit: bigint;
  payoutTotal: bigint;
  payoutCount: number;
  lastPayoutBlock: number | null;
  slashTotal: bigint;
  slashCount: number;
  lastSlashBlock: number | null;
}

const emptyBooks = (): Books => ({ vInit: 0n, payoutTotal: 0n, payoutCount: 0, lastPayoutBlock: null, slashTotal: 0n, slashCount: 0, lastSlashBlock: null });

/** The workers projection's memory: the engine and its books (one per worker the gatekeepers heard of). */
export interface GkViewMemory extends ProjectionMemory {
  readonly kind: 'gatekeeper-view';
  view(pubkey: string): GkWorkerView | undefined;
  /** the network's `sum_share`: the shares of working, responsive workers */
  totalShareBits(): bigint;
  status(): FollowerStatus;
}

/** Type guard for the workers projection's memory. */
export const isGkViewMemory = (m: ProjectionMemory | undefined): m is GkViewMemory => m !== undefined && 'kind' in m && m.kind === 'gatekeeper-view';

const bigText = (_k: string, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v);
const bigBack = (_k: string, v: unknown) => (typeof v === 'string' && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v);

/** What `exportState` stores: everything the memory knows, in JSON (bigints as `"123n"`). */
interface StoredView {
  readonly kind: 'gatekeeper-view';
  readonly version: 1;
  readonly at: { number: number; hash: string } | null;
  readonly params: TokenomicParameters | null;
  readonly status: FollowerStatus;
  readonly engine: unknown;
  readonly books: [string, Books][];
  readonly unresponsive: string[];
}

/**
 * An empty view, before block 0, or — `from` — the view a snapshot stored (`exportState`); `write`
 * puts the views of `pubkeys` into the rows (the flush).
 */
export function createGkViewMemory(write: (tx: ProjectionWriter, memory: GkViewMemory, pubkeys: readonly string[]) => Promise<void>, from?: unknown): GkViewMemory {
  const stored = from === undefined ? undefined : storedView(from);
  let follower: GkFollower =
    stored === undefined ? createGkFollower(createEconomics) : createGkFollower(createEconomics, { status: stored.status, engine: stored.engine === null ? undefined : resumeEconomics(stored.engine) });
  let params: TokenomicParameters | undefined = stored?.params ?? undefined;
  let at: { number: number; hash: string } | undefined = stored?.at ?? undefined;
  let books = new Map<string, Books>(stored?.books ?? []);
  let unresponsive = new Set<string>(stored?.unresponsive ?? []);
  // the rows lag behind from the first block folded after a flush (or a refold) until the next one
  let changed = false;
  const book = (pubkey: string) => {
    let b = books.get(pubkey);
    if (b === undefined) books.set(pubkey, (b = emptyBooks()));
    return b;
  };
  const vOf = (pubkey: string) => follower.economics()?.worker(pubkey)?.v ?? 0n;
  const memory: GkViewMemory = {
    kind: 'gatekeeper-view',
    at: () => at,
    fold(block: DecodedBlock) {
      if (block.number === 0) {
        follower = createGkFollower(createEconomics);
        params = undefined;
        books = new Map();
        unresponsive = new Set();
      }
      changed = true;
      for (const e of block.events) {
        if (e.pallet === COMPUTATION && e.name === 'TokenomicParametersSet') params = (e.event.value.value as { params: TokenomicParameters }).params;
      }
      // V before the block of the workers that can lose V in it: the unresponsive ones (slashed
      // every block) and those owing a heartbeat (reported offline and slashed in the same block)
      const owing = (follower.economics() as PortableEconomics | undefined)?.owingHeartbeats() ?? [];
      const before = new Map([...unresponsive, ...owing].map((k) => [k, vOf(k)]));
      const out = follower.processBlock({ number: block.number, timestampMs: block.timestampMs, messages: block.outbound }, () => params);
      for (const m of out.fed) {
        if (!('pubkey' in m)) continue;
        const b = book(m.pubkey);
        if (m.type === 'WorkerStarted') b.vInit = m.initV;
      }
      const report = out.report;
      for (const s of report?.settle ?? []) {
        if (s.payout === 0n) continue;
        const b = book(s.pubkey);
        b.payoutTotal += s.payout;
        b.payoutCount += 1;
        b.lastPayoutBlock = block.number;
      }
      const offlineNow = new Set(report?.offline ?? []);
      for (const [pubkey, v] of before) {
        if (!unresponsive.has(pubkey) && !offlineNow.has(pubkey)) continue; // owed and answered, or not late yet
        const lost = v - vOf(pubkey);
        if (lost <= 0n) continue;
        const b = book(pubkey);
        b.slashTotal += lost;
        b.slashCount += 1;
        b.lastSlashBlock = block.number;
      }
      for (const k of report?.offline ?? []) unresponsive.add(k);
      for (const k of report?.recoveredToOnline ?? []) unresponsive.delete(k);
      at = { number: block.number, hash: block.hash };
    },
    async flush(tx) {
      if (!changed) return;
      await write(tx, memory, [...books.keys()].sort());
      changed = false;
    },
    view(pubkey) {
      const w = follower.economics()?.worker(pubkey);
      if (w === undefined) return undefined;
      const b = books.get(pubkey) ?? emptyBooks();
      const shareBits = share({ ...zeroTokenomicInfo(), v: w.v, pInstant: w.pInstant, pBench: w.pBench, contractRunning: w.contractRunning, confidenceLevel: w.confidenceLevel });
      return {
        vBits: w.v,
        vInitBits: b.vInit,
        vDeductibleBits: w.vDeductible,
        pBenchBits: w.pBench,
        pInstantBits: w.pInstant,
        shareBits,
        working: w.working,
        unresponsive: w.unresponsive,
        waitingHeartbeats: w.waitingHeartbeats,
        payoutTotalBits: b.payoutTotal,
        payoutCount: b.payoutCount,
        lastPayoutBlock: b.lastPayoutBlock,
        slashTotalBits: b.slashTotal,
        slashCount: b.slashCount,
        lastSlashBlock: b.lastSlashBlock,
      };
    },
    totalShareBits() {
      let sum = 0n;
      for (const k of books.keys()) {
        const v = memory.view(k);
        if (v?.working && !v.unresponsive) sum += v.shareBits;
      }
      return sum;
    },
    status: () => follower.status(),
    exportState() {
      const engine = follower.economics() as PortableEconomics | undefined;
      const state: StoredView = { kind: 'gatekeeper-view', version: 1, at: at ?? null, params: params ?? null, status: follower.status(), engine: engine?.exportState() ?? null, books: [...books], unresponsive: [...unresponsive] };
      return JSON.parse(JSON.stringify(state, bigText));
    },
  };
  return memory;
}

/** A stored view, checked for its kind and version (the engine's state is decoded by the engine). */
function storedView(json: unknown): StoredView {
  const v = JSON.parse(JSON.stringify(json), bigBack) as Partial<StoredView>;
  if (v?.kind !== 'gatekeeper-view' || v.version !== 1 || !Array.isArray(v.books) || !Array.isArray(v.unresponsive) || typeof v.status?.status !== 'string') {
    throw new Error('workers projection: a snapshot holds a gatekeeper view this version cannot read: rebuild the projections (replay --rebuild-projections)');
  }
  return v as StoredView;
}
