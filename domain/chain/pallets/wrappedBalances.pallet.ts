/**
 * W-PHA (`PB:pallets/phala/src/compute/wrapped_balances.rs`, DOMAIN.md §8.1, §14 F20): PHA locked
 * in the `wpha/` account and an asset (id 10000) minted 1:1 against it. All pool accounting is in
 * W-PHA. The asset ledger (pallet_assets in Phala) lives here: balances, supply, and
 * `UnmintableDust`, the PHA that arrived but could not be minted because the amount was below the
 * asset's minimum balance for an account holding none (F4.4, F20).
 *
 * Left out: `vote`/`unlock` (democracy). Without them `locked` is always 0, and then `unwrap`'s
 * "amount + locked ≤ net value" check is implied by "amount ≤ free W-PHA", and `unwrap_all`
 * withdraws all free W-PHA — exactly Phala's behaviour for an account that never voted.
 * Transfers follow pallet_assets only where the minimum balance is 1 unit (the default here):
 * account reaping and the dust that a transfer drags along when the minimum is larger are not
 * modelled (the real minimum is UNCONFIRMED).
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { Enum, Struct, u128, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import { type Storage, type StorageReader, storageMap, storageValue } from '../../runtime/storage';
import { type AccountIdHex, type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, unreachable } from '../../runtime/types';
import { transfer as transferPha } from './balances.pallet';
import { WPHA_ACCOUNT } from './poolAccounts';

/** The pallet's name in the runtime (Phala's `PhalaWrappedBalances`). */
export const WRAPPED_BALANCES = 'PhalaWrappedBalances';
/** W-PHA's asset id in Phala (`WPhaAssetId`). */
export const WPHA_ASSET_ID = 10000;

// events
const Amount = Struct({ user: AccountId, amount: u128 });
/** W-PHA events: Phala's `Wrapped`/`Unwrapped` and the asset ledger's movements. */
export const WrappedBalancesEvent = Enum({
  /** Phala's event; the PHA move and the mint are their own events */
  Wrapped: Amount,
  /** Phala's event; the PHA move and the burn are their own events */
  Unwrapped: Amount,
  /** W-PHA created (pallet_assets `Issued`) */
  Issued: Struct({ owner: AccountId, amount: u128 }),
  /** W-PHA destroyed (pallet_assets `Burned`) */
  Burned: Struct({ owner: AccountId, amount: u128 }),
  /** W-PHA moved (pallet_assets `Transferred`) */
  Transferred: Struct({ from: AccountId, to: AccountId, amount: u128 }),
  /** a mint below the minimum balance into an empty holder: the PHA stays, nothing is minted */
  DustUnminted: Struct({ owner: AccountId, amount: u128 }),
  /** phalanet: Root set the asset's minimum balance (a chain-spec parameter, genesis call) */
  MinBalanceSet: Struct({ amount: u128 }),
});
/** One W-PHA event. */
export type WrappedBalancesEvent = CodecType<typeof WrappedBalancesEvent>;

// state
/** Free W-PHA per account (an account holding none has no entry). */
export const WphaBalances = storageMap(WRAPPED_BALANCES, 'Balances', AccountId, u128);
/** W-PHA in existence. */
export const WphaSupply = storageValue(WRAPPED_BALANCES, 'Supply', u128, 0n);
/** PHA received by `wpha/` whose W-PHA could not be minted (below the minimum balance). */
export const UnmintableDust = storageValue(WRAPPED_BALANCES, 'UnmintableDust', u128, 0n);
/** chain-spec parameter: the asset's `minimum_balance` (UNCONFIRMED in Phala; default 1 unit) */
export const WphaMinimumBalance = storageValue(WRAPPED_BALANCES, 'MinimumBalance', u128, 1n);

/** Free W-PHA of an account. */
export const wphaBalance = (s: StorageReader, who: AccountIdHex): bigint => WphaBalances.get(s, who) ?? 0n;
/** `wrapped_balances::min_balance`. */
export const wphaMinBalance = (s: StorageReader): bigint => WphaMinimumBalance.get(s);

/** Genesis: sets the W-PHA minimum balance (a chain-spec parameter). */
export function wrappedBalancesGenesis(s: Storage, config: { minimumBalance: bigint }): void {
  WphaMinimumBalance.set(s, config.minimumBalance);
}

function credit(s: Storage, who: AccountIdHex, amount: bigint) {
  WphaBalances.set(s, who, wphaBalance(s, who) + amount);
}
function debit(s: Storage, who: AccountIdHex, amount: bigint) {
  const b = wphaBalance(s, who);
  // never negative: the decider checked; a corrupt ledger must not make evolve throw
  const rest = b >= amount ? b - amount : 0n;
  if (rest === 0n) WphaBalances.remove(s, who);
  else WphaBalances.set(s, who, rest);
}

