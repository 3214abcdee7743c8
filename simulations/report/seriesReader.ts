/**
 * Reads a series CSV written by `createSeriesWriter` back into records, for the report. The file
 * is a boundary (a user may hand us any CSV): every field is checked and an error names the line
 * and column.
 */
import { parseCsv } from './csv';
import { parsePha } from './pha';
import { SERIES_COLUMNS, type SeriesRecord } from './series';

/** All records of a series CSV; throws a `SyntaxError` naming line and column on bad input. */
export function readSeries(csvText: string): SeriesRecord[] {
  const records = parseCsv(csvText);
  const header = records[0];
  if (header === undefined) throw new SyntaxError('series CSV is empty (expected a header line)');
  const expected = SERIES_COLUMNS.join(',');
  if (header.join(',') !== expected) throw new SyntaxError(`series CSV header is "${header.join(',')}", expected "${expected}"`);
  const out: SeriesRecord[] = [];
  for (let i = 1; i < records.length; i++) out.push(decodeRecord(records[i]!, i + 1));
  return out;
}

function decodeRecord(fields: readonly string[], line: number): SeriesRecord {
  if (fields.length !== SERIES_COLUMNS.length) {
    throw new SyntaxError(`series CSV line ${line}: ${fields.length} fields, expected ${SERIES_COLUMNS.length}`);
  }
  const byName = new Map<string, string>(SERIES_COLUMNS.map((c, i) => [c, fields[i]!]));
  const int = (column: string): number => {
    const text = byName.get(column)!;
    const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new SyntaxError(`series CSV line ${line}, column ${column}: "${text}" is not a non-negative integer`);
    return n;
  };
  const pha = (column: string): bigint => parsePha(byName.get(column)!, `series CSV line ${line}, column ${column}`);
  const workers = {
    Unbound: int('Unbound'),
    Ready: int('Ready'),
    WorkerIdle: int('WorkerIdle'),
    WorkerUnresponsive: int('WorkerUnresponsive'),
    WorkerCoolingDown: int('WorkerCoolingDown'),
  };
  return {
    block: int('block'),
    timestampMs: int('timestampMs'),
    workers,
    totalV: pha('totalV'),
    payout: pha('payout'),
    treasury: pha('treasury'),
    stake: pha('stake'),
    events: int('events'),
    cumulativePayout: pha('cumulativePayout'),
    cumulativeTreasury: pha('cumulativeTreasury'),
    onlineWorkers: int('onlineWorkers'),
    challenges: int('challenges'),
    heartbeats: int('heartbeats'),
    offline: int('offline'),
    recovered: int('recovered'),
    gatekeeperReports: int('gatekeeperReports'),
  };
}
