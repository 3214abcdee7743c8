/**
 * The HTML sections of `report.html` other than the charts: header with the verdict badge,
 * the run's facts, the checks table, the scenario and the derived options. Every value from a
 * run passes through `escapeHtml`.
 */
import { WORKER_STATES } from './series';
import { type CheckResult, type RunSummary, summaryPassed } from './summary';
import { STATE_COLOURS } from './chartSpecs';

/** Text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const integer = (n: number) => n.toLocaleString('en-US');

/**
 * PHA decimal text grouped and cut to `decimals` (truncated, exact on the text, no float):
 * `groupPha('55933.647714096125', 2)` → `55,933.64`. Without `decimals`: all, trailing zeros dropped.
 */
export function groupPha(text: string, decimals?: number): string {
  const [whole = '0', frac = ''] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const kept = (decimals === undefined ? frac : frac.slice(0, decimals)).replace(/0+$/, '');
  return kept === '' ? grouped : `${grouped}.${kept}`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** Title, verdict badge and the run's facts. */
export function headerSection(s: RunSummary): string {
  const passed = summaryPassed(s);
  const failed = s.checks.filter((c) => !c.passed).length;
  const badge = passed
    ? '<span class="badge pass">PASSED</span>'
    : `<span class="badge fail">${s.checks.length === 0 ? 'NO CHECKS' : `FAILED ${failed} / ${s.checks.length}`}</span>`;
  const facts: [string, string, string?][] = [
    ['seed', String(s.seed)],
    ['blocks', integer(s.blocks)],
    ['events', integer(s.events)],
    ['duration', duration(s.durationMs)],
    ['payout', `${groupPha(s.rewards.payout, 2)} PHA`, `${groupPha(s.rewards.payout)} PHA`],
    ['treasury', `${groupPha(s.rewards.treasury, 2)} PHA`, `${groupPha(s.rewards.treasury)} PHA`],
  ];
  const workers = WORKER_STATES.map(
    (st) => `<li><span class="swatch" style="background:${STATE_COLOURS[st]}"></span>${escapeHtml(st)} <b>${integer(s.workers[st])}</b></li>`,
  ).join('');
  return `<header>
<div class="title"><h1>${escapeHtml(s.scenario)}</h1>${badge}</div>
<dl class="facts">${facts.map(([k, v, exact]) => `<div><dt>${k}</dt><dd${exact === undefined ? '' : ` title="${escapeHtml(exact)}"`}>${escapeHtml(v)}</dd></div>`).join('')}</dl>
<ul class="workers">${workers}</ul>
<p class="head">head <b>#${integer(s.head.number)}</b> <code>${escapeHtml(s.head.hash)}</code><br>state root <code>${escapeHtml(s.head.stateRoot)}</code><br>store <code>${escapeHtml(s.store)}</code></p>
</header>`;
}

/** The checks, failed first (each naming its block and detail), then passed, by name. */
export function checksSection(checks: readonly CheckResult[]): string {
  const sorted = [...checks].sort((a, b) => Number(a.passed) - Number(b.passed) || (a.block ?? -1) - (b.block ?? -1) || a.name.localeCompare(b.name));
  const rows = sorted
    .map(
      (c) =>
        `<tr class="${c.passed ? 'ok' : 'bad'}"><td>${c.passed ? '✓ passed' : '✗ failed'}</td><td>${escapeHtml(c.name)}</td><td class="num">${c.block === undefined ? '' : integer(c.block)}</td><td>${escapeHtml(c.detail ?? '')}</td></tr>`,
    )
    .join('\n');
  const body = checks.length === 0 ? '<p class="muted">No checks ran.</p>' : `<table class="checks"><thead><tr><th>result</th><th>check</th><th>block</th><th>detail</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
  return `<section id="checks"><h2>Checks</h2>${body}</section>`;
}

/** The scenario file and the options derived from it, folded away. */
export function inputsSection(scenarioText: string | undefined, derivedOptions: Readonly<Record<string, unknown>> | undefined): string {
  const parts: string[] = [];
  if (derivedOptions !== undefined && Object.keys(derivedOptions).length > 0) {
    const rows = Object.keys(derivedOptions)
      .sort()
      .map((k) => {
        const v = derivedOptions[k];
        return `<tr><th>${escapeHtml(k)}</th><td><code>${escapeHtml(typeof v === 'string' ? v : (JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? String(v)))}</code></td></tr>`;
      })
      .join('');
    parts.push(`<details open><summary>Derived options</summary><table class="options">${rows}</table></details>`);
  }
  if (scenarioText !== undefined) parts.push(`<details><summary>Scenario</summary><pre>${escapeHtml(scenarioText)}</pre></details>`);
  return parts.length === 0 ? '' : `<section id="inputs"><h2>Inputs</h2>${parts.join('\n')}</section>`;
}
