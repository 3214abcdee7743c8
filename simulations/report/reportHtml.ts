/**
 * `report.html`: one self-contained page (inline CSS, charts as inline SVG, no script, no
 * external reference) that shows a run at a glance — verdict, checks, and charts of the
 * per-block series.
 */
import { type ChartSpec, chartSpecs } from './chartSpecs';
import { checksSection, escapeHtml, headerSection, inputsSection } from './reportSections';
import type { SeriesRecord } from './series';
import type { RunSummary } from './summary';
import { renderVegaLiteSvgs, scopeSvgIds } from './vegaSvg';

/** What a report is made of. */
export interface ReportInput {
  readonly summary: RunSummary;
  /** the per-block series (as `readSeries` returns it); charts are downsampled from it */
  readonly series: readonly SeriesRecord[];
  /** the scenario file's text, shown folded */
  readonly scenarioText?: string;
  /** every option the run derived (the lines it printed first) */
  readonly derivedOptions?: Readonly<Record<string, unknown>>;
  /** most points per chart series (default 1,000) */
  readonly maxPoints?: number;
}

const CSS = `
:root{--ink:#1f2430;--muted:#667085;--line:#e4e7ec;--bg:#f6f7f9;--ok:#1f8a57;--bad:#c0392b}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:960px;margin:0 auto;padding:28px 20px 48px}
header,section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin-bottom:18px}
h1{font-size:24px;margin:0}
h2{font-size:17px;margin:0 0 10px}
.title{display:flex;align-items:center;gap:14px;flex-wrap:wrap}
.badge{font-weight:700;font-size:13px;letter-spacing:.04em;padding:3px 10px;border-radius:999px;color:#fff}
.badge.pass{background:var(--ok)}.badge.fail{background:var(--bad)}
.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:14px 0 6px}
.facts div{min-width:90px}
.facts dt{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.facts dd{margin:0;font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
.workers{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;margin:10px 0}
.workers li{font-size:14px;color:var(--muted)}.workers b{color:var(--ink);font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.head{font-size:13px;color:var(--muted);margin:8px 0 0;line-height:1.8}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
code{background:var(--bg);padding:1px 5px;border-radius:4px;color:var(--ink);word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.checks td:nth-child(2){min-width:220px}
tr.bad td{background:#fdf1f0}tr.bad td:first-child{color:var(--bad);font-weight:700;white-space:nowrap}
tr.ok td:first-child{color:var(--ok);white-space:nowrap}
figure{margin:0 0 8px}
figcaption{font-size:13px;color:var(--muted);margin-bottom:4px}
figure svg{display:block;max-width:100%;height:auto}
.muted{color:var(--muted)}
details{margin:8px 0}summary{cursor:pointer;font-weight:600}
pre{background:var(--bg);padding:12px;border-radius:6px;overflow:auto;max-height:480px}
.options th{font-weight:500;color:var(--muted);width:40%}
footer{font-size:12px;color:var(--muted);text-align:center}
`;

function chartSection(chart: ChartSpec, svg: string): string {
  return `<section id="${chart.id}"><h2>${escapeHtml(chart.title)}</h2><figure><figcaption>${escapeHtml(chart.caption)}</figcaption>${scopeSvgIds(svg, chart.id)}</figure></section>`;
}

/** The report page. Same input ⇒ byte-identical output. */
export async function renderReport(input: ReportInput): Promise<string> {
  const { summary, series } = input;
  const charts = series.length === 0 ? [] : chartSpecs(series, input.maxPoints ?? 1000);
  const svgs = await renderVegaLiteSvgs(charts.map((c) => c.spec));
  const chartHtml = charts.length === 0 ? '<section><h2>Series</h2><p class="muted">No blocks were recorded.</p></section>' : charts.map((c, i) => chartSection(c, svgs[i]!)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`phalanet report: ${summary.scenario} (seed ${summary.seed})`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${headerSection(summary)}
${checksSection(summary.checks)}
${chartHtml}
${inputsSection(input.scenarioText, input.derivedOptions)}
<footer>phalanet simulate · ${summary.blocks.toLocaleString('en-US')} blocks · seed ${summary.seed}</footer>
</main>
</body>
</html>
`;
}
