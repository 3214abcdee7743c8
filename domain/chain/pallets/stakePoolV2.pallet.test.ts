/**
 * Decider specs for every StakePoolv2, Vault and BasePool call: each error in Phala's check order
 * (§14 F6, F15, F16), and the events of a success. The "given" history is built by running calls
 * on a test chain; the spec kit folds it again and checks state == fold(events) after each call.
 */
import { decider } from '../../runtime/testing/deciderSpec';
import type { Origin, RuntimeEvent } from '../../runtime/types';
import { lockAccount, poolAccount, sessionAccount } from './poolAccounts';
import { acct, base, comp, PhalaMock, PHA, root, signed, sp, vaultCall, worker } from './testing/poolTestKit';
import { defaultStakePoolConfig } from './stakePoolV2';

/** pool 0 (owner 1, worker 1, 100 PHA from account 2), vault 1 (owner 99), worker 2 free, worker 3 unbenchmarked */
function history(options: ConstructorParameters<typeof PhalaMock>[0] = {}): PhalaMock {
  const m = new PhalaMock(options);
  for (const who of [1, 2, 3]) m.wrap(acct(who), 500n * PHA);
  m.setupWorkers(2);
  m.ok(root, comp('force_register_worker', { pubkey: worker(3), operator: acct(1), initialScore: undefined }));
  m.ok(root, comp('force_register_worker', { pubkey: worker(4), operator: acct(2), initialScore: 1 }));
  m.setupStakePool(acct(1), [1]);
  m.setupVault(acct(99));
  m.ok(signed(acct(2)), sp('contribute', { pid: 0n, amount: 100n * PHA }));
  return m;
}
const given = (m: PhalaMock, extra: readonly RuntimeEvent[] = []) => decider(m.runtime, m.genesis).given([...m.events, ...extra], m.block);
const rejects = (m: PhalaMock, origin: Origin, c: RuntimeEvent, error: string) => given(m).when(origin, c, m.block).thenRejects(error);
const ev = (pallet: string, tag: string, value: object): RuntimeEvent => ({ tag: pallet, value: { tag, value } });
const a1 = signed(acct(1));
const a2 = signed(acct(2));

