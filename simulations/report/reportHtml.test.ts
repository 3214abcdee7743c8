import { formatPha } from './pha';
import { renderReport } from './reportHtml';
import { createSeriesWriter, type SeriesRecord, type SeriesRow } from './series';
import { readSeries } from './seriesReader';
import type { RunSummary } from './summary';
import { syntheticRows, syntheticSummary } from './testing/syntheticSeries';

const CHARTS = 8;

/** Writes synthetic rows through the real writer and reads them back, as the CLI would. */
function sample(blocks: number): { summary: RunSummary; series: SeriesRecord[] } {
  const options = { blocks, workers: 300, seed: 9 };
  const chunks: string[] = [];
  const w = createSeriesWriter({ write: (c) => void chunks.push(c), close: () => undefined });
  let last: SeriesRow | undefined;
  let payout = 0n;
  let treasury = 0n;
  let events = 0;
  for (const r of syntheticRows(options)) {
    w.append(r);
    payout += r.payout;
    treasury += r.treasury;
    events += r.events;
    last = r;
  }
  w.close();
  const summary = syntheticSummary(options, last!, { payout: formatPha(payout), treasury: formatPha(treasury), events });
  return { summary, series: readSeries(chunks.join('')) };
}

describe('report.html', () => {
  const small = sample(240);
  const input = { ...small, scenarioText: 'name: <khala & co>\n', derivedOptions: { blockTimeMs: 12_000, store: 'memory' } };
  let html = '';
  beforeAll(async () => {
    html = await renderReport(input);
  }, 60_000);

  it('is self-contained: one inline SVG per chart, no URL but the SVG namespace, no script', () => {
    expect(html.match(/<svg/g)).toHaveLength(CHARTS);
    const urls = html.match(/https?:\/\/[^"'\s)]*/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(urls).toHaveLength(CHARTS);
    expect(html).not.toMatch(/<script|<link|<img|@import/i);
    expect(html).toContain('name: &lt;khala &amp; co&gt;');
    expect(html).toContain('<tr><th>blockTimeMs</th><td><code>12000</code></td></tr>');
  });

  it('lists failed checks first, with their block and detail', async () => {
    const table = html.slice(html.indexOf('<table class="checks"'));
    expect(table.indexOf('gatekeepers agree')).toBeLessThan(table.indexOf('no double payout'));
    expect(table).toMatch(/<tr class="bad"><td>✗ failed<\/td><td>gatekeepers agree<\/td><td class="num">134<\/td><td>gatekeeper 2 settled/);
    expect(html).toContain('<span class="badge fail">FAILED 1 / 5</span>');
    const allPassed = await renderReport({ ...small, series: [], summary: { ...small.summary, checks: [{ name: 'stake conserved', passed: true }] } });
    expect(allPassed).toContain('<span class="badge pass">PASSED</span>');
    expect(allPassed).not.toContain('<svg');
  }, 60_000);

  it('is deterministic: the same input gives the same bytes', async () => {
    const again = await renderReport({ ...input, derivedOptions: { ...input.derivedOptions } });
    expect(again === html).toBe(true);
  }, 60_000);

  it('keeps ids unique across the inlined SVGs', () => {
    const ids = (html.match(/\bid="[^"]+"/g) ?? []).map((s) => s.slice(4, -1));
    expect(ids.length).toBeGreaterThan(CHARTS);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renders a 7,200-block day under 2 MB, in seconds', async () => {
    const day = sample(7200);
    const started = performance.now();
    const html = await renderReport(day);
    const ms = performance.now() - started;
    expect(Buffer.byteLength(html)).toBeLessThan(2 * 1024 * 1024);
    expect(html.match(/<svg/g)).toHaveLength(CHARTS);
    // a few seconds on an idle machine; generous because the test machines are shared
    expect(ms).toBeLessThan(30_000);
  }, 120_000);
});
