/**
 * The report's charts as vega-lite specs (plain JSON, built here without vega-lite's code so
 * that this file stays pure): one spec per chart, data inline and already downsampled.
 */
import { type BandPoint, downsampleBand, downsampleLast, downsampleSum, type Point } from './downsample';
import { phaToChartNumber } from './pha';
import { type SeriesRecord, WORKER_STATES, type WorkerStateName } from './series';

/** A vega-lite top-level spec as JSON. */
export type VegaLiteSpec = Readonly<Record<string, unknown>>;

/** One chart of the report: an anchor id, a title, a caption and its spec. */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly spec: VegaLiteSpec;
}

/** Colour of each worker state: calm for healthy, warm for trouble, grey for idle capacity. */
export const STATE_COLOURS: Readonly<Record<WorkerStateName, string>> = {
  Unbound: '#b8bec6',
  Ready: '#8fb8de',
  WorkerIdle: '#2e9e6a',
  WorkerUnresponsive: '#e8833a',
  WorkerCoolingDown: '#8e6cc0',
};

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const WIDTH = 860;
const HEIGHT = 210;

const config = {
  background: '#ffffff',
  font: FONT,
  padding: 8,
  view: { stroke: null },
  axis: { labelColor: '#4a5260', titleColor: '#2b313b', titleFontWeight: 600, titleFontSize: 12, labelFontSize: 11, gridColor: '#eceff3', domainColor: '#c5cbd3', tickColor: '#c5cbd3' },
  legend: { orient: 'top', direction: 'horizontal', labelFontSize: 11, title: null, symbolStrokeWidth: 2 },
  line: { strokeWidth: 1.6 },
};

const xBlock = { field: 'block', type: 'quantitative', title: 'block', axis: { format: ',d', tickMinStep: 1 }, scale: { nice: false } };

function yAxis(title: string, format: string) {
  return { field: 'value', type: 'quantitative', title, axis: { format } };
}

function base(values: readonly object[], mark: object, encoding: object): VegaLiteSpec {
  return { width: WIDTH, height: HEIGHT, config, data: { values }, mark, encoding };
}

function tagged(series: string, points: readonly Point[]) {
  return points.map((p) => ({ block: p.block, value: p.value, series }));
}

function multiLine(values: readonly object[], yTitle: string, format: string, colours: Record<string, string>): VegaLiteSpec {
  const names = Object.keys(colours);
  return base(values, { type: 'line', interpolate: 'linear' }, {
    x: xBlock,
    y: yAxis(yTitle, format),
    color: { field: 'series', type: 'nominal', sort: names, scale: { domain: names, range: names.map((n) => colours[n]) } },
  });
}

function bandTagged(series: string, points: readonly BandPoint[]) {
  return points.map((p) => ({ ...p, series }));
}

