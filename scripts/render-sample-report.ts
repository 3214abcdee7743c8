/**
 * Renders a sample report from synthetic data, to look at:
 *   npx tsx scripts/render-sample-report.ts [outDir] [--blocks N] [--workers N] [--screenshot]
 * Writes series.csv, summary.json and report.html to outDir (default runs/sample-report), and
 * with --screenshot a full-page report.png taken by headless Chromium (/usr/bin/chromium).
 */
import { createWriteStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatPha } from '../simulations/report/pha';
import { renderReport } from '../simulations/report/reportHtml';
import { createSeriesWriter, type SeriesRow } from '../simulations/report/series';
import { readSeries } from '../simulations/report/seriesReader';
import { formatSummary, summaryJson } from '../simulations/report/summary';
import { syntheticRows, syntheticSummary } from '../simulations/report/testing/syntheticSeries';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

async function screenshot(htmlPath: string, pngPath: string): Promise<void> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${htmlPath}`);
    await page.screenshot({ path: pngPath, fullPage: true });
    // the first screen at full resolution, to judge type and spacing
    await page.screenshot({ path: pngPath.replace(/\.png$/, '-top.png') });
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !(all[i - 1] ?? '').match(/^--(blocks|workers)$/));
  const outDir = resolve(positional[0] ?? 'runs/sample-report');
  mkdirSync(outDir, { recursive: true });
  const options = { blocks: flag('--blocks', 7200), workers: flag('--workers', 400), seed: 42 };
  const csvPath = join(outDir, 'series.csv');
  const file = createWriteStream(csvPath);
  const closed = new Promise<void>((ok, fail) => file.on('finish', ok).on('error', fail));
  const writer = createSeriesWriter({ write: (c) => void file.write(c), close: () => file.end() });
  let last: SeriesRow | undefined;
  let payout = 0n;
  let treasury = 0n;
  let events = 0;
  for (const row of syntheticRows(options)) {
    writer.append(row);
    payout += row.payout;
    treasury += row.treasury;
    events += row.events;
    last = row;
  }
  writer.close();
  await closed;
  if (last === undefined) throw new Error('no blocks');
  const summary = syntheticSummary(options, last, { payout: formatPha(payout), treasury: formatPha(treasury), events });
  writeFileSync(join(outDir, 'summary.json'), summaryJson(summary));
  const started = performance.now();
  const html = await renderReport({
    summary,
    series: readSeries(readFileSync(csvPath, 'utf8')),
    scenarioText: 'name: khala-day\nseed: 42\nblocks: 7200\ntopology:\n  gatekeepers: 3\n  workers: [{ count: 400, score: 3000-6000 }]\n',
    derivedOptions: { blockTimeMs: 12000, gatekeepers: 3, workers: options.workers, heartbeatWindow: 10, store: summary.store },
  });
  const htmlPath = join(outDir, 'report.html');
  writeFileSync(htmlPath, html);
  process.stdout.write(formatSummary(summary));
  process.stdout.write(`report.html ${(statSync(htmlPath).size / 1024).toFixed(0)} KiB, rendered in ${(performance.now() - started).toFixed(0)} ms; series.csv ${(statSync(csvPath).size / 1024).toFixed(0)} KiB\n`);
  if (process.argv.includes('--screenshot')) {
    await screenshot(htmlPath, join(outDir, 'report.png'));
    process.stdout.write(`screenshot: ${join(outDir, 'report.png')}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
