/**
 * `phalanet serve` as a user runs it, with the dashboard driven in Debian's headless Chromium by
 * playwright-core (installed by scripts/chromium.cjs when missing). The compiled bin serves a
 * small synthetic SQLite ledger on a free port; the page shows the head and the rewards chart, a
 * click opens an account's detail view, a screenshot is saved, and a block appended to the ledger
 * reaches the page without a reload. The CLI query, the API and the page agree on the head.
 * SIGTERM stops the server with exit 0. A second server serves the ledger of a real 40-block
 * `simulate quickstart` run: workers by state, pools and gatekeepers as the read models have
 * them, and a click on a worker opens its finance log with V and payout charts.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { appendSampleBlocks, appendTransferBlock, sampleEvents } from '../infra/http/testing/sampleLedger';
import { sqliteEventStore } from '../infra/store/sqliteEventStore';

const root = join(__dirname, '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-dashboard-e2e-'));
const ledgerPath = join(dir, 'ledger.db');
const store = `sqlite:${ledgerPath}`;
const HEAD = sampleEvents.length - 1;
const simDir = join(dir, 'sim');
const simStore = `sqlite:${join(simDir, 'ledger.db')}`;
// where the screenshots go: PHALANET_SCREENSHOTS keeps them for a person to look at
const shots = process.env.PHALANET_SCREENSHOTS ?? dir;
// scripts/chromium.cjs is plain CommonJS shared with scripts/services.mjs
const chromiumScript = require('../scripts/chromium.cjs') as { ensure(): string; CHROMIUM_ARGS: string[] };

let server: ChildProcessWithoutNullStreams;
let stderr = '';
let url = '';
let simServer: ChildProcessWithoutNullStreams;
let simUrl = '';
let browser: Browser;
let headHash: Uint8Array;

/** Resolves with the first line the server prints on stdout: the URL it listens on. */
function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL: ${stderr}`)));
  });
}

const exited = (child: ChildProcessWithoutNullStreams): Promise<number | null> =>
  child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

beforeAll(async () => {
  const executablePath = chromiumScript.ensure();
  // a dist/ older than the dashboard page would serve the old page
  const built = join(root, 'dist', 'infra', 'http', 'dashboard', 'dashboard.html');
  const source = join(root, 'infra', 'http', 'dashboard', 'dashboard.html');
  if (!existsSync(built) || readFileSync(built, 'utf8') !== readFileSync(source, 'utf8')) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const sim = spawnSync(process.execPath, [bin, 'simulate', 'quickstart', '--blocks', '40', '--seed', '1', '--out', simDir], { encoding: 'utf8', cwd: root, timeout: 240_000 });
  if (sim.status !== 0) throw new Error(`simulate exited with ${sim.status}: ${sim.stderr}`);
  const ledger = sqliteEventStore(ledgerPath);
  headHash = await appendSampleBlocks(ledger);
  await ledger.close();
  server = spawn(process.execPath, [bin, 'serve', '--store', store, '--port', '0', '--follow-ms', '100'], { cwd: root });
  server.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  url = await firstLine(server);
  simServer = spawn(process.execPath, [bin, 'serve', '--store', simStore, '--port', '0'], { cwd: root });
  simUrl = await firstLine(simServer);
  browser = await chromium.launch({ executablePath, headless: true, args: chromiumScript.CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const child of [server, simServer]) {
    if (child !== undefined && child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

// evaluated in the page (a string: this file is type-checked without the DOM library)
const headShown = (n: number) => `document.getElementById('head-number')?.textContent === ${JSON.stringify(String(n))}`;
const apiJson = async (path: string) => (await (await fetch(new URL(path, url))).json()) as { item: { number: number; hash: string }; items: { number: number }[] };

describe('phalanet serve and its dashboard', () => {
  it('prints the URL it listens on as the first line of stdout', () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('the page shows the head and the rewards chart, opens an account, and takes a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction(headShown(HEAD));
    // rewards at blocks 2, 4 and 5: one line and one point per block
    expect(await page.locator('#rewards-chart svg path.mark').count()).toBe(1);
    expect(await page.locator('#rewards-chart svg circle.mark').count()).toBe(3);
    expect(await page.locator('#events table tr').count()).toBeGreaterThan(1);
    const link = page.locator('a[data-testid="link-accounts"]').first();
    const account = await link.getAttribute('href');
    await link.click();
    await page.waitForSelector('#detail:not([hidden]) #detail-record table');
    expect(await page.locator('#detail-title').textContent()).toMatch(/^account 0x/);
    expect(await page.locator('#detail-record').textContent()).toContain(account!.split('/')[1]);
    const shot = join(shots, 'dashboard-synthetic.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
    await page.close();
  }, 120_000);

  it('follows the ledger as it grows, and agrees with the CLI query and the API', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    const ledger = sqliteEventStore(ledgerPath, { create: false });
    headHash = await appendTransferBlock(ledger, HEAD, headHash);
    await ledger.close();
    await page.waitForFunction(headShown(HEAD + 1), undefined, { timeout: 60_000 });
    const api = await apiJson('/api/head');
    const cli = spawnSync(process.execPath, [bin, 'query', 'head', '--store', store, '--json'], { encoding: 'utf8', cwd: root, timeout: 60_000 });
    expect(cli.status).toBe(0);
    const fromCli = JSON.parse(cli.stdout) as { item: { number: number; hash: string } };
    expect(api.item).toEqual(fromCli.item);
    expect(api.item.number).toBe(HEAD + 1);
    expect(await page.locator('#head-hash').textContent()).toContain(api.item.hash.slice(0, 10));
    await page.close();
  }, 120_000);

  it('SIGTERM closes the server and exits 0', async () => {
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(stderr).toMatch(/serve: SIGTERM: closing/);
  }, 60_000);
});

type Worker = { pubkey: string; state: string; payoutTotal: string; payoutCount: number };
type FinanceEntry = { block: number; kind: string; vBits: string; payout: string | null };
const simApi = async <T>(path: string) => (await (await fetch(new URL(path, simUrl))).json()) as { items: T[]; item: T };

describe('the dashboard over a simulated ledger', () => {
  it('shows workers by state, pools and gatekeepers from the read models', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(simUrl);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#workers table');
    const workers = (await simApi<Worker>('/api/workers?limit=1000')).items;
    expect(workers.some((w) => w.state === 'WorkerIdle')).toBe(true);
    // one bar per state, each as tall as the API's count
    const bars = await page.locator('#workers-chart rect.mark').evaluateAll((rects) => rects.map((r) => [r.getAttribute('data-label'), Number(r.getAttribute('data-value'))]));
    expect(bars).toEqual(['Registered', 'Ready', 'WorkerIdle', 'WorkerUnresponsive', 'WorkerCoolingDown'].map((s) => [s, workers.filter((w) => w.state === s).length]));
    expect(await page.locator('#workers-count').textContent()).toBe(`${workers.length} workers`);
    const pools = (await simApi<{ pid: string }>('/api/pools')).items;
    expect(await page.locator('#pools a[data-testid="link-pools"]').count()).toBe(pools.length);
    expect(await page.locator('#pools').textContent()).toMatch(/StakePool.*10\.00%.*PHA/);
    const gatekeepers = (await simApi<{ pubkey: string }>('/api/gatekeepers')).items;
    expect(gatekeepers.length).toBeGreaterThan(0);
    expect(await page.locator('#gatekeepers tr').count()).toBe(gatekeepers.length + 1);
    expect(await page.locator('#gatekeepers').textContent()).toContain('rotation 0');
    await page.screenshot({ path: join(shots, 'dashboard-simulated.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('a click on a worker opens its detail: state, V, payouts, the finance log and its charts', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(simUrl);
    await page.waitForSelector('#workers a[data-testid="link-workers"]');
    // the table lists computing workers first, the best paid on top
    const link = page.locator('#workers a[data-testid="link-workers"]').first();
    const pubkey = (await link.getAttribute('href'))!.split('/')[1]!;
    await link.click();
    await page.waitForSelector('#detail:not([hidden]) #detail-log table');
    const worker = (await simApi<Worker & { vBits: string }>(`/api/workers/${pubkey}`)).item;
    const log = (await simApi<FinanceEntry>(`/api/finance/${pubkey}?limit=1000`)).items;
    expect(worker.state).toBe('WorkerIdle');
    expect(worker.payoutCount).toBeGreaterThan(0);
    expect(await page.locator('#detail-title').textContent()).toBe(`worker ${pubkey.slice(0, 10)}…${pubkey.slice(-6)}`);
    const v = Number((BigInt(worker.vBits) * 1_000_000n) >> 64n) / 1e6;
    const summary = await page.locator('#detail-summary').textContent();
    expect(summary).toContain(`WorkerIdle · V ${v.toLocaleString('en-US', { maximumFractionDigits: 4 })}`);
    expect(summary).toContain(`in ${worker.payoutCount} payouts`);
    expect(await page.locator('#detail-log-title').textContent()).toBe(`Finance log (${log.length})`);
    expect(await page.locator('#detail-log tr').count()).toBe(log.length + 1);
    expect(await page.locator('#chart-v circle.mark').count()).toBe(log.length);
    const paid = log.filter((e) => e.payout !== null);
    expect(paid.length).toBeGreaterThan(0);
    expect(await page.locator('#chart-payout circle.mark').count()).toBe(paid.length);
    const shot = join(shots, 'dashboard-worker.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
    // the pool link in the record opens the pool, whose workers include this one
    await page.locator('#detail-record a[href^="#pools/"]').click();
    await page.waitForFunction(`document.getElementById('detail-title')?.textContent.startsWith('pool ')`);
    await page.waitForSelector(`#detail-log a[href="#workers/${pubkey}"]`);
    await page.close();
  }, 120_000);
});
