import { createRuntime } from '../../runtime/runtime';
import { decider } from '../../runtime/testing/deciderSpec';
import type { RuntimeEvent } from '../../runtime/types';
import { Accounts, account, balancesPallet } from './balances.pallet';
import { WPHA_ACCOUNT } from './poolAccounts';
import { acct, call, PhalaMock, PHA, signed, sp } from './testing/poolTestKit';
import { UnmintableDust, WphaSupply, wphaBalance, wrappedBalancesGenesis, wrappedBalancesPallet } from './wrappedBalances.pallet';

const runtime = createRuntime([balancesPallet, wrappedBalancesPallet]);
const MIN = 100_000_000n;
const spec = decider(runtime, (s) => {
  Accounts.set(s, acct(1), { nonce: 0, free: 1000n * PHA });
  wrappedBalancesGenesis(s, { minimumBalance: MIN });
});
const w = (name: string, args: object = {}) => call('PhalaWrappedBalances', name, args);
const ev = (pallet: string, tag: string, value: object): RuntimeEvent => ({ tag: pallet, value: { tag, value } });
const wrapped = (who: string, amount: bigint) => [
  ev('Balances', 'Transfer', { from: who, to: WPHA_ACCOUNT, amount }),
  ev('PhalaWrappedBalances', 'Issued', { owner: who, amount }),
  ev('PhalaWrappedBalances', 'Wrapped', { user: who, amount }),
];

describe('W-PHA', () => {
  it('test_wrap: PHA moves to wpha/ and the same amount of W-PHA is minted', () => {
    const s = spec.given([]).when(signed(acct(1)), w('wrap', { amount: 100n * PHA })).thenEmits(wrapped(acct(1), 100n * PHA));
    expect(account(s, WPHA_ACCOUNT).free).toBe(100n * PHA);
    expect(account(s, acct(1)).free).toBe(900n * PHA);
    expect(wphaBalance(s, acct(1))).toBe(100n * PHA);
  });

  it('test_unwrap: burns W-PHA and returns PHA; not more than the free W-PHA', () => {
    const given = spec.given(wrapped(acct(1), 100n * PHA));
    const s = given.when(signed(acct(1)), w('unwrap', { amount: 50n * PHA })).thenEmits([
      ev('Balances', 'Transfer', { from: WPHA_ACCOUNT, to: acct(1), amount: 50n * PHA }),
      ev('PhalaWrappedBalances', 'Burned', { owner: acct(1), amount: 50n * PHA }),
      ev('PhalaWrappedBalances', 'Unwrapped', { user: acct(1), amount: 50n * PHA }),
    ]);
    expect([account(s, acct(1)).free, account(s, WPHA_ACCOUNT).free, wphaBalance(s, acct(1))]).toEqual([950n * PHA, 50n * PHA, 50n * PHA]);
    spec.given(wrapped(acct(1), 100n * PHA)).when(signed(acct(1)), w('unwrap', { amount: 100n * PHA + 1n })).thenRejects('UnwrapAmountExceedsAvaliableStake');
  });

  it('unwrap_all (F20): unwraps all free W-PHA and emits no Phala event', () => {
    const s = spec.given(wrapped(acct(1), 100n * PHA)).when(signed(acct(1)), w('unwrap_all')).thenEmits([
      ev('Balances', 'Transfer', { from: WPHA_ACCOUNT, to: acct(1), amount: 100n * PHA }),
      ev('PhalaWrappedBalances', 'Burned', { owner: acct(1), amount: 100n * PHA }),
    ]);
    expect(account(s, acct(1)).free).toBe(1000n * PHA);
    spec.given([]).when(signed(acct(1)), w('unwrap_all')).thenEmits([]);
  });

  it('test_unwrap_all: shares in a pool stay; only the free W-PHA comes back', () => {
    const m = new PhalaMock();
    m.wrap(acct(1), 100n * PHA);
    m.setupWorkers(2);
    m.setupStakePool(acct(1), [1, 2]);
    m.ok(signed(acct(1)), sp('contribute', { pid: 0n, amount: 50n * PHA }));
    m.ok(signed(acct(1)), w('unwrap_all'));
    expect(account(m.storage, acct(1)).free).toBe(950n * PHA);
    m.wrap(acct(2), 100n * PHA);
    m.ok(signed(acct(2)), w('unwrap_all'));
    expect(account(m.storage, acct(2)).free).toBe(2000n * PHA);
    expect(m.refoldMatches()).toBe(true);
  });

  it('F20: wrapping less than the minimum into an empty holder mints nothing, keeps the PHA, still emits Wrapped', () => {
    const s = spec.given([]).when(signed(acct(1)), w('wrap', { amount: MIN - 1n })).thenEmits([
      ev('Balances', 'Transfer', { from: acct(1), to: WPHA_ACCOUNT, amount: MIN - 1n }),
      ev('PhalaWrappedBalances', 'DustUnminted', { owner: acct(1), amount: MIN - 1n }),
      ev('PhalaWrappedBalances', 'Wrapped', { user: acct(1), amount: MIN - 1n }),
    ]);
    expect([wphaBalance(s, acct(1)), UnmintableDust.get(s), WphaSupply.get(s), account(s, WPHA_ACCOUNT).free]).toEqual([0n, MIN - 1n, 0n, MIN - 1n]);
    // a holder that already has W-PHA can receive any amount
    spec.given(wrapped(acct(1), MIN)).when(signed(acct(1)), w('wrap', { amount: 1n })).thenEmits(wrapped(acct(1), 1n));
  });

  it('wrap needs the PHA and a signed origin', () => {
    spec.given([]).when(signed(acct(1)), w('wrap', { amount: 1001n * PHA })).thenRejects('InsufficientBalance');
    spec.given([]).when({ type: 'Root' }, w('wrap', { amount: 1n })).thenRejects('BadOrigin');
  });

  it('round-trips every call and event through SCALE', () => {
    const calls = [w('wrap', { amount: 2n ** 120n }), w('unwrap_all'), w('unwrap', { amount: 5n })];
    for (const c of calls) expect(runtime.callCodec.dec(runtime.callCodec.enc(c))).toEqual(c);
    // call indices are Phala's: wrap 0, unwrap_all 1, unwrap 2
    expect([...runtime.callCodec.enc(calls[2]!).subarray(0, 2)]).toEqual([1, 2]);
    const events = [...wrapped(acct(1), 7n), ev('PhalaWrappedBalances', 'Unwrapped', { user: acct(1), amount: 1n }), ev('PhalaWrappedBalances', 'Burned', { owner: acct(1), amount: 1n }), ev('PhalaWrappedBalances', 'Transferred', { from: acct(1), to: acct(2), amount: 1n }), ev('PhalaWrappedBalances', 'DustUnminted', { owner: acct(1), amount: 1n })];
    for (const e of events) expect(runtime.eventCodec.dec(runtime.eventCodec.enc(e))).toEqual(e);
  });
});