describe('StakePoolv2 calls', () => {
  const m = history();

  it('create: a new pid and collection, the pool account bp/…', () => {
    given(m).when(a2, sp('create')).thenEmits([ev('PhalaStakePoolv2', 'PoolCreated', { owner: acct(2), pid: 2n, cid: 10002, poolAccountId: poolAccount(2n, acct(2)) })]);
    rejects(m, root, sp('create'), 'BadOrigin');
  });

  it.each([
    ['WorkerNotRegistered', a1, 100n, worker(9)],
    ['UnauthorizedOperator', a2, 100n, worker(2)],
    ['BenchmarkMissing', a1, 100n, worker(3)],
    ['PoolDoesNotExist', a1, 100n, worker(2)],
    ['PoolTypeNotMatch', a1, 1n, worker(2)],
    ['UnauthorizedPoolOwner', a2, 0n, worker(4)],
    ['WorkerExists', a1, 0n, worker(1)],
  ])('add_worker rejects with %s (F15 order)', (error, origin, pid, pubkey) => {
    rejects(m, origin, sp('add_worker', { pid, pubkey }), error);
  });

  it('add_worker: WorkersExceedLimit, FailedToBindSessionAndWorker for any bind error, and success', () => {
    const small = history({ stakePool: { ...defaultStakePoolConfig, maxPoolWorkers: 1 } });
    rejects(small, a1, sp('add_worker', { pid: 0n, pubkey: worker(2) }), 'WorkersExceedLimit');
    const other = history();
    other.ok(a1, sp('create'));
    rejects(other, a1, sp('add_worker', { pid: 2n, pubkey: worker(1) }), 'FailedToBindSessionAndWorker');
    const session = sessionAccount(0n, worker(2));
    given(m).when(a1, sp('add_worker', { pid: 0n, pubkey: worker(2) })).thenEmits([
      ev('PhalaComputation', 'SessionBound', { session, worker: worker(2) }),
      ev('PhalaStakePoolv2', 'PoolWorkerAdded', { pid: 0n, worker: worker(2), session }),
    ]);
  });

  it('remove_worker rejects in order: UnauthorizedPoolOwner, WorkerDoesNotExist, WorkerInAnotherPool, WorkerIsNotReady', () => {
    rejects(m, a2, sp('remove_worker', { pid: 0n, worker: worker(1) }), 'UnauthorizedPoolOwner');
    rejects(m, a1, sp('remove_worker', { pid: 0n, worker: worker(2) }), 'WorkerDoesNotExist');
    const two = history();
    two.ok(a1, sp('create'));
    two.ok(a1, sp('add_worker', { pid: 2n, pubkey: worker(2) }));
    rejects(two, a1, sp('remove_worker', { pid: 0n, worker: worker(2) }), 'WorkerInAnotherPool');
    const computing = history();
    computing.ok(a1, sp('start_computing', { pid: 0n, worker: worker(1), stake: 100n * PHA }));
    rejects(computing, a1, sp('remove_worker', { pid: 0n, worker: worker(1) }), 'WorkerIsNotReady');
    given(m).when(a1, sp('remove_worker', { pid: 0n, worker: worker(1) })).thenEmits([
      ev('PhalaComputation', 'SessionUnbound', { session: sessionAccount(0n, worker(1)), worker: worker(1) }),
      ev('PhalaStakePoolv2', 'PoolWorkerRemoved', { pid: 0n, worker: worker(1) }),
    ]);
  });

  it('set_cap, set_payout_pref, claim_owner_rewards', () => {
    rejects(m, a1, sp('set_cap', { pid: 7n, cap: 1n }), 'PoolDoesNotExist');
    rejects(m, a1, sp('set_cap', { pid: 1n, cap: 1n }), 'PoolTypeNotMatch');
    rejects(m, a2, sp('set_cap', { pid: 0n, cap: 1000n * PHA }), 'UnauthorizedPoolOwner');
    rejects(m, a1, sp('set_cap', { pid: 0n, cap: 100n * PHA - 1n }), 'InadequateCapacity');
    given(m).when(a1, sp('set_cap', { pid: 0n, cap: 100n * PHA })).thenEmits([ev('PhalaStakePoolv2', 'PoolCapacitySet', { pid: 0n, cap: 100n * PHA })]);
    rejects(m, a2, sp('set_payout_pref', { pid: 0n, payoutCommission: 1 }), 'UnauthorizedPoolOwner');
    given(m).when(a1, sp('set_payout_pref', { pid: 0n, payoutCommission: 123_456 })).thenEmits([ev('PhalaStakePoolv2', 'PoolCommissionSet', { pid: 0n, commission: 123_456 })]);
    given(m).when(a1, sp('set_payout_pref', { pid: 0n, payoutCommission: undefined })).thenEmits([ev('PhalaStakePoolv2', 'PoolCommissionSet', { pid: 0n, commission: 0 })]);
    rejects(m, a2, sp('claim_owner_rewards', { pid: 0n, target: acct(2) }), 'UnauthorizedPoolOwner');
    rejects(m, a1, sp('claim_owner_rewards', { pid: 0n, target: acct(1) }), 'NoRewardToClaim');
  });

  it.each([
    ['PoolDoesNotExist', a1, 0n, 1n * PHA, 9n],
    ['PoolTypeNotMatch', a1, 0n, 1n * PHA, 0n],
    ['UnauthorizedPoolOwner', a1, 0n, 1n * PHA, 1n],
    ['PoolTypeNotMatch', a1, 1n, 1n * PHA, undefined],
    ['InsufficientContribution', a1, 0n, defaultStakePoolConfig.minContribution - 1n, undefined],
    ['InsufficientBalance', a1, 0n, 501n * PHA, undefined],
  ])('contribute rejects with %s (F6 order)', (error, origin, pid, amount, asVault) => {
    rejects(m, origin, sp('contribute', { pid, amount, asVault }), error);
  });

  it('contribute: PoolBankrupt, NotInContributeWhitelist, StakeExceedsCapacity, and the events of a success', () => {
    const bankrupt = ev('PhalaStakePoolv2', 'PoolSlashed', { pid: 0n, amount: 100n * PHA });
    given(m, [bankrupt]).when(a1, sp('contribute', { pid: 0n, amount: PHA }), m.block).thenRejects('PoolBankrupt');
    const listed = [ev('PhalaBasePool', 'PoolWhitelistCreated', { pid: 0n }), ev('PhalaBasePool', 'PoolWhitelistStakerAdded', { pid: 0n, staker: acct(2) })];
    given(m, listed).when(signed(acct(3)), sp('contribute', { pid: 0n, amount: PHA }), m.block).thenRejects('NotInContributeWhitelist');
    given(m, listed).when(a1, sp('contribute', { pid: 0n, amount: PHA }), m.block).thenEmits([
      ev('PhalaBasePool', 'SharesMinted', { pid: 0n, user: acct(1), shares: PHA, value: PHA }),
      ev('PhalaWrappedBalances', 'Transferred', { from: acct(1), to: poolAccount(0n, acct(1)), amount: PHA }),
      ev('PhalaStakePoolv2', 'Contribution', { pid: 0n, user: acct(1), amount: PHA, shares: PHA, asVault: undefined }),
    ]);
    const capped = [ev('PhalaStakePoolv2', 'PoolCapacitySet', { pid: 0n, cap: 100n * PHA })];
    given(m, capped).when(a1, sp('contribute', { pid: 0n, amount: PHA }), m.block).thenRejects('StakeExceedsCapacity');
  });

  it('withdraw: NoNftToWithdraw, InvalidWithdrawalAmount (dust, too many), PoolTypeNotMatch', () => {
    rejects(m, a1, sp('withdraw', { pid: 0n, shares: PHA }), 'NoNftToWithdraw');
    rejects(m, a2, sp('withdraw', { pid: 0n, shares: 1000n }), 'InvalidWithdrawalAmount');
    rejects(m, a2, sp('withdraw', { pid: 0n, shares: 100n * PHA + 1n }), 'InvalidWithdrawalAmount');
    rejects(m, a2, sp('withdraw', { pid: 1n, shares: PHA }), 'PoolTypeNotMatch');
    rejects(m, a1, sp('withdraw', { pid: 0n, shares: PHA, asVault: 1n }), 'UnauthorizedPoolOwner');
  });

  it('start_computing: owner, free stake, worker, then the computation errors', () => {
    rejects(m, a2, sp('start_computing', { pid: 0n, worker: worker(1), stake: PHA }), 'UnauthorizedPoolOwner');
    rejects(m, a1, sp('start_computing', { pid: 0n, worker: worker(1), stake: 101n * PHA }), 'InsufficientFreeStake');
    rejects(m, a1, sp('start_computing', { pid: 0n, worker: worker(2), stake: PHA }), 'WorkerDoesNotExist');
    rejects(m, a1, sp('start_computing', { pid: 0n, worker: worker(1), stake: 0n }), 'InsufficientStake');
    const session = sessionAccount(0n, worker(1));
    given(m).when(a1, sp('start_computing', { pid: 0n, worker: worker(1), stake: 100n * PHA })).thenEmits([
      ev('PhalaComputation', 'WorkerStarted', { session, stake: 100n * PHA }),
      ev('PhalaWrappedBalances', 'Transferred', { from: poolAccount(0n, acct(1)), to: lockAccount(0n, acct(1)), amount: 100n * PHA }),
      ev('PhalaStakePoolv2', 'WorkingStarted', { pid: 0n, worker: worker(1), amount: 100n * PHA }),
    ]);
  });

  it('stop_computing, reclaim_pool_worker, restart_computing errors', () => {
    rejects(m, a2, sp('stop_computing', { pid: 0n, worker: worker(1) }), 'UnauthorizedPoolOwner');
    rejects(m, a1, sp('stop_computing', { pid: 0n, worker: worker(2) }), 'WorkerDoesNotExist');
    rejects(m, a1, sp('stop_computing', { pid: 0n, worker: worker(1) }), 'WorkerNotComputing');
    rejects(m, a1, sp('reclaim_pool_worker', { pid: 9n, worker: worker(1) }), 'PoolDoesNotExist');
    rejects(m, a1, sp('reclaim_pool_worker', { pid: 0n, worker: worker(2) }), 'SessionNotFound');
    rejects(m, a1, sp('reclaim_pool_worker', { pid: 0n, worker: worker(1) }), 'CoolDownNotReady');
    const queued = history();
    queued.ok(a1, sp('start_computing', { pid: 0n, worker: worker(1), stake: 100n * PHA }));
    queued.ok(a2, sp('withdraw', { pid: 0n, shares: 10n * PHA }));
    rejects(queued, a1, sp('restart_computing', { pid: 0n, worker: worker(1), stake: 200n * PHA }), 'WithdrawQueueNotEmpty');
    rejects(m, a1, sp('restart_computing', { pid: 0n, worker: worker(1), stake: 200n * PHA }), 'WorkerNotComputing');
  });

  it('check_and_maybe_force_withdraw: any signer, stake pools only, no-op without expired requests', () => {
    rejects(m, a1, sp('check_and_maybe_force_withdraw', { pid: 1n }), 'PoolTypeNotMatch');
    rejects(m, root, sp('check_and_maybe_force_withdraw', { pid: 0n }), 'BadOrigin');
    given(m).when(signed(acct(7)), sp('check_and_maybe_force_withdraw', { pid: 0n })).thenEmits([]);
  });
});

