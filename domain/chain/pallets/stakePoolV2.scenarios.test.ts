/**
 * Phala's own stake-pool tests (`pallets/phala/src/test.rs`, the insta snapshots under
 * `src/snapshots/`) re-expressed with their exact numbers, plus DOMAIN.md §13.6 P2–P7.
 * Every scenario ends by checking that the state is the fold of the events.
 */
import { isRight } from 'fp-ts/Either';
import type { RuntimeEvent } from '../../runtime/types';
import { sessionAccount, SUBSIDY_POOL_ACCOUNT, WPHA_ACCOUNT } from './poolAccounts';
import { ensureStakePool, positionOf, sharePrice, type StakePool, WorkerAssignments } from './poolStorage';
import { account } from './balances.pallet';
import { acct, comp, eventsOf, fp, PhalaMock, PHA, root, signed, sp, worker } from './testing/poolTestKit';
import { wphaBalance } from './wrappedBalances.pallet';

const none = undefined;
let m: PhalaMock;
afterEach(() => expect(m.refoldMatches()).toBe(true));

function pool(pid: bigint): StakePool {
  const p = ensureStakePool(m.storage, pid);
  if (!isRight(p)) throw new Error('no stake pool');
  return p.right;
}
const wp = (who: string) => wphaBalance(m.storage, who);
const contribute = (who: string, pid: bigint, amount: bigint, asVault?: bigint) => m.ok(signed(who), sp('contribute', { pid, amount, asVault }));
const ev = (pallet: string, tag: string, value: object): RuntimeEvent => ({ tag: pallet, value: { tag, value } });

