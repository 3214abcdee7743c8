/** The reward path, rule by rule (§14 F4), and the reward side of F1. */
import type { RuntimeEvent, Tagged } from '../../runtime/types';
import { account } from './balances.pallet';
import { WPHA_ACCOUNT } from './poolAccounts';
import { fromFixed, permillMul, toFixed } from './poolMath';
import { basePool } from './poolStorage';
import { acct, fp, PhalaMock, PHA, signed, sp, worker } from './testing/poolTestKit';
import { wphaBalance } from './wrappedBalances.pallet';

const poolEvents = (events: readonly RuntimeEvent[]) => events.filter((e) => e.tag === 'PhalaStakePoolv2').map((e) => e.value as Tagged);

/** pool 0 of account 1 with worker 1 and `stake` W-PHA from account 2; W-PHA minimum `min` */
function pool(stake: bigint, min = 1n, commission?: number): PhalaMock {
  const m = new PhalaMock({ wphaMinimumBalance: min });
  m.wrap(acct(2), 500n * PHA);
  m.setupWorkers(1);
  m.setupStakePool(acct(1), [1]);
  if (commission !== undefined) m.ok(signed(acct(1)), sp('set_payout_pref', { pid: 0n, payoutCommission: commission }));
  if (stake > 0n) m.ok(signed(acct(2)), sp('contribute', { pid: 0n, amount: stake }));
  return m;
}

describe('onReward (F4)', () => {
  it('F4.1: a zero reward returns at once, no event, nothing paid', () => {
    const m = pool(100n * PHA);
    const events = m.settle([[worker(1), 0n]]);
    expect(poolEvents(events)).toEqual([]);
    expect(events.filter((e) => e.tag === 'Balances')).toEqual([]);
    expect(m.refoldMatches()).toBe(true);
  });

  it('F4.2: a reward of at most 1000 units is dust; a pool with at most 1000 shares has no share', () => {
    const m = pool(100n * PHA);
    const bits = toFixed(1000n);
    const reward = fromFixed(bits);
    expect(reward > 0n && reward <= 1000n).toBe(true);
    expect(poolEvents(m.settle([[worker(1), bits]]))).toEqual([{ tag: 'RewardDismissedDust', value: { pid: 0n, amount: reward } }]);
    const empty = pool(0n);
    expect(poolEvents(empty.settle([[worker(1), fp(1)]]))).toEqual([{ tag: 'RewardDismissedNoShare', value: { pid: 0n, amount: PHA } }]);
    expect(account(empty.storage, WPHA_ACCOUNT).free).toBe(500n * PHA);
  });

  it('F4.3: the commission is Permill × reward rounded half down (NearestPrefDown), not floored', () => {
    expect(permillMul(1, 1_500_000n)).toBe(1n);
    expect(permillMul(1, 1_500_001n)).toBe(2n);
    expect(permillMul(500_000, 9_999_999n)).toBe(4_999_999n);
    expect(permillMul(333_333, 10n)).toBe(3n);
    const m = pool(100n * PHA, 1n, 1);
    const bits = toFixed(1_600_000n);
    const reward = fromFixed(bits);
    const events = m.settle([[worker(1), bits]]);
    const toOwner = permillMul(1, reward);
    expect(toOwner).toBe((reward * 2n + 1_000_000n) / 2_000_000n);
    expect(poolEvents(events)).toEqual([{ tag: 'RewardReceived', value: { pid: 0n, toOwner, toStakers: reward - toOwner } }]);
    expect(m.refoldMatches()).toBe(true);
  });

  it('F4.5: a minted distribution of at most 1000 units stays in the pool account without raising the value', () => {
    const m = pool(100n * PHA, 1n, 500_000);
    const bits = toFixed(2000n);
    const reward = fromFixed(bits);
    const events = m.settle([[worker(1), bits]]);
    const toOwner = permillMul(500_000, reward);
    expect(poolEvents(events)).toEqual([
      { tag: 'RewardToDistributionDismissedDust', value: { pid: 0n, amount: reward - toOwner } },
      { tag: 'RewardReceived', value: { pid: 0n, toOwner, toStakers: reward - toOwner } },
    ]);
    const bp = basePool(m.storage, 0n);
    expect(bp.totalValue).toBe(100n * PHA);
    expect(wphaBalance(m.storage, bp.poolAccountId)).toBe(100n * PHA + reward - toOwner);
    expect(m.refoldMatches()).toBe(true);
  });

  it('F4.6: with 0 % commission RewardReceived is emitted even when the distribution could not be minted', () => {
    const m = pool(100n * PHA, 100_000_000n);
    m.ok(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 100n * PHA }));
    const bits = toFixed(5_000_000n);
    const reward = fromFixed(bits);
    expect(poolEvents(m.settle([[worker(1), bits]]))).toEqual([
      { tag: 'RewardToDistributionDismissedDust', value: { pid: 0n, amount: reward } },
      { tag: 'RewardReceived', value: { pid: 0n, toOwner: 0n, toStakers: reward } },
    ]);
    // the PHA left the subsidy pool anyway and waits in the W-PHA account as unmintable dust
    expect(account(m.storage, WPHA_ACCOUNT).free).toBe(500n * PHA + reward);
    expect(m.refoldMatches()).toBe(true);
  });

  it('F4.7: an empty subsidy pool is a broken invariant (Phala panics), not a dispatch error', () => {
    const m = new PhalaMock({ subsidyPool: 0n });
    m.wrap(acct(2), 500n * PHA);
    m.setupWorkers(1);
    m.setupStakePool(acct(1), [1]);
    m.ok(signed(acct(2)), sp('contribute', { pid: 0n, amount: 100n * PHA }));
    expect(() => m.settle([[worker(1), fp(1)]])).toThrow(/subsidy pool cannot pay/);
  });

  it('F1: every entry of a report is paid, one RewardReceived per entry, in report order', () => {
    const m = pool(100n * PHA);
    const events = m.settle([
      [worker(1), fp(1)],
      [worker(9), fp(2)],
      [worker(1), fp(3)],
    ]);
    expect(poolEvents(events).map((e) => e.tag)).toEqual(['RewardReceived', 'RewardDismissedNotInPool', 'RewardReceived']);
    expect(basePool(m.storage, 0n).totalValue).toBe(104n * PHA);
    expect(m.refoldMatches()).toBe(true);
  });
});