describe('Vault calls', () => {
  const m = history();
  it('set_payout_pref, maybe_gain_owner_shares, claim_owner_shares', () => {
    rejects(m, signed(acct(99)), vaultCall('set_payout_pref', { pid: 9n, payoutCommission: 1 }), 'PoolDoesNotExist');
    rejects(m, signed(acct(99)), vaultCall('set_payout_pref', { pid: 0n, payoutCommission: 1 }), 'PoolTypeNotMatch');
    rejects(m, a1, vaultCall('set_payout_pref', { pid: 1n, payoutCommission: 1 }), 'UnauthorizedPoolOwner');
    rejects(m, signed(acct(99)), vaultCall('set_payout_pref', { pid: 1n, payoutCommission: undefined }), 'CommissionNotChanged');
    given(m).when(signed(acct(99)), vaultCall('set_payout_pref', { pid: 1n, payoutCommission: 10 })).thenEmits([ev('PhalaVault', 'VaultCommissionSet', { pid: 1n, commission: 10 })]);
    rejects(m, a1, vaultCall('maybe_gain_owner_shares', { vaultPid: 1n }), 'UnauthorizedPoolOwner');
    given(m).when(signed(acct(99)), vaultCall('maybe_gain_owner_shares', { vaultPid: 1n })).thenEmits([]);
    rejects(m, signed(acct(99)), vaultCall('claim_owner_shares', { vaultPid: 1n, target: acct(1), shares: 1n }), 'NoEnoughShareToClaim');
  });

  it.each([
    ['InsufficientContribution', acct(1), 1n, defaultStakePoolConfig.minContribution - 1n],
    ['AssetAccountNotExist', acct(7), 1n, PHA],
    ['InsufficientBalance', acct(1), 1n, 501n * PHA],
    ['PoolDoesNotExist', acct(1), 9n, PHA],
    ['PoolTypeNotMatch', acct(1), 0n, PHA],
  ])('contribute rejects with %s', (error, who, pid, amount) => {
    rejects(m, signed(who), vaultCall('contribute', { pid, amount }), error);
  });

  it('withdraw: PoolDoesNotExist first (owner shares settle first), NoNftToWithdraw, NoEnoughShareToClaim', () => {
    rejects(m, a1, vaultCall('withdraw', { pid: 9n, shares: PHA }), 'PoolDoesNotExist');
    rejects(m, a1, vaultCall('withdraw', { pid: 1n, shares: PHA }), 'NoNftToWithdraw');
    const funded = history();
    funded.ok(a1, vaultCall('contribute', { pid: 1n, amount: 10n * PHA }));
    rejects(funded, a1, vaultCall('withdraw', { pid: 1n, shares: 10n * PHA + 1n }), 'NoEnoughShareToClaim');
    rejects(funded, a1, vaultCall('withdraw', { pid: 1n, shares: 999n }), 'NoEnoughShareToClaim');
    rejects(m, a1, vaultCall('check_and_maybe_force_withdraw', { vaultPid: 0n }), 'PoolTypeNotMatch');
  });
});

