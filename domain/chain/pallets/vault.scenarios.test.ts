/**
 * Phala's vault tests (`pallets/phala/src/test.rs` and the insta snapshots withdraw4–9,
 * vault_partial_force_withdraw, vault_force_withdraw_after_3x_grace_period,
 * vault_force_withdraw_with_dust_investment) with their exact numbers; §14 F22, F23, F24.
 */
import { isRight } from 'fp-ts/Either';
import type { Tagged } from '../../runtime/types';
import { ensureStakePool, ensureVault, positionOf, sharePrice, type StakePool, type Vault, VaultLocks } from './poolStorage';
import { account } from './balances.pallet';
import { WPHA_ACCOUNT } from './poolAccounts';
import { acct, eventsOf, fp, PhalaMock, PHA, signed, sp, vaultCall, worker } from './testing/poolTestKit';
import { wphaBalance } from './wrappedBalances.pallet';

let m: PhalaMock;
afterEach(() => expect(m.refoldMatches()).toBe(true));

const pool = (pid: bigint): StakePool => {
  const p = ensureStakePool(m.storage, pid);
  if (!isRight(p)) throw new Error('no stake pool');
  return p.right;
};
const vault = (pid: bigint): Vault => {
  const v = ensureVault(m.storage, pid);
  if (!isRight(v)) throw new Error('no vault');
  return v.right;
};
const wp = (who: string) => wphaBalance(m.storage, who);
const spContribute = (who: string, pid: bigint, amount: bigint, asVault?: bigint) => m.ok(signed(who), sp('contribute', { pid, amount, asVault }));
const vContribute = (who: string, pid: bigint, amount: bigint) => m.ok(signed(who), vaultCall('contribute', { pid, amount }));
const queueOf = (pid: bigint, kind: 'pool' | 'vault') => (kind === 'pool' ? pool(pid).basepool : vault(pid).basepool).withdrawQueue.map((w) => [w.user, w.shares]);
/** Phala's visible pool events: queue, withdrawal, vault owner shares, shutdown. */
const visible = (events: readonly { tag: string; value: unknown }[]) =>
  events
    .filter((e) => e.tag === 'PhalaBasePool' || e.tag === 'PhalaVault' || e.tag === 'PhalaStakePoolv2')
    .map((e) => e.value as Tagged)
    .filter((e) => ['WithdrawalQueued', 'Withdrawal', 'OwnerSharesGained', 'ForceShutdown', 'Contribution'].includes(e.tag));

