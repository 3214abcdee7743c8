/**
 * `phalanet serve` as a user runs it, with the dashboard driven in Debian's headless Chromium by
 * playwright-core (installed by scripts/chromium.cjs when missing). The compiled bin serves a
 * small SQLite ledger on a free port; the page shows the head and the rewards chart, a click
 * opens an account's detail view, a screenshot is saved, and a block appended to the ledger
 * reaches the page without a reload. The CLI query, the API and the page agree on the head.
 * SIGTERM stops the server with exit 0.
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
// scripts/chromium.cjs is plain CommonJS shared with scripts/services.mjs
const chromiumScript = require('../scripts/chromium.cjs') as { ensure(): string; CHROMIUM_ARGS: string[] };

let server: ChildProcessWithoutNullStreams;
let stderr = '';
let url = '';
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
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'serve.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const ledger = sqliteEventStore(ledgerPath);
  headHash = await appendSampleBlocks(ledger);
  await ledger.close();
  server = spawn(process.execPath, [bin, 'serve', '--store', store, '--port', '0', '--follow-ms', '100'], { cwd: root });
  server.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  url = await firstLine(server);
  browser = await chromium.launch({ executablePath, headless: true, args: chromiumScript.CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (server !== undefined && server.exitCode === null) {
    server.kill('SIGKILL');
    await exited(server);
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
    expect(await page.locator('#detail-title').textContent()).toContain('accounts');
    expect(await page.locator('#detail-record').textContent()).toContain(account!.split('/')[1]);
    const shot = join(dir, 'dashboard.png');
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
