/**
 * The per-block series of a simulation run, streamed to CSV (RFC 4180, CRLF) one row per block.
 *
 * Columns, in this order (README "Per-block series"):
 * - `block`               block number
 * - `timestampMs`         the block's timestamp (virtual time, ms since the Unix epoch)
 * - `Unbound`, `Ready`, `WorkerIdle`, `WorkerUnresponsive`, `WorkerCoolingDown`
 *                         registered workers by session state at the end of the block
 *                         (`Unbound` = registered, no session bound)
 * - `totalV`              sum of V over all sessions (PHA)
 * - `payout`              PHA paid to sessions by settlements in this block
 * - `treasury`            PHA sent to the treasury in this block
 * - `stake`               PHA locked as stake in sessions at the end of the block
 * - `events`              runtime events emitted in this block
 * - `cumulativePayout`    payout summed from block 0 up to and including this block (PHA)
 * - `cumulativeTreasury`  treasury summed likewise (PHA)
 * - `onlineWorkers`       `WorkerIdle + WorkerUnresponsive` (Phala's `OnlineWorkers`)
 * - `challenges`          heartbeat challenges issued in this block
 * - `heartbeats`          heartbeats that landed in this block
 * - `offline`             workers a gatekeeper reported offline in this block
 * - `recovered`           workers a gatekeeper reported recovered in this block
 * - `gatekeeperReports`   gatekeeper reports (all kinds) that landed in this block
 *
 * PHA columns are decimal text with 12 decimals, exact from `bigint` units. The writer keeps only
 * the running totals, never the rows, so a 7,200-block run streams in constant memory.
 */
import { formatPha } from './pha';
import { csvRecord } from './csv';

/** Phala's session states plus `Unbound`, in column order. */
export const WORKER_STATES = ['Unbound', 'Ready', 'WorkerIdle', 'WorkerUnresponsive', 'WorkerCoolingDown'] as const;

/** A worker's state as the report counts it. */
export type WorkerStateName = (typeof WORKER_STATES)[number];

/** The facts of one block, as the simulation hands them to the writer (PHA in units). */
export interface SeriesRow {
  readonly block: number;
  readonly timestampMs: number;
  readonly workers: Readonly<Record<WorkerStateName, number>>;
  readonly totalV: bigint;
  readonly payout: bigint;
  readonly treasury: bigint;
  readonly stake: bigint;
  readonly events: number;
  readonly challenges: number;
  readonly heartbeats: number;
  readonly offline: number;
  readonly recovered: number;
  readonly gatekeeperReports: number;
}

/** A row as stored: the block's facts plus the columns the writer derives. */
export interface SeriesRecord extends SeriesRow {
  readonly cumulativePayout: bigint;
  readonly cumulativeTreasury: bigint;
  readonly onlineWorkers: number;
}

/** The exact header, in column order. */
export const SERIES_COLUMNS = [
  'block',
  'timestampMs',
  ...WORKER_STATES,
  'totalV',
  'payout',
  'treasury',
  'stake',
  'events',
  'cumulativePayout',
  'cumulativeTreasury',
  'onlineWorkers',
  'challenges',
  'heartbeats',
  'offline',
  'recovered',
  'gatekeeperReports',
] as const;

/** Where the CSV text goes (a file stream in the CLI, a string buffer in tests). */
export interface SeriesSink {
  write(chunk: string): void;
  close(): void;
}

/** The streaming writer: one `append` per block, in increasing block order, then `close`. */
export interface SeriesWriter {
  append(row: SeriesRow): void;
  close(): void;
  /** rows written so far */
  readonly rows: number;
}

/** Writes the header at once, then one CSV record per `append`. */
export function createSeriesWriter(sink: SeriesSink): SeriesWriter {
  let cumulativePayout = 0n;
  let cumulativeTreasury = 0n;
  let lastBlock = -1;
  let rows = 0;
  let closed = false;
  sink.write(csvRecord(SERIES_COLUMNS));
  return {
    append(row) {
      if (closed) throw new Error('series writer: append after close');
      assertRow(row, lastBlock);
      lastBlock = row.block;
      cumulativePayout += row.payout;
      cumulativeTreasury += row.treasury;
      const onlineWorkers = row.workers.WorkerIdle + row.workers.WorkerUnresponsive;
      sink.write(csvRecord(recordFields({ ...row, cumulativePayout, cumulativeTreasury, onlineWorkers })));
      rows++;
    },
    close() {
      if (closed) return;
      closed = true;
      sink.close();
    },
    get rows() {
      return rows;
    },
  };
}

function recordFields(r: SeriesRecord): string[] {
  return [
    String(r.block),
    String(r.timestampMs),
    ...WORKER_STATES.map((s) => String(r.workers[s])),
    formatPha(r.totalV),
    formatPha(r.payout),
    formatPha(r.treasury),
    formatPha(r.stake),
    String(r.events),
    formatPha(r.cumulativePayout),
    formatPha(r.cumulativeTreasury),
    String(r.onlineWorkers),
    String(r.challenges),
    String(r.heartbeats),
    String(r.offline),
    String(r.recovered),
    String(r.gatekeeperReports),
  ];
}

const COUNTS = ['events', 'challenges', 'heartbeats', 'offline', 'recovered', 'gatekeeperReports'] as const;
const AMOUNTS = ['totalV', 'payout', 'treasury', 'stake'] as const;

/** A row the simulation should never produce is a bug in the caller: throw. */
function assertRow(row: SeriesRow, lastBlock: number): void {
  const count = (what: string, n: number) => {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`series row ${row.block}: ${what} must be a non-negative integer, got ${n}`);
  };
  count('block', row.block);
  if (row.block <= lastBlock) throw new RangeError(`series rows must come in increasing block order: ${row.block} after ${lastBlock}`);
  count('timestampMs', row.timestampMs);
  for (const s of WORKER_STATES) count(`workers.${s}`, row.workers[s]);
  for (const c of COUNTS) count(c, row[c]);
  for (const a of AMOUNTS) if (row[a] < 0n) throw new RangeError(`series row ${row.block}: ${a} must not be negative, got ${row[a]} units`);
}