describe('StakePool v2 scenarios from Phala', () => {
  it('test_pool_subaccount: spm/ ‖ blake2_256(SCALE(1u64, [0;32]))', () => {
    m = new PhalaMock();
    expect(sessionAccount(1n, `0x${'00'.repeat(32)}`)).toBe('0x73706d2f02ab4d74c86ec3b3997a4fadf33e55e8279650c8539ea67e053c02dc');
  });

  it('P2 test_claim_owner_rewards: 50 % commission on 1000 PHA', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.wrap(acct(2), 500n * PHA);
    m.setupWorkers(1);
    const pid = m.setupStakePool(acct(1), [1]);
    m.ok(signed(acct(1)), sp('set_payout_pref', { pid, payoutCommission: 500_000 }));
    contribute(acct(1), pid, 100n * PHA);
    contribute(acct(2), pid, 400n * PHA);
    expect(pool(pid).basepool.totalValue).toBe(500n * PHA);
    const events = m.settle([[worker(1), fp(1000)]]);
    expect(eventsOf(events, 'PhalaStakePoolv2')).toEqual([{ tag: 'RewardReceived', value: { pid, toOwner: 500n * PHA, toStakers: 500n * PHA } }]);
    expect(wp(pool(pid).ownerRewardAccount)).toBe(500n * PHA);
    expect(pool(pid).basepool.totalValue).toBe(1000n * PHA);
    expect(sharePrice(pool(pid).basepool)).toBe(fp(2));
    m.ok(signed(acct(1)), sp('claim_owner_rewards', { pid, target: acct(1) }));
    expect(wp(pool(pid).ownerRewardAccount)).toBe(0n);
    expect(wp(acct(1))).toBe(900n * PHA);
    // the reward left the subsidy pool and sits, wrapped, in the W-PHA account
    expect(account(m.storage, SUBSIDY_POOL_ACCOUNT).free).toBe(690_000_000n * PHA - 1000n * PHA);
    expect(account(m.storage, WPHA_ACCOUNT).free).toBe(2000n * PHA);
  });

  it('P3 / P4: shares 1:1 in an empty pool, then at price 2', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 600n * PHA);
    m.setupWorkers(1);
    const pid = m.setupStakePool(acct(1), [1]);
    const first = contribute(acct(1), pid, 500n * PHA);
    expect(eventsOf(first, 'PhalaStakePoolv2')).toEqual([{ tag: 'Contribution', value: { pid, user: acct(1), amount: 500n * PHA, shares: 500n * PHA, asVault: none } }]);
    m.settle([[worker(1), fp(500)]]);
    expect(pool(pid).basepool.totalValue).toBe(1000n * PHA);
    contribute(acct(1), pid, 100n * PHA);
    expect(positionOf(m.storage, pid, acct(1))).toBe(550n * PHA);
    expect(pool(pid).basepool.totalShares).toBe(550n * PHA);
  });

  it('test_on_reward_dust (F4.3, F4.4): a 0.00001 PHA reward with 50 % commission and a W-PHA minimum of 1e8 units', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.setupWorkers(1);
    const pid = m.setupStakePool(acct(1), [1]);
    m.ok(signed(acct(1)), sp('set_payout_pref', { pid, payoutCommission: 500_000 }));
    contribute(acct(1), pid, 100n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    const p = pool(pid);
    // fp!(0.000010000000) is not exact in U64F64: the reward is 9999999 units, the owner's half rounds down
    const events = m.settle([[worker(1), 184467440737096n]]);
    expect(events).toEqual([
      ev('PhalaComputation', 'SessionSettled', { session: sessionAccount(pid, worker(1)), payoutBits: 184467440737096n }),
      ev('Balances', 'Transfer', { from: SUBSIDY_POOL_ACCOUNT, to: WPHA_ACCOUNT, amount: 9_999_999n }),
      ev('PhalaWrappedBalances', 'DustUnminted', { owner: p.ownerRewardAccount, amount: 4_999_999n }),
      ev('PhalaStakePoolv2', 'RewardToOwnerDismissedDust', { pid, amount: 4_999_999n }),
      ev('PhalaWrappedBalances', 'DustUnminted', { owner: p.basepool.poolAccountId, amount: 5_000_000n }),
      ev('PhalaStakePoolv2', 'RewardToDistributionDismissedDust', { pid, amount: 5_000_000n }),
    ]);
    expect(wp(p.ownerRewardAccount)).toBe(0n);
    expect(wp(p.basepool.poolAccountId)).toBe(0n);
  });

  it('test_withdraw (snapshots withdraw1–3): partial fill, queue served by a contribution, immediate withdrawal', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
    m.wrap(acct(99), 5000n * PHA);
    m.setupWorkers(2);
    const pid = m.setupStakePool(acct(1), [1, 2]);
    contribute(acct(2), pid, 300n * PHA);
    contribute(acct(1), pid, 300n * PHA);
    contribute(acct(3), pid, 300n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 400n * PHA }));
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(2), stake: 300n * PHA }));
    const w1 = m.ok(signed(acct(2)), sp('withdraw', { pid, shares: 300n * PHA, asVault: none }));
    expect(eventsOf(w1, 'PhalaBasePool').filter((e) => e.tag === 'WithdrawalQueued' || e.tag === 'Withdrawal')).toEqual([
      { tag: 'WithdrawalQueued', value: { pid, user: acct(2), shares: 300n * PHA, asVault: none } },
      { tag: 'Withdrawal', value: { pid, user: acct(2), amount: 200n * PHA, shares: 200n * PHA, burntShares: 0n } },
    ]);
    expect(pool(pid).basepool.withdrawQueue.map((w) => [w.user, w.shares])).toEqual([[acct(2), 100n * PHA]]);
    expect(positionOf(m.storage, pid, acct(2))).toBe(0n);
    expect(wp(acct(2))).toBe(400n * PHA);
    const w2 = contribute(acct(99), pid, 300n * PHA);
    expect(eventsOf(w2, 'PhalaBasePool').filter((e) => e.tag === 'Withdrawal')).toEqual([{ tag: 'Withdrawal', value: { pid, user: acct(2), amount: 100n * PHA, shares: 100n * PHA, burntShares: 0n } }]);
    expect(pool(pid).basepool.withdrawQueue).toEqual([]);
    expect(wp(acct(2))).toBe(500n * PHA);
    // a user whose shares all left still owns an (empty) position, like Phala's zero-share NFT
    expect(positionOf(m.storage, pid, acct(2))).toBe(0n);
    const w3 = m.ok(signed(acct(1)), sp('withdraw', { pid, shares: 200n * PHA, asVault: none }));
    expect(eventsOf(w3, 'PhalaBasePool').filter((e) => e.tag === 'Withdrawal')).toEqual([{ tag: 'Withdrawal', value: { pid, user: acct(1), amount: 200n * PHA, shares: 200n * PHA, burntShares: 0n } }]);
    expect(wp(acct(1))).toBe(400n * PHA);
    expect(positionOf(m.storage, pid, acct(1))).toBe(100n * PHA);
  });

  it('P5 test_check_and_maybe_force_withdraw: reclaim serves the queue, the grace period stops the last worker', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3, 99]) m.wrap(acct(who), 500n * PHA);
    m.setupWorkers(2);
    const pid = m.setupStakePool(acct(1), [1, 2]);
    contribute(acct(2), pid, 300n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(2), stake: 100n * PHA }));
    m.ok(signed(acct(2)), sp('withdraw', { pid, shares: 300n * PHA, asVault: none }));
    expect(wp(acct(2))).toBe(300n * PHA);
    m.ok(signed(acct(1)), sp('stop_computing', { pid, worker: worker(1) }));
    m.elapse(864000);
    expect(wp(pool(pid).basepool.poolAccountId)).toBe(0n);
    expect(pool(pid).cdWorkers).toEqual([worker(1)]);
    m.ok(signed(acct(3)), sp('reclaim_pool_worker', { pid, worker: worker(1) }));
    expect(wp(pool(pid).basepool.poolAccountId)).toBe(0n);
    expect(pool(pid).cdWorkers).toEqual([]);
    expect(pool(pid).basepool.withdrawQueue.map((w) => [w.user, w.shares])).toEqual([[acct(2), 100n * PHA]]);
    expect(positionOf(m.storage, pid, acct(2))).toBe(0n);
    expect(wp(acct(2))).toBe(400n * PHA);
    m.ok(signed(acct(3)), sp('check_and_maybe_force_withdraw', { pid }));
    expect(pool(pid).cdWorkers).toEqual([worker(2)]);
    m.elapse(864000);
    m.ok(signed(acct(3)), sp('reclaim_pool_worker', { pid, worker: worker(2) }));
    expect(wp(acct(2))).toBe(500n * PHA);
    expect(pool(pid).basepool.withdrawQueue).toEqual([]);
  });

  it('P6 restart_computing_should_work: a restart needs more stake than it releases', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.wrap(acct(2), 500n * PHA);
    m.setupWorkers(1);
    const pid = m.setupStakePool(acct(1), [1]);
    contribute(acct(2), pid, 200n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 150n * PHA }));
    m.rejects(signed(acct(1)), sp('restart_computing', { pid, worker: worker(1), stake: 50n * PHA }), 'CannotRestartWithLessStake');
    m.rejects(signed(acct(1)), sp('restart_computing', { pid, worker: worker(1), stake: 150n * PHA }), 'CannotRestartWithLessStake');
    expect(wp(pool(pid).basepool.poolAccountId)).toBe(50n * PHA);
    m.ok(signed(acct(1)), sp('restart_computing', { pid, worker: worker(1), stake: 151n * PHA }));
    expect(wp(pool(pid).basepool.poolAccountId)).toBe(49n * PHA);
    expect(wp(pool(pid).lockAccount)).toBe(151n * PHA);
  });

  it('P7 / F19: a worker in no pool is unbound too; its settle entry pays nothing and is dismissed, even at 0', () => {
    m = new PhalaMock();
    m.setupWorkers(1, () => acct(1));
    const pid = m.setupStakePool(acct(1), [1]);
    m.ok(signed(acct(1)), sp('remove_worker', { pid, worker: worker(1) }));
    expect(WorkerAssignments.get(m.storage, worker(1))).toBeUndefined();
    const events = m.settle([
      [worker(1), fp(5)],
      [worker(1), 0n],
    ]);
    expect(events).toEqual([
      ev('PhalaStakePoolv2', 'RewardDismissedNotInPool', { worker: worker(1), amount: 5n * PHA }),
      ev('PhalaStakePoolv2', 'RewardDismissedNotInPool', { worker: worker(1), amount: 0n }),
    ]);
    expect(account(m.storage, SUBSIDY_POOL_ACCOUNT).free).toBe(690_000_000n * PHA);
  });

  it('test_pool_cap (F6): the cap is checked after the queue took its share of the new stake', () => {
    m = new PhalaMock();
    for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
    m.setupWorkers(1);
    const pid = m.setupStakePool(acct(1), [1]);
    expect(pool(pid).cap).toBeUndefined();
    m.rejects(signed(acct(2)), sp('set_cap', { pid: 100n, cap: 1n }), 'PoolDoesNotExist');
    m.rejects(signed(acct(2)), sp('set_cap', { pid, cap: 1n }), 'UnauthorizedPoolOwner');
    m.ok(signed(acct(1)), sp('set_cap', { pid, cap: 100n * PHA }));
    expect(pool(pid).cap).toBe(100n * PHA);
    contribute(acct(1), pid, 10n * PHA);
    m.rejects(signed(acct(1)), sp('set_cap', { pid, cap: 9n * PHA }), 'InadequateCapacity');
    contribute(acct(1), pid, 90n * PHA);
    m.rejects(signed(acct(2)), sp('contribute', { pid, amount: 90n * PHA, asVault: none }), 'StakeExceedsCapacity');
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    m.ok(signed(acct(1)), sp('withdraw', { pid, shares: 100n * PHA, asVault: none }));
    m.rejects(signed(acct(2)), sp('contribute', { pid, amount: 101n * PHA, asVault: none }), 'StakeExceedsCapacity');
    contribute(acct(2), pid, 100n * PHA);
    expect(pool(pid).basepool.totalValue).toBe(100n * PHA);
  });

  it('test_force_unbind (F7): an operator unbind removes the worker; a computing one cools down outside cd_workers', () => {
    m = new PhalaMock();
    m.setupWorkers(2, (i) => acct(i));
    const pid0 = m.setupStakePool(acct(1), [1]);
    const pid1 = m.setupStakePool(acct(2), [2]);
    m.wrap(acct(1), 500n * PHA);
    m.wrap(acct(2), 500n * PHA);
    contribute(acct(1), pid0, 100n * PHA);
    contribute(acct(2), pid1, 100n * PHA);
    m.ok({ type: 'Root' }, comp('force_register_worker', { pubkey: worker(1), operator: acct(101), initialScore: 1 }));
    m.ok(signed(acct(101)), comp('unbind', { session: sessionAccount(pid0, worker(1)) }));
    expect(WorkerAssignments.get(m.storage, worker(1))).toBeUndefined();
    expect(pool(pid0).workers).toEqual([]);
    m.ok(signed(acct(2)), sp('start_computing', { pid: pid1, worker: worker(2), stake: 100n * PHA }));
    expect([wp(pool(pid1).basepool.poolAccountId), wp(pool(pid1).lockAccount)]).toEqual([0n, 100n * PHA]);
    m.ok({ type: 'Root' }, comp('force_register_worker', { pubkey: worker(2), operator: acct(102), initialScore: 1 }));
    const events = m.ok(signed(acct(102)), comp('unbind', { session: sessionAccount(pid1, worker(2)) }));
    expect(events.map((e) => `${e.tag}.${(e.value as { tag: string }).tag}`)).toEqual(['PhalaComputation.WorkerStopped', 'PhalaComputation.SessionUnbound', 'PhalaStakePoolv2.PoolWorkerRemoved']);
    expect(pool(pid1).workers).toEqual([]);
    expect(pool(pid1).cdWorkers).toEqual([]);
    // the stake comes back only through reclaim_pool_worker, which needs only the pool
    m.elapse(7 * 24 * 3600);
    m.ok(signed(acct(3)), sp('reclaim_pool_worker', { pid: pid1, worker: worker(2) }));
    expect([wp(pool(pid1).basepool.poolAccountId), wp(pool(pid1).lockAccount)]).toEqual([100n * PHA, 0n]);
  });

  it('test_for_cdworkers: remove_worker needs a reclaimed (Ready) session', () => {
    m = new PhalaMock();
    m.wrap(acct(1), 500n * PHA);
    m.ok(signed(acct(1)), sp('create'));
    m.rejects(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 0n }), 'WorkerDoesNotExist');
    m.setupWorkers(2);
    m.ok(signed(acct(1)), sp('add_worker', { pid: 0n, pubkey: worker(1) }));
    contribute(acct(1), 0n, 100n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 100n * PHA }));
    m.rejects(signed(acct(1)), sp('remove_worker', { pid: 0n, worker: worker(1) }), 'WorkerIsNotReady');
    m.ok(signed(acct(1)), sp('stop_computing', { pid: 0n, worker: worker(1) }));
    m.rejects(signed(acct(1)), sp('stop_computing', { pid: 0n, worker: worker(1) }), 'WorkerAlreadyStopped');
    m.rejects(signed(acct(1)), sp('reclaim_pool_worker', { pid: 0n, worker: worker(1) }), 'CoolDownNotReady');
    m.elapse(7 * 24 * 3600);
    m.ok(signed(acct(1)), sp('reclaim_pool_worker', { pid: 0n, worker: worker(1) }));
    m.ok(signed(acct(1)), sp('remove_worker', { pid: 0n, worker: worker(1) }));
    expect(pool(0n).cdWorkers).toEqual([]);
    expect(pool(0n).workers).toEqual([]);
  });

  it('F7: the stake of a force-unbound worker is not releasing stake, so the force withdraw stops the others', () => {
    m = new PhalaMock();
    m.wrap(acct(2), 500n * PHA);
    m.setupWorkers(2);
    const pid = m.setupStakePool(acct(1), [1, 2]);
    contribute(acct(2), pid, 200n * PHA);
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 100n * PHA }));
    m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(2), stake: 100n * PHA }));
    m.ok(signed(acct(2)), sp('withdraw', { pid, shares: 100n * PHA }));
    m.ok(signed(acct(1)), comp('unbind', { session: sessionAccount(pid, worker(1)) }));
    expect([pool(pid).workers, pool(pid).cdWorkers]).toEqual([[worker(2)], []]);
    m.elapse(7 * 24 * 3600 + 1);
    const events = m.ok(signed(acct(3)), sp('check_and_maybe_force_withdraw', { pid }));
    // had worker 1's 100 PHA counted, the 100-share request would be covered and nothing would stop
    expect(events.map((e) => `${e.tag}.${(e.value as { tag: string }).tag}`)).toEqual(['PhalaComputation.WorkerStopped', 'PhalaStakePoolv2.PoolWorkerCoolingDown']);
    expect(pool(pid).cdWorkers).toEqual([worker(2)]);
    m.ok(signed(acct(3)), sp('reclaim_pool_worker', { pid, worker: worker(1) }));
    expect(wp(acct(2))).toBe(400n * PHA);
  });

  it('test_start_computing: the stake moves to the lock account; the computation checks the stake (P = 1)', () => {
    m = new PhalaMock();
    m.ok(signed(acct(1)), sp('create'));
    m.wrap(acct(1), 500n * PHA);
    m.wrap(acct(99), 50_000n * PHA);
    m.rejects(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 0n }), 'WorkerDoesNotExist');
    m.setupWorkers(2);
    m.ok(signed(acct(1)), sp('add_worker', { pid: 0n, pubkey: worker(1) }));
    contribute(acct(1), 0n, 100n * PHA);
    m.rejects(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 0n }), 'InsufficientStake');
    contribute(acct(99), 0n, 30_000n * PHA);
    m.rejects(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 30_000n * PHA }), 'TooMuchStake');
    m.ok(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 100n * PHA }));
    expect([wp(pool(0n).basepool.poolAccountId), wp(pool(0n).lockAccount)]).toEqual([30_000n * PHA, 100n * PHA]);
  });
});

