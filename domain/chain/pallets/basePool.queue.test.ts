/** Withdraw-queue rules (§14 F5) and withdraw edge semantics (F14), each as a named spec. */
import { createRuntime } from '../../runtime/runtime';
import { Storage } from '../../runtime/storage';
import type { RuntimeEvent, Tagged } from '../../runtime/types';
import { basePoolPallet } from './basePool.pallet';
import { basePool, positionOf } from './poolStorage';
import { acct, PhalaMock, PHA, signed, sp, worker } from './testing/poolTestKit';

const baseEvents = (events: readonly RuntimeEvent[], tag: string) => events.filter((e) => e.tag === 'PhalaBasePool' && (e.value as Tagged).tag === tag).map((e) => (e.value as Tagged).value);

/** pool 0 (owner 1, worker 1); contributions in order; the worker started with `stake` */
function pool(contributions: readonly (readonly [number, bigint])[], stake: bigint, min = 1n): PhalaMock {
  const m = new PhalaMock({ wphaMinimumBalance: min });
  for (const who of [1, 2, 3, 99]) m.wrap(acct(who), 500n * PHA);
  m.setupWorkers(1);
  m.setupStakePool(acct(1), [1]);
  for (const [who, amount] of contributions) m.ok(signed(acct(who)), sp('contribute', { pid: 0n, amount }));
  if (stake > 0n) m.ok(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake }));
  return m;
}
let m: PhalaMock;
afterEach(() => expect(m.refoldMatches()).toBe(true));

describe('withdraw queue (F5)', () => {
  it('Withdrawal events come after the loop, one per user, in account-byte order — not queue order', () => {
    m = pool([[99, 100n * PHA], [2, 100n * PHA], [3, 100n * PHA]], 300n * PHA);
    m.ok(signed(acct(99)), sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    expect(basePool(m.storage, 0n).withdrawQueue.map((w) => w.user)).toEqual([acct(99), acct(2)]);
    const events = m.ok(signed(acct(3)), sp('contribute', { pid: 0n, amount: 20n * PHA }));
    expect(baseEvents(events, 'SharesRedeemed').map((e) => (e as { user: string }).user)).toEqual([acct(99), acct(2)]);
    expect(baseEvents(events, 'Withdrawal').map((e) => (e as { user: string }).user)).toEqual([acct(2), acct(99)]);
  });

  it('a dust request at the front is burnt: total_shares drops, total_value stays, the price rises', () => {
    m = pool([[2, 100n * PHA]], 0n, 100_000_000n);
    const events = m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 50_000_000n }));
    expect(baseEvents(events, 'Withdrawal')).toEqual([{ pid: 0n, user: acct(2), amount: 0n, shares: 0n, burntShares: 50_000_000n }]);
    const bp = basePool(m.storage, 0n);
    expect([bp.totalShares, bp.totalValue, bp.withdrawQueue.length]).toEqual([100n * PHA - 50_000_000n, 100n * PHA, 0]);
  });

  it('a residue of at most 1000 shares is swept into the served shares', () => {
    m = pool([[3, 100n * PHA], [2, 100n * PHA - 500n]], 100n * PHA);
    const before = basePool(m.storage, 0n).totalShares;
    const events = m.ok(signed(acct(3)), sp('withdraw', { pid: 0n, shares: 100n * PHA }));
    const [w] = baseEvents(events, 'Withdrawal') as { amount: bigint; shares: bigint; burntShares: bigint }[];
    expect(w!.shares).toBe(100n * PHA);
    expect(w!.burntShares).toBe(0n);
    expect(w!.amount).toBeLessThanOrEqual(100n * PHA - 500n);
    expect(basePool(m.storage, 0n).withdrawQueue).toEqual([]);
    expect(basePool(m.storage, 0n).totalShares).toBe(before - 100n * PHA);
  });

  it('a remainder worth at most the W-PHA minimum is burnt and popped after a partial fill', () => {
    m = pool([[3, 100n * PHA], [2, 100n * PHA - 50_000_000n]], 100n * PHA, 100_000_000n);
    const events = m.ok(signed(acct(3)), sp('withdraw', { pid: 0n, shares: 100n * PHA }));
    const [w] = baseEvents(events, 'Withdrawal') as { shares: bigint; burntShares: bigint }[];
    expect(w!.burntShares > 1000n && w!.burntShares <= 100_000_000n).toBe(true);
    expect(w!.shares + w!.burntShares).toBe(100n * PHA);
    expect(basePool(m.storage, 0n).withdrawQueue).toEqual([]);
  });

  it('the loop stops at the W-PHA minimum of free stake, leaving the request queued', () => {
    m = pool([[2, 100n * PHA + 50_000_000n]], 100n * PHA, 100_000_000n);
    const events = m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    expect(baseEvents(events, 'Withdrawal')).toEqual([]);
    expect(basePool(m.storage, 0n).withdrawQueue.map((w) => w.shares)).toEqual([10n * PHA]);
  });

  it('free stake that is itself dust serves nothing (Phala would redeem one share for 0 W-PHA per pass, for as many passes as the request has shares)', () => {
    // found by pools.property.test.ts: a W-PHA minimum of 1 unit and 2 units of free stake
    m = pool([[2, 200n * PHA]], 200n * PHA - 2n, 1n);
    const events = m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    expect(baseEvents(events, 'SharesRedeemed')).toEqual([]);
    expect(basePool(m.storage, 0n).withdrawQueue.map((w) => w.shares)).toEqual([10n * PHA]);
  });

  it('amounts use the live price: a dust request burnt earlier in the pass raises what the next one gets', () => {
    m = pool([[2, 100n * PHA], [3, 100n * PHA]], 200n * PHA, 100_000_000n);
    m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 50_000_000n }));
    m.ok(signed(acct(3)), sp('withdraw', { pid: 0n, shares: 50n * PHA }));
    expect(basePool(m.storage, 0n).withdrawQueue.map((w) => w.shares)).toEqual([50_000_000n, 50n * PHA]);
    m.ok(signed(acct(1)), sp('stop_computing', { pid: 0n, worker: worker(1) }));
    m.elapse(7 * 24 * 3600);
    const events = m.ok(signed(acct(1)), sp('reclaim_pool_worker', { pid: 0n, worker: worker(1) }));
    const [a, b] = baseEvents(events, 'Withdrawal') as { user: string; amount: bigint; shares: bigint; burntShares: bigint }[];
    expect([a!.user, a!.amount, a!.burntShares]).toEqual([acct(2), 0n, 50_000_000n]);
    expect(b!.user).toBe(acct(3));
    expect(b!.shares).toBe(50n * PHA);
    // at the pass price (1.0) 50 shares would pay at most 50 PHA
    expect(b!.amount > 50n * PHA).toBe(true);
  });

  it('total_value drops to 0 when what a redemption leaves is dust', () => {
    m = pool([], 0n);
    const runtime = createRuntime([basePoolPallet]);
    const s = new Storage();
    for (const e of m.events) if (e.tag === 'PhalaBasePool' || e.tag === 'PhalaStakePoolv2') m.runtime.evolve(s, e, m.block);
    runtime.evolve(s, { tag: 'PhalaBasePool', value: { tag: 'RewardDistributed', value: { pid: 0n, amount: 10_500n } } }, m.block);
    runtime.evolve(s, { tag: 'PhalaBasePool', value: { tag: 'SharesRedeemed', value: { pid: 0n, user: acct(2), shares: 0n, amount: 10_000n } } }, m.block);
    expect(basePool(s, 0n).totalValue).toBe(0n);
  });
});

