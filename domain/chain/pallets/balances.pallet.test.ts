import { createRuntime } from '../../runtime/runtime';
import { decider } from '../../runtime/testing/deciderSpec';
import { account, balancesPallet } from './balances.pallet';

const alice = `0x${'aa'.repeat(32)}`;
const bob = `0x${'bb'.repeat(32)}`;
const runtime = createRuntime([balancesPallet]);
const spec = decider(runtime);
const endow = (who: string, amount: bigint) => ({ tag: 'Balances', value: { tag: 'Endowed', value: { account: who, freeBalance: amount } } });
const transfer = (dest: string, value: bigint) => ({ tag: 'Balances', value: { tag: 'transfer', value: { dest, value } } });

describe('Balances', () => {
  it('transfers PHA between accounts', () => {
    const s = spec
      .given([endow(alice, 100n)])
      .when({ type: 'Signed', who: alice }, transfer(bob, 40n))
      .thenEmits([{ tag: 'Balances', value: { tag: 'Transfer', value: { from: alice, to: bob, amount: 40n } } }]);
    expect(account(s, alice).free).toBe(60n);
    expect(account(s, bob).free).toBe(40n);
  });

  it('refuses to overdraw and changes nothing', () => {
    const s = spec.given([endow(alice, 10n)]).when({ type: 'Signed', who: alice }, transfer(bob, 11n)).thenRejects('InsufficientBalance');
    expect(account(s, alice).free).toBe(10n);
    expect(account(s, bob).free).toBe(0n);
  });

  it('endowing is root only', () => {
    spec.given([]).when({ type: 'Signed', who: alice }, { tag: 'Balances', value: { tag: 'forceEndow', value: { who: alice, amount: 1n, memo: undefined } } }).thenRejects('BadOrigin');
  });

  it('round-trips every call and event through SCALE', () => {
    const call = transfer(bob, 2n ** 100n);
    expect(runtime.callCodec.dec(runtime.callCodec.enc(call))).toEqual(call);
    const ev = { tag: 'Balances', value: { tag: 'ExtrinsicFailed', value: { who: alice, nonce: 3, pallet: 'Balances', error: 'InsufficientBalance' } } };
    expect(runtime.eventCodec.dec(runtime.eventCodec.enc(ev))).toEqual(ev);
  });
});