describe('runtime constants recorded in block 0 (force_set_constants)', () => {
  const constants = { minContribution: 5n * PHA, gracePeriodSec: 3600n, maxPoolWorkers: 1 };

  it('sets MaxPoolWorkers and MinContribution for a runtime built with Phala’s defaults', () => {
    m = new PhalaMock();
    m.block = { ...m.block, number: 0 };
    m.ok(root, sp('force_set_constants', constants));
    m.block = { ...m.block, number: 1 };
    m.setupWorkers(2);
    const pid = m.setupStakePool(acct(1), [1]);
    m.rejects(signed(acct(1)), sp('add_worker', { pid, pubkey: worker(2) }), 'WorkersExceedLimit');
    m.wrap(acct(2), 100n * PHA);
    m.rejects(signed(acct(2)), sp('contribute', { pid, amount: 4n * PHA, asVault: none }), 'InsufficientContribution');
    contribute(acct(2), pid, 5n * PHA);
  });

  it('is Root, block 0 and once only; without it the defaults hold (200 workers, 0.01 PHA)', () => {
    m = new PhalaMock();
    m.rejects(root, sp('force_set_constants', constants), 'GenesisOnly');
    m.block = { ...m.block, number: 0 };
    m.rejects(signed(acct(1)), sp('force_set_constants', constants), 'BadOrigin');
    m.rejects(root, sp('force_set_constants', { ...constants, maxPoolWorkers: 0 }), 'InvalidConstants');
    m.ok(root, sp('force_set_constants', constants));
    m.rejects(root, sp('force_set_constants', constants), 'ConstantsAlreadySet');
    const fresh = new PhalaMock();
    fresh.setupWorkers(2);
    const pid = fresh.setupStakePool(acct(1), [1, 2]);
    fresh.wrap(acct(2), 1n * PHA);
    fresh.ok(signed(acct(2)), sp('contribute', { pid, amount: PHA / 100n, asVault: none }));
    expect(fresh.refoldMatches()).toBe(true);
  });
});
