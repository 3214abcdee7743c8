/**
 * `phalanet query` as a user runs it: a small ledger of the Phala runtime's events in a temp
 * SQLite file, the compiled bin spawned against it (built here only when dist/ lacks the command).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Block, blockCodec, eventRecordCodec } from '../../domain/chain/block';
import { PHA, acct, worker } from '../../domain/chain/pallets/testing/poolTestKit';
import { createPhalaRuntime } from '../../domain/chain/phalaRuntime';
import { type BlockHeader, blockHash } from '../../domain/codec/blockHeader.codec';
import type { EventRecord, Tagged } from '../../domain/runtime/types';
import { sqliteEventStore } from '../../infra/store/sqliteEventStore';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'phalanet.js');
const dir = mkdtempSync(join(tmpdir(), 'phalanet-query-e2e-'));
const ledgerPath = join(dir, 'ledger.db');
const store = `sqlite:${ledgerPath}`;
const run = (args: string[]) => spawnSync(process.execPath, [bin, 'query', ...args], { encoding: 'utf8', cwd: root, timeout: 60_000 });
const json = (args: string[]) => {
  const r = run([...args, '--store', store, '--json']);
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown> & { items: Record<string, unknown>[]; next: string | null; item: Record<string, unknown>; meta: Record<string, unknown> };
};

const runtime = createPhalaRuntime();
const records = eventRecordCodec(runtime.eventCodec);
const ev = (pallet: string, tag: string, value: object): EventRecord => ({ phase: { tag: 'Finalization', value: undefined }, event: { tag: pallet, value: { tag, value } as Tagged } });
const [alice, bob, charlie, treasury, stranger] = [acct(1), acct(2), acct(3), acct(9), acct(0x42)];
const ONE = 1n << 64n; // 1.0 in U64F64 bits

// block n holds eventsPerBlock[n]
const eventsPerBlock: EventRecord[][] = [
  [ev('Balances', 'Endowed', { account: alice, freeBalance: 1000n * PHA }), ev('Balances', 'Endowed', { account: bob, freeBalance: 500n * PHA })],
  [ev('Balances', 'Transfer', { from: alice, to: bob, amount: 100n * PHA }), ev('Balances', 'ExtrinsicSuccess', { who: alice, nonce: 0 })],
  [
    ev('Balances', 'Transfer', { from: alice, to: treasury, amount: 500n }),
    ev('PhalaComputation', 'SessionSettled', { session: acct(5), vBits: ONE, payoutBits: 3n * ONE }),
    ev('PhalaStakePoolv2', 'RewardReceived', { pid: 4n, toOwner: PHA, toStakers: 2n * PHA }),
  ],
  [ev('Balances', 'Transfer', { from: bob, to: charlie, amount: 50n * PHA }), ev('Balances', 'ExtrinsicSuccess', { who: bob, nonce: 0 })],
  [],
  [ev('PhalaStakePoolv2', 'RewardDismissedNotInPool', { worker: worker(7), amount: 11n })],
  [ev('Balances', 'Transfer', { from: alice, to: charlie, amount: 10n * PHA }), ev('Balances', 'ExtrinsicSuccess', { who: alice, nonce: 1 })],
];
const HEAD = eventsPerBlock.length - 1;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'infra', 'cli', 'commands', 'query.js'))) execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'ignore' });
  const zero = new Uint8Array(32);
  const ledger = sqliteEventStore(ledgerPath);
  let parent: Uint8Array = zero;
  for (const [number, events] of eventsPerBlock.entries()) {
    const header: BlockHeader = { number, parentHash: parent, timestamp: BigInt(1_700_000_000_000 + number * 12_000), extrinsicsRoot: zero, eventsRoot: zero, outboundRoot: zero, stateRoot: zero, author: zero };
    parent = blockHash(header);
    const block: Block = { header, genesis: undefined, extrinsics: [], events: events.map((e) => records.enc(e)), outbound: [] };
    await ledger.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data: blockCodec.enc(block) }], number === 0 ? 'no-stream' : number - 1);
  }
  await ledger.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expectExit = (r: ReturnType<typeof run>, code: number, pattern: RegExp) => {
  expect(r.stderr).toMatch(pattern);
  expect(r.status).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
};

describe('phalanet query over a SQLite ledger', () => {
  it('head: the last block, with meta naming every projection caught up, and a readable record without --json', () => {
    const out = json(['head']);
    expect(out.item).toMatchObject({ number: HEAD, eventCount: 2 });
    expect(out.meta).toMatchObject({ block: HEAD, hash: out.item.hash });
    expect((out.meta.projections as { name: string; state: string }[]).map((p) => [p.name, p.state])).toEqual([
      ['blocks', 'caught-up'],
      ['events', 'caught-up'],
      ['accounts', 'caught-up'],
      ['rewards', 'caught-up'],
      ['workers', 'caught-up'],
      ['finance', 'caught-up'],
      ['gatekeepers', 'caught-up'],
      ['pools', 'caught-up'],
      ['clusters', 'caught-up'],
      ['contracts', 'caught-up'],
    ]);
    expect(existsSync(`${ledgerPath}.projections.db`)).toBe(true);
    const text = run(['head', '--store', store]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^number:\\s+${HEAD}$`, 'm'));
  });

  it('blocks: newest first, paged with limit and the next cursor; a table on stdout without --json', () => {
    const first = json(['blocks', '--limit', '3']);
    expect(first.items.map((b) => b.number)).toEqual([6, 5, 4]);
    expect(first.next).toBe('4');
    const second = json(['blocks', '--limit', '3', '--after', first.next!]);
    expect(second.items.map((b) => b.number)).toEqual([3, 2, 1]);
    const last = json(['blocks', '--limit', '3', '--after', second.next!]);
    expect(last.items.map((b) => b.number)).toEqual([0]);
    expect(last.next).toBeNull();
    const text = run(['blocks', '--limit', '2', '--store', store]);
    expect(text.status).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^number\s+hash\s+timestampMs/);
    expect(lines[1]).toMatch(/^6\s+0x[0-9a-f]{64}\s+1700000072000/);
    expect(text.stderr).toMatch(/more: --after 5/);
  });

  it('block: one block by number; an unknown number is exit 1', () => {
    expect(json(['block', '2']).item).toMatchObject({ number: 2, eventCount: 3 });
    expectExit(run(['block', '99', '--store', store]), 1, /block 99 does not exist/);
  });

  it('events: filtered by pallet, by name, by account, by worker, paged by cursor', () => {
    const balances = json(['events', '--pallet', 'Balances']);
    expect(balances.items).toHaveLength(9);
    const transfers = json(['events', '--name', 'Balances.Transfer', '--limit', '2']);
    expect(transfers.items.map((e) => e.block)).toEqual([1, 2]);
    const rest = json(['events', '--name', 'Balances.Transfer', '--limit', '2', '--after', transfers.next!]);
    expect(rest.items.map((e) => e.block)).toEqual([3, 6]);
    expect(rest.next).toBeNull();
    expect(json(['events', '--account', charlie]).items.map((e) => `${e.block}:${e.name}`)).toEqual(['3:Transfer', '6:Transfer']);
    expect(json(['events', '--worker', worker(7)]).items.map((e) => e.name)).toEqual(['RewardDismissedNotInPool']);
    expect(json(['events', '--pallet', 'Balances', '--from-block', '2', '--to-block', '3']).items.map((e) => e.block)).toEqual([2, 3, 3]);
  });

  it('account and accounts: balances and nonce as 0x ids; --at-block travels back in time', () => {
    expect(json(['account', alice]).item).toEqual({ account: alice, free: (890n * PHA - 500n).toString(), nonce: 2, wpha: '0' });
    const past = json(['account', alice, '--at-block', '1']);
    expect(past.item).toEqual({ account: alice, free: (900n * PHA).toString(), nonce: 1, wpha: '0' });
    expect(past.meta.block).toBe(1);
    expect(json(['accounts', '--at-block', '0']).items.map((a) => a.account)).toEqual([alice, bob]);
    const all = json(['accounts', '--limit', '2']);
    expect(all.items.map((a) => a.account)).toEqual([alice, bob]);
    expect(json(['accounts', '--limit', '2', '--after', all.next!]).items.map((a) => a.account)).toEqual([charlie, treasury]);
    expect(json(['head', '--at-block', '3']).item).toMatchObject({ number: 3 });
  });

  it('rewards: per block, oldest first; --at-block bounds the blocks', () => {
    const rewards = json(['rewards']);
    expect(rewards.items).toEqual([
      { block: 2, settledSessions: 1, payout: (3n * PHA).toString(), treasury: '500', toOwners: PHA.toString(), toStakers: (2n * PHA).toString(), dismissed: '0' },
      { block: 5, settledSessions: 0, payout: '0', treasury: '0', toOwners: '0', toStakers: '0', dismissed: '11' },
    ]);
    expect(json(['rewards', '--at-block', '4']).items.map((r) => r.block)).toEqual([2]);
  });

  it('unknown account, --at-block past the head: exit 1 with one line', () => {
    expectExit(run(['account', stranger, '--store', store]), 1, /account 0x4242.* has no record/);
    expectExit(run(['head', '--at-block', '100', '--store', store]), 1, /--at-block 100 is past the chain head \(block 6\)/);
  });

  it('bad input is exit 2 naming the flag: bad values, filters that do not apply, unknown resources, a missing store', () => {
    expectExit(run(['blocks', '--limit', '1001', '--store', store]), 2, /--limit "1001" is not a page size from 1 to 1000/);
    expectExit(run(['events', '--account', '0x12', '--store', store]), 2, /--account "0x12" is not 0x followed by 64 hex digits/);
    expectExit(run(['blocks', '--from-block', '-1', '--store', store]), 2, /--from-block "-1"/);
    expectExit(run(['events', '--after', 'abc', '--store', store]), 2, /--after "abc" is not an event cursor/);
    expectExit(run(['head', '--pallet', 'Balances', '--store', store]), 2, /--pallet does not apply to head/);
    expectExit(run(['block', 'x', '--store', store]), 2, /block id "x" is not a block number/);
    expectExit(run(['frobs', '--store', store]), 2, /^phalanet: query: unknown resource "frobs"; available: head, blocks, block, events, accounts, account, workers, worker, finance, gatekeepers, pools, pool, rewards, clusters, contracts, contract$/m);
    expectExit(run(['head', '--store', `sqlite:${join(dir, 'missing.db')}`]), 2, /missing\.db/);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    expectExit(run(['head']), 2, /--store URL is required/);
  });
});
