/**
 * System + Balances: accounts with a nonce and a free PHA balance (bigint units, 1 PHA = 10^12),
 * transfers, and the per-extrinsic outcome events. phalanet charges no transaction fees, and has
 * no existential deposit or account reaping (README "What phalanet does not model").
 *
 * `ExtrinsicSuccess`/`ExtrinsicFailed` carry the signer and nonce, so the nonce is part of the
 * event fold (Substrate bumps it in `CheckNonce`, outside the dispatch transaction: a failed
 * extrinsic still uses its nonce).
 */
import { type Either, left, right } from 'fp-ts/Either';
import { Enum, Struct, str, u32, u128, Option, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import { type Storage, type StorageReader, storageMap } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, unreachable } from '../../runtime/types';

export const BALANCES = 'Balances';

// events
export const BalancesEvent = Enum({
  Endowed: Struct({ account: AccountId, freeBalance: u128 }),
  Transfer: Struct({ from: AccountId, to: AccountId, amount: u128 }),
  ExtrinsicSuccess: Struct({ who: AccountId, nonce: u32 }),
  ExtrinsicFailed: Struct({ who: AccountId, nonce: u32, pallet: str, error: str }),
});
export type BalancesEvent = CodecType<typeof BalancesEvent>;

// state
export const AccountInfo = Struct({ nonce: u32, free: u128 });
export type AccountInfo = CodecType<typeof AccountInfo>;
export const Accounts = storageMap(BALANCES, 'Account', AccountId, AccountInfo);
const empty: AccountInfo = { nonce: 0, free: 0n };

/** The account's nonce and balance (zero for an account never seen). */
export const account = (s: StorageReader, who: AccountIdHex): AccountInfo => Accounts.get(s, who) ?? empty;

// evolve
function evolve(s: Storage, e: BalancesEvent): void {
  switch (e.tag) {
    case 'Endowed': {
      const a = account(s, e.value.account);
      Accounts.set(s, e.value.account, { ...a, free: a.free + e.value.freeBalance });
      return;
    }
    case 'Transfer': {
      const { from, to, amount } = e.value;
      const a = account(s, from);
      // never negative: decide checked it; a corrupt ledger must not make evolve throw
      Accounts.set(s, from, { ...a, free: a.free >= amount ? a.free - amount : 0n });
      const b = account(s, to);
      Accounts.set(s, to, { ...b, free: b.free + amount });
      return;
    }
    case 'ExtrinsicSuccess':
    case 'ExtrinsicFailed': {
      const a = account(s, e.value.who);
      Accounts.set(s, e.value.who, { ...a, nonce: e.value.nonce + 1 });
      return;
    }
    default:
      unreachable(e);
  }
}

// commands
export const BalancesCall = Enum({
  transfer: Struct({ dest: AccountId, value: u128 }),
  /** root only: credit an account out of nothing (genesis-style endowment for tests and faucets) */
  forceEndow: Struct({ who: AccountId, amount: u128, memo: Option(str) }),
});
export type BalancesCall = CodecType<typeof BalancesCall>;

/** Moves `amount` PHA; the shared primitive every pallet uses to move PHA. */
export function transfer(ctx: DispatchContext, from: AccountIdHex, to: AccountIdHex, amount: bigint): Either<DispatchError, void> {
  if (amount < 0n) return left(dispatchError(BALANCES, 'InvalidAmount'));
  if (account(ctx.storage, from).free < amount) return left(dispatchError(BALANCES, 'InsufficientBalance'));
  if (amount === 0n || from === to) return right(undefined);
  ctx.emit(BALANCES, { tag: 'Transfer', value: { from, to, amount } });
  return right(undefined);
}

// decide
function dispatch(ctx: DispatchContext, origin: Origin, call: BalancesCall): Either<DispatchError, void> {
  switch (call.tag) {
    case 'transfer':
      if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
      return transfer(ctx, origin.who, call.value.dest, call.value.value);
    case 'forceEndow':
      if (origin.type !== 'Root') return left(dispatchError('System', 'BadOrigin'));
      ctx.emit(BALANCES, { tag: 'Endowed', value: { account: call.value.who, freeBalance: call.value.amount } });
      return right(undefined);
    default:
      return unreachable(call);
  }
}

export const balancesPallet = definePallet<BalancesCall, BalancesEvent>({
  name: BALANCES,
  calls: BalancesCall,
  events: BalancesEvent,
  dispatch,
  evolve,
});
