/**
 * Properties of the pool pallets over random call sequences (fast-check): PHA is conserved (the
 * subsidy pool pays the rewards), W-PHA supply + unmintable dust equals the PHA held by `wpha/`,
 * W-PHA balances add up to the supply, shares × price ≈ value, a stake pool can always pay its
 * value, share accounting never exceeds the pool's shares, and the state is the fold of the events.
 */
import fc from 'fast-check';
import { Accounts } from './balances.pallet';
import { WPHA_ACCOUNT } from './poolAccounts';
import { bmul, DUST } from './poolMath';
import { Pools, Positions, sharePrice } from './poolStorage';
import { sessionAccount } from './poolAccounts';
import { acct, comp, PhalaMock, PHA, root, signed, sp, vaultCall, worker } from './testing/poolTestKit';
import type { RuntimeEvent } from '../../runtime/types';
import { UnmintableDust, WphaBalances, WphaSupply } from './wrappedBalances.pallet';

const users = [1, 2, 3, 99].map(acct);
const user = fc.constantFrom(...users);
const stakePid = fc.constantFrom(0n, 1n);
const anyPid = fc.constantFrom(0n, 1n, 2n);
const workerOf = (pid: bigint, i: number) => worker(pid === 0n ? 1 + i : 3 + i);
const amount = fc.oneof(
  fc.bigInt({ min: 0n, max: 160n * PHA }),
  fc.bigInt({ min: 0n, max: 200_000_000n }),
  fc.constantFrom(PHA / 100n, 100n * PHA, 1000n),
);
const payout = fc.oneof(fc.bigInt({ min: 0n, max: 50n << 64n }), fc.bigInt({ min: 0n, max: 1n << 40n }), fc.constant(0n));

type Step = { origin: 'root' | string; call: RuntimeEvent } | { elapse: number };
const step = (origin: string, call: RuntimeEvent): Step => ({ origin, call });

const elapse = fc.integer({ min: 1, max: 12 * 24 * 3600 }).map((seconds): Step => ({ elapse: seconds }));
const reclaim = fc.record({ pid: stakePid, i: fc.nat(1) }).map(({ pid, i }) => step(acct(3), sp('reclaim_pool_worker', { pid, worker: workerOf(pid, i) })));

const action: fc.Arbitrary<Step> = fc.oneof(
  elapse,
  elapse,
  reclaim,
  fc.record({ who: user, amount }).map(({ who, amount }) => step(who, { tag: 'PhalaWrappedBalances', value: { tag: 'wrap', value: { amount } } })),
  fc.record({ who: user, amount }).map(({ who, amount }) => step(who, { tag: 'PhalaWrappedBalances', value: { tag: 'unwrap', value: { amount } } })),
  user.map((who) => step(who, { tag: 'PhalaWrappedBalances', value: { tag: 'unwrap_all', value: {} } })),
  fc.record({ who: user, pid: stakePid, amount, viaVault: fc.boolean() }).map(({ who, pid, amount, viaVault }) => step(viaVault ? acct(99) : who, sp('contribute', { pid, amount, asVault: viaVault ? 2n : undefined }))),
  fc.record({ who: user, pid: stakePid, shares: amount, viaVault: fc.boolean() }).map(({ who, pid, shares, viaVault }) => step(viaVault ? acct(99) : who, sp('withdraw', { pid, shares, asVault: viaVault ? 2n : undefined }))),
  fc.record({ who: user, amount }).map(({ who, amount }) => step(who, vaultCall('contribute', { pid: 2n, amount }))),
  fc.record({ who: user, shares: amount }).map(({ who, shares }) => step(who, vaultCall('withdraw', { pid: 2n, shares }))),
  fc.record({ pid: stakePid, i: fc.nat(1), stake: fc.bigInt({ min: 95n * PHA, max: 200n * PHA }) }).map(({ pid, i, stake }) => step(pid === 0n ? acct(1) : acct(2), sp('start_computing', { pid, worker: workerOf(pid, i), stake }))),
  fc.record({ pid: stakePid, i: fc.nat(1) }).map(({ pid, i }) => step(pid === 0n ? acct(1) : acct(2), sp('stop_computing', { pid, worker: workerOf(pid, i) }))),
  reclaim,
  fc.record({ pid: stakePid, i: fc.nat(1), stake: fc.bigInt({ min: 100n * PHA, max: 250n * PHA }) }).map(({ pid, i, stake }) => step(pid === 0n ? acct(1) : acct(2), sp('restart_computing', { pid, worker: workerOf(pid, i), stake }))),
  fc.record({ pid: stakePid, i: fc.nat(1) }).map(({ pid, i }) => step(pid === 0n ? acct(1) : acct(2), comp('unbind', { session: sessionAccount(pid, workerOf(pid, i)) }))),
  fc.array(fc.record({ w: fc.integer({ min: 1, max: 5 }), p: payout }), { minLength: 1, maxLength: 3 }).map((es) => step('root', comp('settle', { entries: es.map(({ w, p }) => ({ pubkey: worker(w), payoutBits: p })) }))),
  fc.record({ pid: stakePid, ppm: fc.integer({ min: 0, max: 1_000_000 }) }).map(({ pid, ppm }) => step(pid === 0n ? acct(1) : acct(2), sp('set_payout_pref', { pid, payoutCommission: ppm }))),
  fc.integer({ min: 0, max: 1_000_000 }).map((ppm) => step(acct(99), vaultCall('set_payout_pref', { pid: 2n, payoutCommission: ppm }))),
  fc.constant(step(acct(99), vaultCall('maybe_gain_owner_shares', { vaultPid: 2n }))),
  fc.record({ who: user, shares: amount }).map(({ who, shares }) => step(acct(99), vaultCall('claim_owner_shares', { vaultPid: 2n, target: who, shares }))),
  stakePid.map((pid) => step(pid === 0n ? acct(1) : acct(2), sp('claim_owner_rewards', { pid, target: acct(3) }))),
  anyPid.map((pid) => step(acct(3), pid === 2n ? vaultCall('check_and_maybe_force_withdraw', { vaultPid: 2n }) : sp('check_and_maybe_force_withdraw', { pid }))),
  elapse,
);

