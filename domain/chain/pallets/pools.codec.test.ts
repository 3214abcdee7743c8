/** SCALE round trips of every call and event of the pool pallets through the runtime codecs. */
import type { RuntimeEvent, Tagged } from '../../runtime/types';
import { acct, base, comp, fp, PhalaMock, PHA, signed, sp, vaultCall, worker } from './testing/poolTestKit';

const ev = (pallet: string, tag: string, value: object | undefined): RuntimeEvent => ({ tag: pallet, value: { tag, value } as Tagged });
const w1 = worker(1);

const calls: RuntimeEvent[] = [
  sp('create'),
  sp('add_worker', { pid: 1n, pubkey: w1 }),
  sp('remove_worker', { pid: 1n, worker: w1 }),
  sp('set_cap', { pid: 1n, cap: 2n ** 127n }),
  sp('set_payout_pref', { pid: 1n, payoutCommission: 1_000_000 }),
  sp('set_payout_pref', { pid: 1n, payoutCommission: undefined }),
  sp('claim_owner_rewards', { pid: 1n, target: acct(2) }),
  sp('check_and_maybe_force_withdraw', { pid: 2n ** 64n - 1n }),
  sp('contribute', { pid: 1n, amount: PHA, asVault: 3n }),
  sp('withdraw', { pid: 1n, shares: PHA, asVault: undefined }),
  sp('start_computing', { pid: 1n, worker: w1, stake: PHA }),
  sp('stop_computing', { pid: 1n, worker: w1 }),
  sp('reclaim_pool_worker', { pid: 1n, worker: w1 }),
  sp('restart_computing', { pid: 1n, worker: w1, stake: PHA }),
  vaultCall('create'),
  vaultCall('set_payout_pref', { pid: 1n, payoutCommission: 5 }),
  vaultCall('claim_owner_shares', { vaultPid: 1n, target: acct(3), shares: 9n }),
  vaultCall('maybe_gain_owner_shares', { vaultPid: 1n }),
  vaultCall('check_and_maybe_force_withdraw', { vaultPid: 1n }),
  vaultCall('contribute', { pid: 1n, amount: PHA }),
  vaultCall('withdraw', { pid: 1n, shares: PHA }),
  base('add_staker_to_whitelist', { pid: 1n, staker: acct(4) }),
  base('set_pool_description', { pid: 1n, description: new Uint8Array([1, 2, 3]) }),
  base('remove_staker_from_whitelist', { pid: 1n, staker: acct(4) }),
  comp('set_cool_down_expiration', { period: 7n }),
  comp('unbind', { session: acct(5) }),
  comp('force_register_worker', { pubkey: w1, operator: undefined, initialScore: 7 }),
  comp('settle', { entries: [{ pubkey: w1, payoutBits: fp(3) }] }),
  comp('mark_unresponsive', { pubkey: w1 }),
];

/** Event variants no scenario below produces. */
const extraEvents: RuntimeEvent[] = [
  ev('PhalaStakePoolv2', 'PoolSlashed', { pid: 1n, amount: 5n }),
  ev('PhalaStakePoolv2', 'SlashSettled', { pid: 1n, user: acct(1), amount: 5n }),
  ev('PhalaStakePoolv2', 'RewardDismissedNoShare', { pid: 1n, amount: 5n }),
  ev('PhalaStakePoolv2', 'RewardDismissedDust', { pid: 1n, amount: 5n }),
  ev('PhalaStakePoolv2', 'RewardToOwnerDismissedDust', { pid: 1n, amount: 5n }),
  ev('PhalaStakePoolv2', 'RewardToDistributionDismissedDust', { pid: 1n, amount: 5n }),
  ev('PhalaStakePoolv2', 'RewardDismissedNotInPool', { worker: w1, amount: 5n }),
  ev('PhalaVault', 'PriceCheckpointSet', { pid: 1n, price: 5n }),
  ev('PhalaVault', 'InvestPoolsRemoved', { pid: 1n, pools: [0n, 3n] }),
  ev('PhalaVault', 'ForceShutdown', { pid: 1n, reason: { tag: 'Waiting3xGracePeriod', value: undefined } }),
  ev('PhalaBasePool', 'QueuedSharesBurnt', { pid: 1n, user: acct(1), shares: 5n }),
  ev('PhalaBasePool', 'SharesBurnt', { pid: 1n, user: acct(1), shares: 5n }),
  ev('PhalaBasePool', 'PositionRemoved', { pid: 1n, user: acct(1), shares: 5n }),
  ev('PhalaBasePool', 'PoolDescriptionSet', { pid: 1n, description: new Uint8Array([7]) }),
  ev('PhalaComputation', 'WorkerEnterUnresponsive', { session: acct(1) }),
  ev('PhalaComputation', 'CoolDownExpirationChanged', { period: 5n }),
];