describe('withdraw edge semantics (F14)', () => {
  it('re-submitting merges the old request back and queues the new one at the back with a fresh start time', () => {
    m = pool([[2, 100n * PHA], [3, 100n * PHA]], 200n * PHA);
    m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    m.elapse(100);
    m.ok(signed(acct(3)), sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    m.elapse(100);
    const events = m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 30n * PHA }));
    expect(baseEvents(events, 'SharesMerged')).toEqual([{ pid: 0n, user: acct(2), shares: 10n * PHA }]);
    const queue = basePool(m.storage, 0n).withdrawQueue;
    expect(queue.map((w) => [w.user, w.shares])).toEqual([[acct(3), 10n * PHA], [acct(2), 30n * PHA]]);
    expect(queue[1]!.startTime - queue[0]!.startTime).toBe(100n);
    expect(positionOf(m.storage, 0n, acct(2))).toBe(70n * PHA);
  });

  it('a user whose shares are all queued keeps an empty position (code, not F14): withdraw still works; a stranger gets NoNftToWithdraw', () => {
    m = pool([[2, 100n * PHA]], 100n * PHA);
    m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 100n * PHA }));
    expect(positionOf(m.storage, 0n, acct(2))).toBe(0n);
    m.ok(signed(acct(2)), sp('withdraw', { pid: 0n, shares: 60n * PHA }));
    expect(basePool(m.storage, 0n).withdrawQueue.map((w) => w.shares)).toEqual([60n * PHA]);
    expect(positionOf(m.storage, 0n, acct(2))).toBe(40n * PHA);
    m.rejects(signed(acct(3)), sp('withdraw', { pid: 0n, shares: PHA }), 'NoNftToWithdraw');
  });
});