/** pools 0 (owner 1, workers 1, 2) and 1 (owner 2, workers 3, 4), vault 2 (owner 99) invested in both, workers 1 and 3 computing */
function chain(min: bigint): PhalaMock {
  const m = new PhalaMock({ wphaMinimumBalance: min });
  m.setupWorkers(2, () => acct(1));
  for (const i of [3, 4]) m.ok(root, comp('force_register_worker', { pubkey: worker(i), operator: acct(2), initialScore: 1 }));
  m.setupStakePool(acct(1), [1, 2]);
  m.setupStakePool(acct(2), [3, 4]);
  m.setupVault(acct(99));
  for (const who of users) m.wrap(who, 600n * PHA);
  for (const who of users.slice(0, 3)) for (const pid of [0n, 1n]) m.ok(signed(who), sp('contribute', { pid, amount: 150n * PHA }));
  m.ok(signed(acct(99)), vaultCall('contribute', { pid: 2n, amount: 300n * PHA }));
  for (const pid of [0n, 1n]) m.ok(signed(acct(99)), sp('contribute', { pid, amount: 100n * PHA, asVault: 2n }));
  m.ok(signed(acct(1)), sp('start_computing', { pid: 0n, worker: worker(1), stake: 150n * PHA }));
  m.ok(signed(acct(2)), sp('start_computing', { pid: 1n, worker: worker(3), stake: 150n * PHA }));
  return m;
}

const sumPha = (m: PhalaMock) => Accounts.entries(m.storage).reduce((t, [, a]) => t + a.free, 0n);

function checkInvariants(m: PhalaMock, phaTotal: bigint): void {
  expect(sumPha(m)).toBe(phaTotal);
  const wphaHeld = Accounts.get(m.storage, WPHA_ACCOUNT)?.free ?? 0n;
  expect(WphaSupply.get(m.storage) + UnmintableDust.get(m.storage)).toBe(wphaHeld);
  const balances = WphaBalances.entries(m.storage);
  expect(balances.reduce((t, [, b]) => t + b, 0n)).toBe(WphaSupply.get(m.storage));
  for (const [, b] of balances) expect(b > 0n).toBe(true);
  const positions = Positions.entries(m.storage);
  for (const [pid, pool] of Pools.entries(m.storage)) {
    const bp = pool.value.basepool;
    const held = positions.filter(([[p]]) => p === pid).reduce((t, [, s]) => t + s, 0n) + bp.withdrawQueue.reduce((t, w) => t + w.shares, 0n);
    const owner = pool.tag === 'Vault' ? pool.value.ownerShares : 0n;
    expect(held + owner <= bp.totalShares).toBe(true);
    const price = sharePrice(bp);
    if (price !== undefined) {
      const diff = bmul(bp.totalShares, price) - bp.totalValue;
      expect((diff < 0n ? -diff : diff) <= DUST + (bp.totalValue >> 40n)).toBe(true);
    }
    if (pool.tag === 'StakePool') {
      const free = WphaBalances.get(m.storage, bp.poolAccountId) ?? 0n;
      const locked = WphaBalances.get(m.storage, pool.value.lockAccount) ?? 0n;
      expect(bp.totalValue <= free + locked).toBe(true);
    }
  }
}

describe('pool pallets over random call sequences', () => {
  it('conserve PHA and W-PHA, keep shares and value consistent, and stay the fold of their events', () => {
    fc.assert(
      fc.property(fc.constantFrom(1n, 100_000_000n), fc.array(action, { minLength: 5, maxLength: 50, size: 'max' }), (min, steps) => {
        const m = chain(min);
        const phaTotal = sumPha(m);
        for (const s of steps) {
          if ('elapse' in s) m.elapse(s.elapse);
          else m.apply(s.origin === 'root' ? root : signed(s.origin), s.call);
          checkInvariants(m, phaTotal);
        }
        expect(m.refoldMatches()).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
