/**
 * The workers projection's row shapes (the JSON `query workers` and `GET /api/workers` answer):
 * the worker row with its chain side and its gatekeeper view, and the network row.
 */
import * as t from 'io-ts';
import { nullable } from './rows';


/** Where a worker stands: registered without a session, or its computing session's state. */
export const WorkerState = t.keyof({ Registered: null, Ready: null, WorkerIdle: null, WorkerUnresponsive: null, WorkerCoolingDown: null });
/** A worker's state. */
export type WorkerState = t.TypeOf<typeof WorkerState>;

/** The gatekeepers' view of a worker (U64F64 raw bits as decimal strings; payouts and slashes in PHA bits too). */
export const GatekeeperViewRow = t.type({
  atBlock: t.number,
  vBits: t.string,
  vInitBits: t.string,
  vDeductibleBits: t.string,
  pBenchBits: t.string,
  pInstantBits: t.string,
  shareBits: t.string,
  working: t.boolean,
  unresponsive: t.boolean,
  waitingHeartbeats: t.array(t.number),
  payoutTotalBits: t.string,
  payoutCount: t.number,
  lastPayoutBlock: nullable(t.number),
  slashTotalBits: t.string,
  slashCount: t.number,
  lastSlashBlock: nullable(t.number),
});
/** The gatekeepers' view of a worker. */
export type GatekeeperViewRow = t.TypeOf<typeof GatekeeperViewRow>;

/** A worker row. U64F64 values are raw bits (`…Bits`), balances units, both as decimal strings. */
export const WorkerRow = t.type({
  pubkey: t.string,
  registeredAtBlock: nullable(t.number),
  updatedAtBlock: t.number,
  operator: nullable(t.string),
  confidenceLevel: t.number,
  initialScore: nullable(t.number),
  runtimeVersion: t.number,
  attestationProvider: nullable(t.string),
  session: nullable(t.string),
  state: WorkerState,
  pool: nullable(t.string),
  stake: t.string,
  startedAtBlock: nullable(t.number),
  vInitBits: t.string,
  vBits: t.string,
  vUpdatedAtBlock: nullable(t.number),
  pBench: t.number,
  pInstant: t.number,
  shareBits: t.string,
  payoutTotal: t.string,
  payoutCount: t.number,
  lastPayoutBlock: nullable(t.number),
  slashTotal: t.string,
  lastSlashBlock: nullable(t.number),
  /** null until the gatekeepers (re-derived) know the worker */
  gatekeeper: nullable(GatekeeperViewRow),
});
/** A worker row. */
export type WorkerRow = t.TypeOf<typeof WorkerRow>;

/** The network's totals: the gatekeeper's `sum_share` as the chain sees it, and worker counts. */
export const NetworkRow = t.type({
  totalShareBits: t.string,
  workers: t.number,
  computingWorkers: t.number,
  /** the gatekeepers' own `sum_share` (re-derived), as of `gatekeeperAtBlock` */
  gatekeeperTotalShareBits: t.string,
  gatekeeperAtBlock: nullable(t.number),
});
/** The network's totals. */
export type NetworkRow = t.TypeOf<typeof NetworkRow>;

/** A worker row before anything is known of it. */
export const emptyWorker = (pubkey: string, block: number): WorkerRow => ({
  pubkey,
  registeredAtBlock: null,
  updatedAtBlock: block,
  operator: null,
  confidenceLevel: 0,
  initialScore: null,
  runtimeVersion: 0,
  attestationProvider: null,
  session: null,
  state: 'Registered',
  pool: null,
  stake: '0',
  startedAtBlock: null,
  vInitBits: '0',
  vBits: '0',
  vUpdatedAtBlock: null,
  pBench: 0,
  pInstant: 0,
  shareBits: '0',
  payoutTotal: '0',
  payoutCount: 0,
  lastPayoutBlock: null,
  slashTotal: '0',
  lastSlashBlock: null,
  gatekeeper: null,
});