const expected: Record<string, string[]> = {
  PhalaStakePoolv2: ['PoolCreated', 'PoolCommissionSet', 'PoolCapacitySet', 'PoolWorkerAdded', 'Contribution', 'OwnerRewardsWithdrawn', 'PoolSlashed', 'SlashSettled', 'RewardDismissedNotInPool', 'RewardDismissedNoShare', 'RewardDismissedDust', 'PoolWorkerRemoved', 'WorkerReclaimed', 'RewardReceived', 'WorkingStarted', 'RewardToOwnerDismissedDust', 'RewardToDistributionDismissedDust', 'PoolWorkerCoolingDown'],
  PhalaVault: ['PoolCreated', 'VaultCommissionSet', 'OwnerSharesClaimed', 'OwnerSharesGained', 'Contribution', 'ForceShutdown', 'PriceCheckpointSet', 'VaultUnlocked', 'InvestPoolsRemoved'],
  PhalaBasePool: ['WithdrawalQueued', 'Withdrawal', 'PoolWhitelistCreated', 'PoolWhitelistDeleted', 'PoolWhitelistStakerAdded', 'PoolWhitelistStakerRemoved', 'SharesMinted', 'SharesMerged', 'SharesQueued', 'SharesRedeemed', 'QueuedSharesBurnt', 'SharesBurnt', 'PositionRemoved', 'RewardDistributed', 'PoolDescriptionSet'],
};

/** A scenario that produces most event variants. */
function scenarioEvents(): RuntimeEvent[] {
  const m = new PhalaMock();
  for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
  m.setupWorkers(2);
  const pid = m.setupStakePool(acct(1), [1, 2]);
  const v = m.setupVault(acct(3));
  m.ok(signed(acct(1)), sp('set_cap', { pid, cap: 1000n * PHA }));
  m.ok(signed(acct(1)), sp('set_payout_pref', { pid, payoutCommission: 100_000 }));
  m.ok(signed(acct(3)), vaultCall('set_payout_pref', { pid: v, payoutCommission: 100_000 }));
  m.ok(signed(acct(1)), base('add_staker_to_whitelist', { pid, staker: acct(2) }));
  m.ok(signed(acct(1)), base('remove_staker_from_whitelist', { pid, staker: acct(2) }));
  m.ok(signed(acct(2)), sp('contribute', { pid, amount: 200n * PHA }));
  m.ok(signed(acct(3)), vaultCall('contribute', { pid: v, amount: 200n * PHA }));
  m.ok(signed(acct(3)), sp('contribute', { pid, amount: 100n * PHA, asVault: v }));
  m.ok(signed(acct(1)), sp('start_computing', { pid, worker: worker(1), stake: 250n * PHA }));
  m.settle([[worker(1), fp(30)]]);
  m.ok(signed(acct(3)), vaultCall('maybe_gain_owner_shares', { vaultPid: v }));
  m.ok(signed(acct(3)), vaultCall('claim_owner_shares', { vaultPid: v, target: acct(3), shares: 1000n }));
  m.ok(signed(acct(1)), sp('claim_owner_rewards', { pid, target: acct(1) }));
  m.ok(signed(acct(2)), sp('withdraw', { pid, shares: 150n * PHA }));
  m.ok(signed(acct(2)), sp('withdraw', { pid, shares: 40n * PHA }));
  m.ok(signed(acct(3)), vaultCall('withdraw', { pid: v, shares: 150n * PHA }));
  m.elapse(30 * 24 * 3600);
  m.ok(signed(acct(3)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
  m.ok(signed(acct(1)), sp('stop_computing', { pid, worker: worker(1) }));
  m.elapse(8 * 24 * 3600);
  m.ok(signed(acct(1)), sp('reclaim_pool_worker', { pid, worker: worker(1) }));
  m.ok(signed(acct(3)), vaultCall('check_and_maybe_force_withdraw', { vaultPid: v }));
  m.ok(signed(acct(1)), sp('remove_worker', { pid, worker: worker(2) }));
  expect(m.refoldMatches()).toBe(true);
  return m.events;
}

describe('pool pallet codecs', () => {
  const m = new PhalaMock();
  const { callCodec, eventCodec } = m.runtime;

  it('round-trips every call', () => {
    for (const c of calls) expect(callCodec.dec(callCodec.enc(c))).toEqual(c);
  });

  it("keeps Phala's call indices", () => {
    const index = (c: RuntimeEvent) => callCodec.enc(c)[1];
    expect(calls.slice(0, 14).map(index)).toEqual([0, 1, 2, 3, 4, 4, 7, 8, 9, 10, 13, 14, 15, 17]);
    expect(calls.slice(14, 21).map(index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(calls.slice(21, 24).map(index)).toEqual([0, 1, 4]);
  });

  it('round-trips every event variant', () => {
    const events = [...scenarioEvents(), ...extraEvents];
    for (const e of events) expect(eventCodec.dec(eventCodec.enc(e))).toEqual(e);
    for (const [pallet, tags] of Object.entries(expected)) {
      const seen = new Set(events.filter((e) => e.tag === pallet).map((e) => (e.value as Tagged).tag));
      expect(tags.filter((t) => !seen.has(t))).toEqual([]);
    }
  });
});