describe('BasePool calls', () => {
  const m = history();
  it('whitelist: created lazily, owner always allowed, deleted with its last staker (test_staker_whitelist)', () => {
    rejects(m, a1, base('add_staker_to_whitelist', { pid: 9n, staker: acct(2) }), 'PoolDoesNotExist');
    rejects(m, a2, base('add_staker_to_whitelist', { pid: 0n, staker: acct(2) }), 'UnauthorizedPoolOwner');
    given(m).when(a1, base('add_staker_to_whitelist', { pid: 0n, staker: acct(2) })).thenEmits([
      ev('PhalaBasePool', 'PoolWhitelistCreated', { pid: 0n }),
      ev('PhalaBasePool', 'PoolWhitelistStakerAdded', { pid: 0n, staker: acct(2) }),
    ]);
    rejects(m, a1, base('remove_staker_from_whitelist', { pid: 0n, staker: acct(2) }), 'NoWhitelistCreated');
    const w = history();
    w.ok(a1, base('add_staker_to_whitelist', { pid: 0n, staker: acct(2) }));
    rejects(w, a1, base('add_staker_to_whitelist', { pid: 0n, staker: acct(2) }), 'AlreadyInContributeWhitelist');
    rejects(w, signed(acct(3)), sp('contribute', { pid: 0n, amount: PHA }), 'NotInContributeWhitelist');
    w.ok(a1, sp('contribute', { pid: 0n, amount: PHA }));
    w.ok(a2, sp('contribute', { pid: 0n, amount: PHA }));
    rejects(w, a1, base('remove_staker_from_whitelist', { pid: 0n, staker: acct(3) }), 'NotInContributeWhitelist');
    const removed = w.ok(a1, base('remove_staker_from_whitelist', { pid: 0n, staker: acct(2) }));
    expect(removed).toEqual([ev('PhalaBasePool', 'PoolWhitelistStakerRemoved', { pid: 0n, staker: acct(2) }), ev('PhalaBasePool', 'PoolWhitelistDeleted', { pid: 0n })]);
    w.ok(signed(acct(3)), sp('contribute', { pid: 0n, amount: PHA }));
    const full = Array.from({ length: 100 }, (_, i) => ev('PhalaBasePool', 'PoolWhitelistStakerAdded', { pid: 0n, staker: `0x${(1000 + i).toString(16).padStart(64, '0')}` }));
    given(m, [ev('PhalaBasePool', 'PoolWhitelistCreated', { pid: 0n }), ...full]).when(a1, base('add_staker_to_whitelist', { pid: 0n, staker: acct(2) }), m.block).thenRejects('ExceedWhitelistMaxLen');
    expect(w.refoldMatches()).toBe(true);
  });

  it('set_pool_description: owner only, at most 4400 bytes, recorded by an event', () => {
    const hello = new TextEncoder().encode('hello');
    given(m).when(a1, base('set_pool_description', { pid: 0n, description: hello })).thenEmits([ev('PhalaBasePool', 'PoolDescriptionSet', { pid: 0n, description: hello })]);
    rejects(m, a2, base('set_pool_description', { pid: 0n, description: hello }), 'UnauthorizedPoolOwner');
    rejects(m, a1, base('set_pool_description', { pid: 0n, description: new Uint8Array(4401) }), 'ExceedMaxDescriptionLen');
  });
});