describe('Vault scenarios from Phala', () => {
  it('test_contribute: a vault invests through as_vault and subscribes to the pool', () => {
    m = new PhalaMock();
    m.setupWorkers(2);
    const pid = m.setupStakePool(acct(1), [1, 2]);
    m.rejects(signed(acct(1)), sp('contribute', { pid, amount: 50n * PHA }), 'InsufficientBalance');
    m.wrap(acct(1), 500n * PHA);
    m.wrap(acct(2), 500n * PHA);
    spContribute(acct(1), pid, 50n * PHA);
    spContribute(acct(2), pid, 50n * PHA);
    spContribute(acct(1), pid, 30n * PHA);
    expect(positionOf(m.storage, pid, acct(1))).toBe(80n * PHA);
    expect(positionOf(m.storage, pid, acct(2))).toBe(50n * PHA);
    expect([pool(pid).basepool.totalShares, pool(pid).basepool.totalValue, wp(pool(pid).basepool.poolAccountId)]).toEqual([130n * PHA, 130n * PHA, 130n * PHA]);
    const v = m.setupVault(acct(1));
    vContribute(acct(2), v, 200n * PHA);
    expect([vault(v).basepool.totalShares, vault(v).basepool.totalValue, wp(vault(v).basepool.poolAccountId)]).toEqual([200n * PHA, 200n * PHA, 200n * PHA]);
    m.rejects(signed(acct(2)), sp('contribute', { pid, amount: 10n * PHA, asVault: v }), 'UnauthorizedPoolOwner');
    spContribute(acct(1), pid, 100n * PHA, v);
    expect([pool(pid).basepool.totalShares, pool(pid).basepool.totalValue]).toEqual([230n * PHA, 230n * PHA]);
    expect(pool(pid).basepool.valueSubscribers).toEqual([v]);
    expect([vault(v).basepool.totalShares, vault(v).basepool.totalValue, wp(vault(v).basepool.poolAccountId)]).toEqual([200n * PHA, 200n * PHA, 100n * PHA]);
    expect(vault(v).investPools).toEqual([pid]);
  });

  it('test_on_reward_for_vault (F24): the vault value grows by its share of the stakers part; no W-PHA moves', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
    m.setupWorkers(1);
    const v = m.setupVault(acct(3));
    const pid = m.setupStakePool(acct(1), [1]);
    m.ok(signed(acct(1)), sp('set_payout_pref', { pid, payoutCommission: 500_000 }));
    vContribute(acct(3), v, 100n * PHA);
    spContribute(acct(3), pid, 50n * PHA, v);
    spContribute(acct(2), pid, 50n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    m.settle([[worker(1), fp(100)]]);
    expect(wp(pool(pid).ownerRewardAccount)).toBe(50n * PHA);
    expect(wp(pool(pid).basepool.poolAccountId)).toBe(50n * PHA);
    expect([pool(pid).basepool.totalValue, pool(pid).basepool.totalShares]).toEqual([150n * PHA, 100n * PHA]);
    expect([vault(v).basepool.totalValue, wp(vault(v).basepool.poolAccountId), vault(v).basepool.totalShares]).toEqual([125n * PHA, 50n * PHA, 100n * PHA]);
    expect(account(m.storage, WPHA_ACCOUNT).free).toBe(1600n * PHA);
  });

  it('F24: the vault ratio is cut to 12 decimals before it multiplies the reward', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.wrap(acct(2), 500n * PHA);
    m.setupWorkers(1);
    const v = m.setupVault(acct(1));
    const pid = m.setupStakePool(acct(1), [1]);
    vContribute(acct(2), v, 100n * PHA);
    spContribute(acct(1), pid, 100n * PHA, v);
    spContribute(acct(1), pid, 200n * PHA);
    m.settle([[worker(1), fp(30)]]);
    // ratio 1/3 → 333333333333 units as a balance; back to fixed and ×30 PHA (both truncating):
    // 9.999999999989 PHA, not 10 (checked against §14.H's Python model)
    expect(vault(v).basepool.totalValue).toBe(100n * PHA + 9_999_999_999_989n);
    expect(pool(pid).basepool.totalValue).toBe(330n * PHA);
  });

  it('test_vault_owner_shares (F22): 50 % of a 50 PHA gain as 20 owner shares, claimed into a position', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
    m.setupWorkers(1);
    const v = m.setupVault(acct(3));
    m.ok(signed(acct(3)), vaultCall('set_payout_pref', { pid: v, payoutCommission: 500_000 }));
    const pid = m.setupStakePool(acct(1), [1]);
    vContribute(acct(3), v, 100n * PHA);
    spContribute(acct(3), pid, 50n * PHA, v);
    expect(vault(v).commission).toBe(500_000);
    m.ok(signed(acct(3)), vaultCall('maybe_gain_owner_shares', { vaultPid: v }));
    expect(vault(v).ownerShares).toBe(0n);
    spContribute(acct(2), pid, 50n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    m.settle([[worker(1), fp(100)]]);
    expect([wp(pool(pid).basepool.poolAccountId), pool(pid).basepool.totalValue]).toEqual([100n * PHA, 200n * PHA]);
    expect([vault(v).basepool.totalValue, wp(vault(v).basepool.poolAccountId), vault(v).basepool.totalShares]).toEqual([150n * PHA, 50n * PHA, 100n * PHA]);
    const gained = m.ok(signed(acct(3)), vaultCall('maybe_gain_owner_shares', { vaultPid: v }));
    expect(visible(gained)).toEqual([{ tag: 'OwnerSharesGained', value: { pid: v, shares: 20n * PHA, checkoutPrice: 1_250_000_000_000n } }]);
    expect([vault(v).ownerShares, vault(v).basepool.totalShares]).toEqual([20n * PHA, 120n * PHA]);
    m.rejects(signed(acct(3)), vaultCall('claim_owner_shares', { vaultPid: v, target: acct(4), shares: 50n * PHA }), 'NoEnoughShareToClaim');
    m.rejects(signed(acct(3)), vaultCall('claim_owner_shares', { vaultPid: v, target: acct(4), shares: 0n }), 'NoRewardToClaim');
    m.rejects(signed(acct(4)), vaultCall('claim_owner_shares', { vaultPid: v, target: acct(4), shares: 1n }), 'UnauthorizedPoolOwner');
    m.ok(signed(acct(3)), vaultCall('claim_owner_shares', { vaultPid: v, target: acct(4), shares: 10n * PHA }));
    expect([vault(v).ownerShares, vault(v).basepool.totalShares]).toEqual([10n * PHA, 120n * PHA]);
    expect(positionOf(m.storage, v, acct(4))).toBe(10n * PHA);
  });

  it('test_settle_vault_before_changing_commission: the old (zero) commission settles first', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
    m.setupWorkers(1);
    const v = m.setupVault(acct(3));
    const pid = m.setupStakePool(acct(1), [1]);
    vContribute(acct(3), v, 100n * PHA);
    spContribute(acct(3), pid, 100n * PHA, v);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    m.settle([[worker(1), fp(100)]]);
    expect([vault(v).basepool.totalValue, vault(v).basepool.totalShares]).toEqual([200n * PHA, 100n * PHA]);
    const events = m.ok(signed(acct(3)), vaultCall('set_payout_pref', { pid: v, payoutCommission: 1_000_000 }));
    // F22: gained on every rise, even with no commission: 0 shares, checkpoint moves to 2 PHA
    expect(visible(events)).toEqual([{ tag: 'OwnerSharesGained', value: { pid: v, shares: 0n, checkoutPrice: 2n * PHA } }]);
    m.ok(signed(acct(3)), vaultCall('maybe_gain_owner_shares', { vaultPid: v }));
    expect(vault(v).ownerShares).toBe(0n);
    m.rejects(signed(acct(3)), vaultCall('set_payout_pref', { pid: v, payoutCommission: 1_000_000 }), 'CommissionNotChanged');
  });

  it('vault_owner_reward_settle_when_contribute_withdraw (F22): contribute and withdraw settle the owner shares first', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.setupWorkers(1);
    const pid = m.setupStakePool(acct(1), [1]);
    const v = m.setupVault(acct(99));
    m.ok(signed(acct(99)), vaultCall('set_payout_pref', { pid: v, payoutCommission: 1_000_000 }));
    vContribute(acct(1), v, 100n * PHA);
    spContribute(acct(99), pid, 100n * PHA, v);
    m.ok(signed(acct(99)), vaultCall('maybe_gain_owner_shares', { vaultPid: v }));
    expect(sharePrice(pool(pid).basepool)).toBe(fp(1));
    expect(sharePrice(vault(v).basepool)).toBe(fp(1));
    expect(vault(v).lastSharePriceCheckpoint).toBe(PHA);
    m.settle([[worker(1), fp(100)]]);
    expect(sharePrice(vault(v).basepool)).toBe(fp(2));
    vContribute(acct(1), v, 100n * PHA);
    expect(sharePrice(vault(v).basepool)).toBe(fp(1));
    m.settle([[worker(1), fp(300)]]);
    expect(sharePrice(vault(v).basepool)).toBe(fp(2));
    m.ok(signed(acct(1)), vaultCall('withdraw', { pid: v, shares: 100n * PHA }));
    expect(sharePrice(vault(v).basepool)).toBe(fp(1));
  });

  it('test_withdraw, vault part (snapshots withdraw4–9): vault queues, dust burn, owner shares on withdraw', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
    m.wrap(acct(99), 5000n * PHA);
    m.setupWorkers(2);
    const p0 = m.setupStakePool(acct(1), [1, 2]);
    spContribute(acct(2), p0, 300n * PHA);
    spContribute(acct(1), p0, 300n * PHA);
    spContribute(acct(3), p0, 300n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(1), stake: 400n * PHA }));
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(2), stake: 300n * PHA }));
    m.ok(signed(acct(2)), sp('withdraw', { pid: p0, shares: 300n * PHA }));
    spContribute(acct(99), p0, 300n * PHA);
    m.ok(signed(acct(1)), sp('withdraw', { pid: p0, shares: 200n * PHA }));
    const v1 = m.setupVault(acct(99));
    expect(v1).toBe(1n);
    const v1Account = vault(v1).basepool.poolAccountId;
    vContribute(acct(1), v1, 300n * PHA);
    vContribute(acct(99), v1, 300n * PHA);
    spContribute(acct(99), p0, 500n * PHA, v1);
    const w4 = m.ok(signed(acct(1)), vaultCall('withdraw', { pid: v1, shares: 200n * PHA }));
    expect(visible(w4)).toEqual([
      { tag: 'WithdrawalQueued', value: { pid: v1, user: acct(1), shares: 200n * PHA, asVault: undefined } },
      { tag: 'Withdrawal', value: { pid: v1, user: acct(1), amount: 100n * PHA, shares: 100n * PHA, burntShares: 0n } },
    ]);
    expect(queueOf(v1, 'vault')).toEqual([[acct(1), 100n * PHA]]);
    expect(positionOf(m.storage, v1, acct(1))).toBe(100n * PHA);
    expect(wp(acct(1))).toBe(200n * PHA);
    const w5 = m.ok(signed(acct(3)), sp('withdraw', { pid: p0, shares: 200n * PHA }));
    expect(visible(w5)).toEqual([
      { tag: 'WithdrawalQueued', value: { pid: p0, user: acct(3), shares: 200n * PHA, asVault: undefined } },
      { tag: 'Withdrawal', value: { pid: p0, user: acct(3), amount: 200n * PHA, shares: 200n * PHA, burntShares: 0n } },
    ]);
    expect(wp(pool(p0).basepool.poolAccountId)).toBe(300n * PHA);
    const w6 = m.ok(signed(acct(99)), sp('withdraw', { pid: p0, shares: 400n * PHA, asVault: v1 }));
    expect(visible(w6)).toEqual([
      { tag: 'WithdrawalQueued', value: { pid: p0, user: v1Account, shares: 400n * PHA, asVault: v1 } },
      { tag: 'Withdrawal', value: { pid: p0, user: v1Account, amount: 300n * PHA, shares: 300n * PHA, burntShares: 0n } },
    ]);
    expect(queueOf(p0, 'pool')).toEqual([[v1Account, 100n * PHA]]);
    expect(positionOf(m.storage, p0, v1Account)).toBe(100n * PHA);
    expect(wp(v1Account)).toBe(300n * PHA);
    const v2 = m.setupVault(acct(99));
    vContribute(acct(99), v2, 300_000_000_100_000n);
    // withdraw7: 100000 shares are worth less than nothing worth paying: burnt, the price creeps up
    const w7 = m.ok(signed(acct(99)), vaultCall('withdraw', { pid: v2, shares: 100_000n }));
    expect(visible(w7)).toEqual([
      { tag: 'WithdrawalQueued', value: { pid: v2, user: acct(99), shares: 100_000n, asVault: undefined } },
      { tag: 'Withdrawal', value: { pid: v2, user: acct(99), amount: 0n, shares: 0n, burntShares: 100_000n } },
    ]);
    spContribute(acct(99), p0, 299_990_000_000_000n, v2);
    const w8 = m.ok(signed(acct(99)), vaultCall('withdraw', { pid: v2, shares: 300n * PHA }));
    expect(visible(w8)).toEqual([
      { tag: 'OwnerSharesGained', value: { pid: v2, shares: 100n, checkoutPrice: 1_000_000_000_333n } },
      { tag: 'WithdrawalQueued', value: { pid: v2, user: acct(99), shares: 300n * PHA, asVault: undefined } },
      { tag: 'Withdrawal', value: { pid: v2, user: acct(99), amount: 10_000_099_999n, shares: 10_000_099_996n, burntShares: 0n } },
    ]);
    const w9 = m.ok(signed(acct(4)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v1 }));
    expect(visible(w9)).toEqual([{ tag: 'Withdrawal', value: { pid: v1, user: acct(1), amount: 100n * PHA, shares: 100n * PHA, burntShares: 0n } }]);
  });

  it('test_check_and_maybe_force_withdraw, vault part: NoEnoughReleasingStake locks the vault until its queue clears', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3, 99]) m.wrap(acct(who), 500n * PHA);
    m.setupWorkers(2);
    const p0 = m.setupStakePool(acct(1), [1, 2]);
    const v = m.setupVault(acct(99));
    const vAccount = vault(v).basepool.poolAccountId;
    vContribute(acct(3), v, 400n * PHA);
    spContribute(acct(99), p0, 300n * PHA, v);
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(1), stake: 100n * PHA }));
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(2), stake: 100n * PHA }));
    m.ok(signed(acct(3)), vaultCall('withdraw', { pid: v, shares: 400n * PHA }));
    m.ok(signed(acct(99)), sp('withdraw', { pid: p0, shares: 100n * PHA, asVault: v }));
    m.ok(signed(acct(4)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(wp(vAccount)).toBe(0n);
    expect(queueOf(v, 'vault')).toEqual([[acct(3), 200n * PHA]]);
    expect(VaultLocks.has(m.storage, v)).toBe(false);
    m.elapse(864000);
    const shutdown = m.ok(signed(acct(4)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(visible(shutdown).at(-1)).toEqual({ tag: 'ForceShutdown', value: { pid: v, reason: { tag: 'NoEnoughReleasingStake', value: undefined } } });
    expect(queueOf(p0, 'pool')).toEqual([[vAccount, 200n * PHA]]);
    m.rejects(signed(acct(99)), sp('withdraw', { pid: p0, shares: 100n * PHA, asVault: v }), 'VaultIsLocked');
    m.rejects(signed(acct(99)), sp('contribute', { pid: p0, amount: 100n * PHA, asVault: v }), 'VaultIsLocked');
    vContribute(acct(99), v, 400n * PHA);
    const unlock = m.ok(signed(acct(4)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(eventsOf(unlock, 'PhalaVault')).toEqual([{ tag: 'VaultUnlocked', value: { pid: v } }]);
    m.ok(signed(acct(99)), sp('withdraw', { pid: p0, shares: 100n * PHA, asVault: v }));
  });

  it('vault_partial_force_withdraw (F23): shutdown after 7 d + 1 s, then a partial fill keeps the lock', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.setupWorkers(2);
    const p0 = m.setupStakePool(acct(1), [1, 2]);
    const v = m.setupVault(acct(99));
    const vAccount = vault(v).basepool.poolAccountId;
    vContribute(acct(1), v, 200n * PHA);
    spContribute(acct(99), p0, 200n * PHA, v);
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(1), stake: 100n * PHA }));
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(2), stake: 100n * PHA }));
    m.ok(signed(acct(1)), vaultCall('withdraw', { pid: v, shares: 200n * PHA }));
    m.elapse(7 * 24 * 3600 + 1);
    const first = m.ok(signed(acct(1)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(visible(first)).toEqual([
      { tag: 'WithdrawalQueued', value: { pid: p0, user: vAccount, shares: 200n * PHA, asVault: v } },
      { tag: 'ForceShutdown', value: { pid: v, reason: { tag: 'NoEnoughReleasingStake', value: undefined } } },
    ]);
    expect(VaultLocks.has(m.storage, v)).toBe(true);
    m.ok(signed(acct(1)), sp('stop_computing', { pid: p0, worker: worker(1) }));
    m.elapse(7 * 24 * 3600);
    m.ok(signed(acct(1)), sp('reclaim_pool_worker', { pid: p0, worker: worker(1) }));
    const second = m.ok(signed(acct(1)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(eventsOf(second, 'PhalaWrappedBalances')).toEqual([{ tag: 'Transferred', value: { from: vAccount, to: acct(1), amount: 100n * PHA } }]);
    expect(visible(second)).toEqual([{ tag: 'Withdrawal', value: { pid: v, user: acct(1), amount: 100n * PHA, shares: 100n * PHA, burntShares: 0n } }]);
    expect(VaultLocks.has(m.storage, v)).toBe(true);
  });

  it('vault_force_withdraw_after_3x_grace_period (F23): strictly more than 21 days', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.setupWorkers(1);
    const p0 = m.setupStakePool(acct(1), [1]);
    const v = m.setupVault(acct(99));
    const vAccount = vault(v).basepool.poolAccountId;
    vContribute(acct(1), v, 200n * PHA);
    spContribute(acct(99), p0, 200n * PHA, v);
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(1), stake: 200n * PHA }));
    m.ok(signed(acct(1)), vaultCall('withdraw', { pid: v, shares: 200n * PHA }));
    m.elapse(3 * 7 * 24 * 3600 + 1);
    const events = m.ok(signed(acct(1)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(visible(events)).toEqual([
      { tag: 'WithdrawalQueued', value: { pid: p0, user: vAccount, shares: 200n * PHA, asVault: v } },
      { tag: 'ForceShutdown', value: { pid: v, reason: { tag: 'Waiting3xGracePeriod', value: undefined } } },
    ]);
    expect(VaultLocks.has(m.storage, v)).toBe(true);
  });

  it('vault_force_withdraw_with_dust_investment (F23): a dust position is burnt and the pool dropped despite its queued request', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.setupWorkers(1);
    const p0 = m.setupStakePool(acct(1), [1]);
    const v = m.setupVault(acct(99));
    const vAccount = vault(v).basepool.poolAccountId;
    vContribute(acct(1), v, 100n * PHA);
    spContribute(acct(99), p0, 100n * PHA, v);
    m.ok(signed(acct(1)), sp('start_computing', { pid: p0, worker: worker(1), stake: 100n * PHA }));
    m.ok(signed(acct(99)), sp('withdraw', { pid: p0, shares: 100n * PHA - 1n, asVault: v }));
    expect(vault(v).investPools).toContain(p0);
    m.ok(signed(acct(1)), vaultCall('withdraw', { pid: v, shares: 100n * PHA }));
    m.elapse(3 * 7 * 24 * 3600 + 1);
    const events = m.ok(signed(acct(1)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
    expect(visible(events)).toEqual([{ tag: 'ForceShutdown', value: { pid: v, reason: { tag: 'Waiting3xGracePeriod', value: undefined } } }]);
    expect(eventsOf(events, 'PhalaBasePool')).toEqual([{ tag: 'PositionRemoved', value: { pid: p0, user: vAccount, shares: 1n } }]);
    expect(VaultLocks.has(m.storage, v)).toBe(true);
    expect(vault(v).investPools).toEqual([]);
    expect(queueOf(p0, 'pool')).toEqual([[vAccount, 100n * PHA - 1n]]);
  });
});
