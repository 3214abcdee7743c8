/**
 * `phalanet replay` as a user runs it, on the committed v1 ledger fixture (`test/fixtures/
 * ledger-v1.db`, written by `scripts/make-ledger-fixture.ts`): it must replay for good, whatever
 * the record format becomes. Tampered copies must fail naming the tampered block.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BlockScale } from '../../domain/chain/block';
import { blockRecord } from '../../domain/chain/ledger';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';
import { forgeFirstPaidReport, quickstartScenario, simulatedLedger } from '../../simulations/testing/tamperedReport';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const fixture = join(root, 'test', 'fixtures', 'ledger-v1.db');
const HEAD_HASH = '0x5de71fe811acce2a1af39edca6cbe1e68bfbb9dc6ff9632b3284180d33a49249';
const dir = mkdtempSync(join(tmpdir(), 'phalanet-replay-e2e-'));
const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: dir, timeout: 60_000 });

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'replay.js'))) {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the fixture changed by `edit` through SQL. */
function copyWith(name: string, edit: (db: Database.Database) => void): string {
  const path = join(dir, name);
  copyFileSync(fixture, path);
  const db = new Database(path);
  edit(db);
  db.close();
  return path;
}

/** Flips one byte inside block k's first extrinsic, in the stored record. */
function flipExtrinsicByte(db: Database.Database, k: number): void {
  const row = db.prepare("SELECT data FROM events WHERE stream_id = 'chain' AND version = ?").get(k) as { data: Buffer };
  const data = Buffer.from(row.data);
  const extrinsic = BlockScale.decode(new Uint8Array(data)).extrinsics[0]!;
  const at = data.indexOf(Buffer.from(extrinsic)) + 40;
  data[at] = data[at]! ^ 0xff;
  db.prepare("UPDATE events SET data = ? WHERE stream_id = 'chain' AND version = ?").run(data, k);
}

describe('phalanet replay', () => {
  it('replays the v1 fixture: exit 0, verified, head hash pinned', () => {
    const r = run(['replay', '--store', `sqlite:${fixture}`, '--verify', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ head: { number: 30, hash: HEAD_HASH }, blocks: 31, verified: true, mismatches: 0 });
    expect(out.mismatch).toBeUndefined();
    expect(out.head.stateRoot).toMatch(/^0x[0-9a-f]{64}$/);
    expect(typeof out.durationMs).toBe('number');
  });

  it('--to-block N stops at block N; text output without --json', () => {
    const r = run(['replay', '--store', `sqlite:${fixture}`, '--to-block', '7', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ head: { number: 7 }, blocks: 8, verified: true });
    const text = run(['replay', '--store', `sqlite:${fixture}`, '--to-block', '3']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/head:\s+#3 0x/);
    expect(text.stdout).toMatch(/verified:\s+yes/);
  });

  it('one changed byte inside block k: --verify exits 1 naming block k', () => {
    const path = copyWith('tampered.db', (db) => flipExtrinsicByte(db, 12));
    const r = run(['replay', '--store', `sqlite:${path}`, '--verify', '--json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ verified: false, mismatches: 1, mismatch: { block: 12, what: 'extrinsicsRoot' }, blocks: 12 });
    expect(r.stderr).toMatch(/block 12: extrinsicsRoot mismatch/);
  });

  it('without --verify it counts every bad block and goes on to the head', () => {
    const path = copyWith('tampered2.db', (db) => {
      flipExtrinsicByte(db, 5);
      flipExtrinsicByte(db, 20);
    });
    const r = run(['replay', '--store', `sqlite:${path}`, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: false, mismatch: { block: 5 }, head: { number: 30 } });
    expect(JSON.parse(r.stdout).mismatches).toBeGreaterThanOrEqual(2);
  });

  it('a ledger with a missing version is truncated: exit 1', () => {
    const path = copyWith('gap.db', (db) => db.prepare("DELETE FROM events WHERE stream_id = 'chain' AND version = 9").run());
    const r = run(['replay', '--store', `sqlite:${path}`, '--json']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: false, mismatch: { block: 9, what: 'decode' } });
  });

  it('a store without a ledger is bad input: exit 2 with one clear line', async () => {
    const store = sqliteEventStore(join(dir, 'empty.db'));
    await store.append('worker-0x01', [{ type: 'WorkerStarted', schemaVersion: 1, data: new Uint8Array() }], 'no-stream');
    await store.close();
    const r = run(['replay', '--store', `sqlite:${join(dir, 'empty.db')}`, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no ledger in sqlite:.*empty\.db: the chain stream is empty; run `phalanet simulate` first/);
  });

  it.each([
    ['a bad URL', ['--store', 'ftp://x']],
    ['a missing file', ['--store', `sqlite:${join(dir, 'absent.db')}`]],
    ['no --store', []],
    ['a bad --to-block', ['--store', `sqlite:${fixture}`, '--to-block', 'ten']],
  ])('%s: exit 2', (_, args) => {
    const r = run(['replay', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--rebuild-projections folds every projection again from block 0, beside the ledger, never into it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phalanet-replay-proj-'));
    const ledger = join(dir, 'ledger.db');
    copyFileSync(fixture, ledger);
    const r = run(['replay', '--store', `sqlite:${ledger}`, '--to-block', '5', '--rebuild-projections', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verified: true, blocks: 6 });
    for (const name of ['blocks', 'events', 'accounts', 'rewards']) expect(r.stderr).toMatch(new RegExp(`projection ${name} v\\d+ rebuilt to block 5`));
    expect(existsSync(`${ledger}.projections.db`)).toBe(true);
    const q = run(['query', 'head', '--store', `sqlite:${ledger}`, '--at-block', '5', '--json']);
    expect(q.status).toBe(0);
    expect(JSON.parse(q.stdout).item.number).toBe(5);
  });

  it('a forged gatekeeper report (re-signed, re-sealed): exit 1, gatekeeperReport at the block the report is for', async () => {
    const scenario = quickstartScenario(7n, 40);
    const forged = await forgeFirstPaidReport(scenario, await simulatedLedger(scenario));
    const path = join(dir, 'forged-report.db');
    const store = sqliteEventStore(path);
    for (const [n, b] of forged.blocks.entries()) await store.append('chain', [blockRecord(b)], n === 0 ? 'no-stream' : n - 1);
    await store.close();
    for (const verify of [['--verify'], []]) {
      const r = run(['replay', '--store', `sqlite:${path}`, ...verify, '--json']);
      expect(r.status).toBe(1);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ verified: false, mismatches: 1, mismatch: { block: forged.reportFor, what: 'gatekeeperReport' } });
      // --verify stops inside the block carrying the report; without it replay reaches the head
      expect(out.head.number).toBe(verify.length === 1 ? forged.carriedIn - 1 : forged.carriedIn);
      expect(out.mismatch.detail).toContain(`worker ${forged.worker} payout`);
    }
  }, 120_000);
});