// evolve
function evolve(s: Storage, e: WrappedBalancesEvent): void {
  switch (e.tag) {
    case 'Wrapped':
    case 'Unwrapped':
      return;
    case 'Issued':
      credit(s, e.value.owner, e.value.amount);
      WphaSupply.set(s, WphaSupply.get(s) + e.value.amount);
      return;
    case 'Burned': {
      const supply = WphaSupply.get(s);
      debit(s, e.value.owner, e.value.amount);
      WphaSupply.set(s, supply >= e.value.amount ? supply - e.value.amount : 0n);
      return;
    }
    case 'Transferred':
      debit(s, e.value.from, e.value.amount);
      credit(s, e.value.to, e.value.amount);
      return;
    case 'DustUnminted':
      UnmintableDust.set(s, UnmintableDust.get(s) + e.value.amount);
      return;
    case 'MinBalanceSet':
      WphaMinimumBalance.set(s, e.value.amount);
      return;
    default:
      unreachable(e);
  }
}

// commands
/** W-PHA calls with Phala's indices (`vote` 3 and `unlock` 4 are left out). */
export const WrappedBalancesCall = Enum(
  {
    wrap: Struct({ amount: u128 }),
    unwrap_all: Struct({}),
    unwrap: Struct({ amount: u128 }),
    /** phalanet, Root only: sets the asset's minimum balance (genesis) */
    force_set_min_balance: Struct({ amount: u128 }),
  },
  [0, 1, 2, 100],
);
/** One W-PHA call. */
export type WrappedBalancesCall = CodecType<typeof WrappedBalancesCall>;

/**
 * `mint_into`: mints `amount` W-PHA to `who`. Returns false (and records the amount as
 * unmintable dust) when `who` holds no W-PHA and `amount` is below the minimum balance. Minting 0
 * succeeds and emits nothing (pallet_assets returns early on zero).
 */
export function mintInto(ctx: DispatchContext, who: AccountIdHex, amount: bigint): boolean {
  if (amount === 0n) return true;
  if (wphaBalance(ctx.storage, who) === 0n && amount < wphaMinBalance(ctx.storage)) {
    ctx.emit(WRAPPED_BALANCES, { tag: 'DustUnminted', value: { owner: who, amount } });
    return false;
  }
  ctx.emit(WRAPPED_BALANCES, { tag: 'Issued', value: { owner: who, amount } });
  return true;
}

/** `burn_from` with best effort: burns at most what `who` holds; returns what was burnt. */
export function burnFrom(ctx: DispatchContext, who: AccountIdHex, amount: bigint): bigint {
  const burnt = amount < wphaBalance(ctx.storage, who) ? amount : wphaBalance(ctx.storage, who);
  if (burnt > 0n) ctx.emit(WRAPPED_BALANCES, { tag: 'Burned', value: { owner: who, amount: burnt } });
  return burnt;
}

/** Moves W-PHA (pallet_assets `transfer`, `Preservation::Expendable`). */
export function transferWpha(ctx: DispatchContext, from: AccountIdHex, to: AccountIdHex, amount: bigint): Either<DispatchError, void> {
  if (amount < 0n) return left(dispatchError('Assets', 'InvalidAmount'));
  if (wphaBalance(ctx.storage, from) < amount) return left(dispatchError('Assets', 'BalanceLow'));
  if (amount === 0n || from === to) return right(undefined);
  ctx.emit(WRAPPED_BALANCES, { tag: 'Transferred', value: { from, to, amount } });
  return right(undefined);
}

function unwrapAmount(ctx: DispatchContext, user: AccountIdHex, amount: bigint): Either<DispatchError, void> {
  const moved = transferPha(ctx, WPHA_ACCOUNT, user, amount);
  if (isLeft(moved)) return moved;
  burnFrom(ctx, user, amount);
  return right(undefined);
}

// decide
function dispatch(ctx: DispatchContext, origin: Origin, call: WrappedBalancesCall): Either<DispatchError, void> {
  if (call.tag === 'force_set_min_balance') {
    if (origin.type !== 'Root') return left(dispatchError('System', 'BadOrigin'));
    ctx.emit(WRAPPED_BALANCES, { tag: 'MinBalanceSet', value: { amount: call.value.amount } });
    return right(undefined);
  }
  if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
  const user = origin.who;
  switch (call.tag) {
    case 'wrap': {
      const moved = transferPha(ctx, user, WPHA_ACCOUNT, call.value.amount);
      if (isLeft(moved)) return moved;
      mintInto(ctx, user, call.value.amount);
      ctx.emit(WRAPPED_BALANCES, { tag: 'Wrapped', value: { user, amount: call.value.amount } });
      return right(undefined);
    }
    case 'unwrap_all':
      // no event in Phala (F20)
      return unwrapAmount(ctx, user, wphaBalance(ctx.storage, user));
    case 'unwrap': {
      const { amount } = call.value;
      if (amount > wphaBalance(ctx.storage, user)) return left(dispatchError(WRAPPED_BALANCES, 'UnwrapAmountExceedsAvaliableStake'));
      const done = unwrapAmount(ctx, user, amount);
      if (isLeft(done)) return done;
      ctx.emit(WRAPPED_BALANCES, { tag: 'Unwrapped', value: { user, amount } });
      return right(undefined);
    }
    default:
      return unreachable(call);
  }
}

/** The W-PHA pallet. */
export const wrappedBalancesPallet = definePallet<WrappedBalancesCall, WrappedBalancesEvent>({
  name: WRAPPED_BALANCES,
  calls: WrappedBalancesCall,
  events: WrappedBalancesEvent,
  dispatch,
  evolve,
});
