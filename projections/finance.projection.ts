/**
 * The worker finance event log, what operators chart: per worker, in chain order, computing
 * started, each heartbeat with the payout the gatekeeper settled for it, entering and leaving
 * the unresponsive state, stopped, and reclaimed (with the slash). Each entry carries its block,
 * the block's time, V (U64F64 bits, as of that entry) and P instant.
 *
 * A heartbeat reaches the chain (`SessionBenchmarkRecorded`) before the gatekeeper's settlement
 * for it (`SessionSettled`, a later block): the settlement fills in the payout of the worker's
 * oldest unsettled heartbeat, or, with none waiting, becomes a `settled` entry of its own.
 */
import * as t from 'io-ts';
import { COMPUTATION } from '../domain/chain/pallets/computationState';
import { fixedToBalance } from '../domain/fixed/balance';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import { big, num, str } from './eventFields';
import type { Projection } from './projection';
import { nullable, readRow, scanMatching } from './rows';
import { type ProjectionReader, type ProjectionWriter, padBlock } from './store';

const FINANCE = 'finance';
const STATE = 'finance_sessions';


/** Kinds of finance entries. */
export const FinanceKind = t.keyof({ started: null, heartbeat: null, settled: null, enterUnresponsive: null, exitUnresponsive: null, stopped: null, reclaimed: null });
/** A kind of finance entry. */
export type FinanceKind = t.TypeOf<typeof FinanceKind>;

/**
 * One entry. `id` (`<block>:<event index>`, zero-padded) orders a worker's log and is the page
 * cursor. `payout` (units) is set on a settled heartbeat or a `settled` entry, `slashed` on
 * `reclaimed`; `settledAtBlock` says where a heartbeat's payout landed.
 */
export const FinanceRow = t.type({
  worker: t.string,
  session: t.string,
  id: t.string,
  block: t.number,
  timestampMs: t.number,
  kind: FinanceKind,
  vBits: t.string,
  pInstant: t.number,
  payout: nullable(t.string),
  settledAtBlock: nullable(t.number),
  slashed: nullable(t.string),
});
/** One finance entry. */
export type FinanceRow = t.TypeOf<typeof FinanceRow>;

/** Per session: its worker, the latest V and P, and the keys of heartbeats awaiting their payout. */
const SessionState = t.type({ worker: t.string, vBits: t.string, pInstant: t.number, unsettled: t.array(t.string) });
type SessionState = t.TypeOf<typeof SessionState>;

const entryKey = (worker: string, block: number, index: number) => `${worker}/${padBlock(block)}:${padBlock(index)}`;

async function append(tx: ProjectionWriter, s: SessionState, session: string, block: DecodedBlock, e: DecodedEvent, kind: FinanceKind, extra: Partial<FinanceRow> = {}): Promise<string> {
  const key = entryKey(s.worker, block.number, e.index);
  const row: FinanceRow = {
    worker: s.worker,
    session,
    id: key.slice(s.worker.length + 1),
    block: block.number,
    timestampMs: block.timestampMs,
    kind,
    vBits: s.vBits,
    pInstant: s.pInstant,
    payout: null,
    settledAtBlock: null,
    slashed: null,
    ...extra,
  };
  await tx.put(FINANCE, key, row);
  return key;
}

async function settle(tx: ProjectionWriter, s: SessionState, session: string, block: DecodedBlock, e: DecodedEvent): Promise<SessionState> {
  const payout = fixedToBalance(big(e, 'payoutBits')).toString();
  const next = { ...s, vBits: str(e, 'vBits') };
  const [oldest, ...rest] = s.unsettled;
  const waiting = oldest === undefined ? undefined : await readRow(tx, FinanceRow, FINANCE, oldest);
  if (oldest === undefined || waiting === undefined) {
    await append(tx, next, session, block, e, 'settled', { payout, settledAtBlock: block.number });
    return next;
  }
  await tx.put(FINANCE, oldest, { ...waiting, vBits: next.vBits, payout, settledAtBlock: block.number });
  return { ...next, unsettled: rest };
}

async function applyEvent(tx: ProjectionWriter, block: DecodedBlock, e: DecodedEvent): Promise<void> {
  if (e.name === 'SessionBound') {
    await tx.put(STATE, str(e, 'session'), { worker: str(e, 'worker'), vBits: '0', pInstant: 0, unsettled: [] });
    return;
  }
  if (typeof e.fields.session !== 'string') return;
  const session = str(e, 'session');
  const s = await readRow(tx, SessionState, STATE, session);
  if (s === undefined) return;
  let next: SessionState = s;
  switch (e.name) {
    case 'WorkerStarted':
      next = { ...s, vBits: str(e, 'initV'), pInstant: num(e, 'initP'), unsettled: [] };
      await append(tx, next, session, block, e, 'started');
      break;
    case 'SessionBenchmarkRecorded':
      next = { ...s, pInstant: num(e, 'pInstant') };
      next = { ...next, unsettled: [...s.unsettled, await append(tx, next, session, block, e, 'heartbeat')] };
      break;
    case 'SessionSettled':
      next = await settle(tx, s, session, block, e);
      break;
    case 'SessionVUpdatedUnsettled':
      next = { ...s, vBits: str(e, 'vBits') };
      break;
    case 'WorkerEnterUnresponsive':
      await append(tx, s, session, block, e, 'enterUnresponsive');
      break;
    case 'WorkerExitUnresponsive':
      await append(tx, s, session, block, e, 'exitUnresponsive');
      break;
    case 'WorkerStopped':
      await append(tx, s, session, block, e, 'stopped');
      break;
    case 'WorkerReclaimed':
      await append(tx, s, session, block, e, 'reclaimed', { slashed: str(e, 'slashed') });
      break;
    default:
      return;
  }
  await tx.put(STATE, session, next);
}

/** The `finance` projection. */
export const financeProjection: Projection = {
  name: 'finance',
  version: 1,
  tables: [FINANCE, STATE],
  async apply(block, tx) {
    for (const e of block.events) if (e.pallet === COMPUTATION) await applyEvent(tx, block, e);
  },
};

/** A query over one worker's finance log. */
export interface FinanceQuery {
  readonly fromBlock?: number;
  readonly toBlock?: number;
  readonly kind?: FinanceKind;
  /** the `id` of the last entry of the previous page */
  readonly after?: string;
  /** default 100 */
  readonly limit?: number;
}

/** A worker's finance entries in chain order, a page at a time. */
export async function queryFinance(reader: ProjectionReader, worker: string, q: FinanceQuery = {}): Promise<FinanceRow[]> {
  const prefix = `${worker.toLowerCase()}/`;
  const from = q.fromBlock === undefined || q.fromBlock <= 0 ? undefined : `${prefix}${padBlock(q.fromBlock - 1)}:~`;
  const cursor = q.after === undefined ? undefined : prefix + q.after;
  const after = [from, cursor].filter((x): x is string => x !== undefined).sort().pop();
  const before = q.toBlock === undefined ? undefined : `${prefix}${padBlock(q.toBlock)}:~`;
  const keep = (r: FinanceRow) => q.kind === undefined || r.kind === q.kind;
  return (await scanMatching(reader, { table: FINANCE, codec: FinanceRow, prefix, after, before, limit: q.limit, keep })).map((x) => x.row);
}
