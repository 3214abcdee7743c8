import fc from 'fast-check';
import { createSeriesWriter, SERIES_COLUMNS, type SeriesRow } from './series';
import { readSeries } from './seriesReader';

function stringSink() {
  const chunks: string[] = [];
  let closed = false;
  return { chunks, sink: { write: (c: string) => void chunks.push(c), close: () => void (closed = true) }, isClosed: () => closed };
}

const count = fc.nat({ max: 1_000_000 });
const units = fc.bigInt({ min: 0n, max: 10n ** 30n });
const rowFacts = fc.record({
  timestampMs: fc.nat({ max: 4_000_000_000_000 }),
  workers: fc.record({ Unbound: count, Ready: count, WorkerIdle: count, WorkerUnresponsive: count, WorkerCoolingDown: count }),
  totalV: units,
  payout: units,
  treasury: units,
  stake: units,
  events: count,
  challenges: count,
  heartbeats: count,
  offline: count,
  recovered: count,
  gatekeeperReports: count,
});
const rows = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 50 }), rowFacts), { maxLength: 30 })
  .map((xs) => {
    let block = -1;
    return xs.map(([step, facts]): SeriesRow => ({ block: (block += step), ...facts }));
  });

describe('per-block series', () => {
  it('has exactly the documented header', () => {
    const { chunks, sink } = stringSink();
    createSeriesWriter(sink);
    expect(chunks.join('')).toBe(
      'block,timestampMs,Unbound,Ready,WorkerIdle,WorkerUnresponsive,WorkerCoolingDown,totalV,payout,treasury,stake,events,' +
        'cumulativePayout,cumulativeTreasury,onlineWorkers,challenges,heartbeats,offline,recovered,gatekeeperReports\r\n',
    );
    expect(SERIES_COLUMNS).toHaveLength(20);
  });

  it('reads back every row with the derived columns (random rows)', () => {
    fc.assert(
      fc.property(rows, (input) => {
        const { chunks, sink, isClosed } = stringSink();
        const w = createSeriesWriter(sink);
        for (const r of input) w.append(r);
        w.close();
        expect(isClosed()).toBe(true);
        let payout = 0n;
        let treasury = 0n;
        const expected = input.map((r) => ({
          ...r,
          cumulativePayout: (payout += r.payout),
          cumulativeTreasury: (treasury += r.treasury),
          onlineWorkers: r.workers.WorkerIdle + r.workers.WorkerUnresponsive,
        }));
        expect(readSeries(chunks.join(''))).toEqual(expected);
        expect(w.rows).toBe(input.length);
      }),
    );
  });

  it('prints PHA exactly from bigint units', () => {
    const { chunks, sink } = stringSink();
    const w = createSeriesWriter(sink);
    const zero = { Unbound: 0, Ready: 0, WorkerIdle: 2, WorkerUnresponsive: 1, WorkerCoolingDown: 0 };
    const facts = { timestampMs: 12_000, workers: zero, totalV: 123_456_789_012_345_678_901n, stake: 0n, events: 3, challenges: 0, heartbeats: 0, offline: 0, recovered: 0, gatekeeperReports: 0 };
    w.append({ block: 1, ...facts, payout: 1n, treasury: 999_999_999_999n });
    w.append({ block: 2, ...facts, payout: 999_999_999_999n, treasury: 1n });
    const lines = chunks.join('').split('\r\n');
    expect(lines[1]).toBe('1,12000,0,0,2,1,0,123456789.012345678901,0.000000000001,0.999999999999,0.000000000000,3,0.000000000001,0.999999999999,3,0,0,0,0,0');
    expect(lines[2]).toContain(',0.999999999999,0.000000000001,0.000000000000,3,1.000000000000,1.000000000000,3,');
  });

  it('streams: each row reaches the sink as it is appended', () => {
    const { chunks, sink } = stringSink();
    const w = createSeriesWriter(sink);
    const workers = { Unbound: 1, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 };
    for (let b = 0; b < 100; b++) {
      w.append({ block: b, timestampMs: b, workers, totalV: 0n, payout: 0n, treasury: 0n, stake: 0n, events: 0, challenges: 0, heartbeats: 0, offline: 0, recovered: 0, gatekeeperReports: 0 });
      expect(chunks).toHaveLength(b + 2);
    }
  });

  it('rejects rows out of block order, negative amounts, and appends after close', () => {
    const { sink } = stringSink();
    const w = createSeriesWriter(sink);
    const workers = { Unbound: 0, Ready: 0, WorkerIdle: 0, WorkerUnresponsive: 0, WorkerCoolingDown: 0 };
    const row = { block: 5, timestampMs: 0, workers, totalV: 0n, payout: 0n, treasury: 0n, stake: 0n, events: 0, challenges: 0, heartbeats: 0, offline: 0, recovered: 0, gatekeeperReports: 0 };
    w.append(row);
    expect(() => w.append(row)).toThrow(/increasing block order/);
    expect(() => w.append({ ...row, block: 6, payout: -1n })).toThrow(/payout must not be negative/);
    expect(() => w.append({ ...row, block: 7, events: 1.5 })).toThrow(/events must be a non-negative integer/);
    w.close();
    expect(() => w.append({ ...row, block: 8 })).toThrow(/after close/);
  });

  it('the reader names line and column of a bad field, and rejects a foreign header', () => {
    const { chunks, sink } = stringSink();
    createSeriesWriter(sink);
    const header = chunks.join('');
    const good = '1,0,0,0,0,0,0,1.0,0,0,0,0,0,0,0,0,0,0,0,0\r\n';
    expect(readSeries(header + good)).toHaveLength(1);
    expect(() => readSeries(header + good.replace('1.0', '1.0000000000001'))).toThrow(/line 2, column totalV/);
    expect(() => readSeries(header + good.replace('1,0,0', '1,-3,0'))).toThrow(/line 2, column timestampMs/);
    expect(() => readSeries('block,foo\r\n')).toThrow(/header/);
  });
});
