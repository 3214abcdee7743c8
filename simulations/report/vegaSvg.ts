/**
 * vega-lite specs → SVG text, server-side (vega-lite's `compile`, then vega's headless `View`
 * with `renderer: 'none'` and `toSVG()`).
 *
 * Why a child process: vega 6 is ESM with a top-level `await` (vega-canvas probes for the
 * optional `canvas` package), so neither CommonJS `require` (our build output, Node 20's
 * require(esm) refuses async module graphs) nor jest's module runtime can load it; only a real
 * `import()` can. A short-lived `node` child does exactly that, once per report, and also keeps
 * vega's module state out of the simulation's process. Each render starts from fresh module
 * state, which keeps the SVG (its generated ids) deterministic.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { VegaLiteSpec } from './chartSpecs';

// Runs as an ES module in the child: reads {vega, vegaLite, specs} as JSON on stdin, prints the SVGs as JSON.
const CHILD = `
const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { vega, vegaLite, specs } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const v = await import(vega);
const vl = await import(vegaLite);
const out = [];
for (const spec of specs) {
  const view = new v.View(v.parse(vl.compile(spec).spec), { renderer: 'none' });
  out.push(await view.toSVG());
  view.finalize();
}
process.stdout.write(JSON.stringify(out));
`;

/** The SVG of each spec, in order. Rejects with vega's error text when a spec does not render. */
export function renderVegaLiteSvgs(specs: readonly VegaLiteSpec[]): Promise<string[]> {
  if (specs.length === 0) return Promise.resolve([]);
  const input = JSON.stringify({
    vega: pathToFileURL(require.resolve('vega')).href,
    vegaLite: pathToFileURL(require.resolve('vega-lite')).href,
    specs,
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`chart rendering failed (vega exited with ${code}): ${Buffer.concat(err).toString('utf8').trim().split('\n').slice(0, 5).join(' ')}`));
        return;
      }
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(out).toString('utf8'));
        if (!Array.isArray(parsed) || parsed.length !== specs.length || !parsed.every((s) => typeof s === 'string')) {
          throw new Error('chart renderer returned something other than one SVG string per spec');
        }
        resolve(parsed);
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.end(input);
  });
}

/**
 * Prefixes every `id` of one SVG (and the `url(#…)`/`href="#…"` references to them): several
 * SVGs inlined in one HTML page share one id space, and vega numbers its clip paths and
 * gradients from 1 in every view.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  // the xlink namespace is declared on every vega SVG but unused by its marks: drop it so the
  // page's only URL-like text is the SVG namespace itself
  const unlinked = svg.includes('xlink:href') ? svg : svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', '');
  return unlinked
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}