/** Per-block rates: a light min–max band per series under a line of the bucket mean. */
function bandChart(values: readonly object[], yTitle: string, format: string, colours: Record<string, string>): VegaLiteSpec {
  const names = Object.keys(colours);
  // the band is pale: the legend shows each series in its full colour
  const color = { field: 'series', type: 'nominal', sort: names, scale: { domain: names, range: names.map((n) => colours[n]) }, legend: names.length > 1 ? { symbolOpacity: 1 } : null };
  return {
    width: WIDTH,
    height: HEIGHT,
    config,
    data: { values },
    encoding: { x: xBlock, color },
    layer: [
      { mark: { type: 'area', opacity: 0.22, interpolate: 'step-after' }, encoding: { y: { field: 'min', type: 'quantitative', title: yTitle, axis: { format } }, y2: { field: 'max' } } },
      { mark: { type: 'line', strokeWidth: 1.4, interpolate: 'monotone' }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
    ],
  };
}

/** Every chart of the report, from the full series (downsampled to `maxPoints` per series). */
export function chartSpecs(rows: readonly SeriesRecord[], maxPoints = 1000): ChartSpec[] {
  const bl = (r: SeriesRecord) => r.block;
  const last = (f: (r: SeriesRecord) => number) => downsampleLast(rows, maxPoints, bl, f);
  // bands carry three values per point: half the buckets keeps the page size of a plain line
  const band = (f: (r: SeriesRecord) => number) => downsampleBand(rows, Math.max(1, Math.floor(maxPoints / 2)), bl, f);
  const sum = (f: (r: SeriesRecord) => number) => downsampleSum(rows, Math.max(1, Math.floor(maxPoints / 4)), bl, f);
  const pha = (f: (r: SeriesRecord) => bigint) => (r: SeriesRecord) => phaToChartNumber(f(r));
  const barWidth = Math.max(1, Math.floor(WIDTH / Math.max(1, Math.min(rows.length, Math.floor(maxPoints / 4)))) - 1);
  // stacked from the bottom: computing sessions first, spare capacity on top
  const stackOrder: Record<WorkerStateName, number> = { WorkerIdle: 0, WorkerUnresponsive: 1, WorkerCoolingDown: 2, Ready: 3, Unbound: 4 };
  const workers = WORKER_STATES.flatMap((s) => tagged(s, last((r) => r.workers[s])).map((p) => ({ ...p, stackOrder: stackOrder[s] })));
  return [
    {
      id: 'workers',
      title: 'Workers by session state',
      caption: 'Registered workers at the end of each block, stacked by state; Unbound = registered without a session.',
      spec: base(workers, { type: 'area', interpolate: 'linear' }, {
        x: xBlock,
        y: { ...yAxis('workers', ',d'), stack: 'zero' },
        order: { field: 'stackOrder', type: 'quantitative' },
        color: { field: 'series', type: 'nominal', sort: [...WORKER_STATES], scale: { domain: [...WORKER_STATES], range: WORKER_STATES.map((s) => STATE_COLOURS[s]) } },
      }),
    },
    {
      id: 'total-v',
      title: 'Total V',
      caption: 'Sum of V over all sessions at the end of each block.',
      spec: base(tagged('V', last(pha((r) => r.totalV))), { type: 'area', line: { color: '#3a6fb0' }, color: '#dbe7f5' }, { x: xBlock, y: yAxis('total V (PHA)', ',.3~s') }),
    },
    {
      id: 'rewards-per-block',
      title: 'Payout and treasury per block',
      caption: 'PHA settled to sessions and sent to the treasury per block: the line is the mean over a bucket of blocks, the band its minimum to maximum.',
      spec: bandChart([...bandTagged('payout', band(pha((r) => r.payout))), ...bandTagged('treasury', band(pha((r) => r.treasury)))], 'PHA per block', ',.3~s', { payout: '#2e9e6a', treasury: '#c0504d' }),
    },
    {
      id: 'rewards-cumulative',
      title: 'Cumulative payout and treasury',
      caption: 'Running totals since block 0.',
      spec: multiLine([...tagged('payout', last(pha((r) => r.cumulativePayout))), ...tagged('treasury', last(pha((r) => r.cumulativeTreasury)))], 'PHA', ',.3~s', { payout: '#2e9e6a', treasury: '#c0504d' }),
    },
    {
      id: 'stake',
      title: 'Stake in sessions',
      caption: 'PHA locked as stake in computing sessions at the end of each block.',
      spec: base(tagged('stake', last(pha((r) => r.stake))), { type: 'area', line: { color: '#8e6cc0' }, color: '#e9e2f4' }, { x: xBlock, y: yAxis('stake (PHA)', ',.3~s') }),
    },
    {
      id: 'events',
      title: 'Events per block',
      caption: 'Runtime events emitted per block: mean over a bucket of blocks, with its minimum to maximum band.',
      spec: bandChart(bandTagged('events', band((r) => r.events)), 'events per block', ',d', { events: '#3a6fb0' }),
    },
    {
      id: 'heartbeats',
      title: 'Heartbeat challenges and heartbeats',
      caption: 'Challenges issued and heartbeats landed per block: mean over a bucket of blocks, with its minimum to maximum band.',
      spec: bandChart([...bandTagged('challenges', band((r) => r.challenges)), ...bandTagged('heartbeats', band((r) => r.heartbeats))], 'per block', ',d', { challenges: '#1a9aa8', heartbeats: '#3a6fb0' }),
    },
    {
      id: 'health',
      title: 'Offline and recovered workers',
      caption: 'Workers gatekeepers reported offline (up) and recovered (down), summed over buckets of blocks.',
      spec: base([...tagged('offline', sum((r) => r.offline)), ...tagged('recovered', sum((r) => -r.recovered))], { type: 'bar', width: barWidth }, {
        x: xBlock,
        y: { field: 'value', type: 'quantitative', title: 'workers reported', stack: null, axis: { labelExpr: "format(abs(datum.value), ',d')" } },
        color: { field: 'series', type: 'nominal', sort: ['offline', 'recovered'], scale: { domain: ['offline', 'recovered'], range: ['#e8833a', '#2e9e6a'] } },
      }),
    },
  ];
}
