/**
 * Balances: a private token (Phala's native `Balances` contract, `contracts/balances.rs` before
 * `f3dd4d2e5`). Holdings are visible only to their holder; the total issuance is public.
 * Commands: `Transfer{dest, value}` and `TransferToChain{dest, value}` (burns here, emits
 * `BalancesTransfer{dest, amount}` on `^phala/balances/transfer`) from an account;
 * `TransferToTee{who, amount}` (mints) only from a pallet origin. The deployer starts with the
 * supply given at instantiation.
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { assign, emit, enqueueActions, setup } from 'xstate';
import { fromHex, toHex } from '../../../domain/codec/hex';
import { fixedBytes, str, struct, u128, unit, variant } from '../../../domain/codec/scale';
import { type CommandCall, type ProgramOutput, defineProgram } from '../contractProgram';

const account = fixedBytes(32);

/** `BalancesCommand<AccountId, Balance>`. */
export const balancesCommandCodec = variant('BalancesCommand', {
  Transfer: struct({ dest: account, value: u128 }),
  TransferToChain: struct({ dest: account, value: u128 }),
  TransferToTee: struct({ who: account, amount: u128 }),
});
/** A Balances command. */
export type BalancesCommand = ReturnType<(typeof balancesCommandCodec)['dec']>;

/** `Request`. */
export const balancesQueryCodec = variant('BalancesRequest', { FreeBalance: struct({ account }), TotalIssuance: unit });
/** A Balances query. */
export type BalancesQuery = ReturnType<(typeof balancesQueryCodec)['dec']>;

/** `Response`; a refusal is `Error("not authorized")`, as in Phala. */
export const balancesResponseCodec = variant('BalancesResponse', {
  FreeBalance: struct({ balance: u128 }),
  TotalIssuance: struct({ totalIssuance: u128 }),
  Error: str,
});
/** A Balances reply. */
export type BalancesResponse = ReturnType<(typeof balancesResponseCodec)['dec']>;

/** The instantiate data: the supply minted to the deployer. */
export const balancesInitCodec = struct({ supply: u128 });

/** `BalancesTransfer{dest, amount}`: what `TransferToChain` sends to the chain. */
export const balancesTransferCodec = struct({ dest: account, amount: u128 });
/** Topic of {@link balancesTransferCodec} (`bind_topic!` in phala-types). */
export const BALANCES_TRANSFER_TOPIC = '^phala/balances/transfer';
/** The reply to a balance query from anyone but the holder. */
export const NOT_AUTHORIZED = 'not authorized';

const contextType = t.type({ totalIssuance: t.bigint, accounts: t.record(t.string, t.bigint) });
type BalancesContext = t.TypeOf<typeof contextType>;
type BalancesEvent = { type: 'command'; command: BalancesCommand; call: CommandCall };
type Decision = E.Either<string, { context: BalancesContext; egress: Array<Extract<ProgramOutput, { type: 'egress' }>> }>;

function debit(ctx: BalancesContext, from: string | undefined, value: bigint): E.Either<string, Record<string, bigint>> {
  if (from === undefined) return E.left('BadOrigin');
  const balance = ctx.accounts[from];
  if (balance === undefined) return E.left('NoBalance');
  if (balance < value) return E.left('InsufficientBalance');
  return E.right({ ...ctx.accounts, [from]: balance - value });
}

const credit = (accounts: Record<string, bigint>, to: string, value: bigint) => ({ ...accounts, [to]: (accounts[to] ?? 0n) + value });

/** The decider behind the machine: Phala's checks and their order. */
export function decideBalances(ctx: BalancesContext, command: BalancesCommand, call: CommandCall): Decision {
  switch (command.tag) {
    case 'Transfer': {
      const { dest, value } = command.value;
      return E.map((accounts: Record<string, bigint>) => ({ context: { ...ctx, accounts: credit(accounts, toHex(dest), value) }, egress: [] }))(debit(ctx, call.sender, value));
    }
    case 'TransferToChain': {
      const { dest, value } = command.value;
      const payload = balancesTransferCodec.enc({ dest, amount: value });
      return E.map((accounts: Record<string, bigint>) => ({
        context: { totalIssuance: ctx.totalIssuance - value, accounts },
        egress: [{ type: 'egress' as const, topic: BALANCES_TRANSFER_TOPIC, payload }],
      }))(debit(ctx, call.sender, value));
    }
    case 'TransferToTee': {
      if (!call.fromPallet) return E.left('BadOrigin');
      const { who, amount } = command.value;
      return E.right({ context: { totalIssuance: ctx.totalIssuance + amount, accounts: credit(ctx.accounts, toHex(who), amount) }, egress: [] });
    }
    default: {
      const never: never = command;
      throw new Error(`unknown Balances command ${JSON.stringify(never)}`);
    }
  }
}

/** One state; every command goes through {@link decideBalances}. */
export const balancesMachine = setup({
  types: { context: {} as BalancesContext, events: {} as BalancesEvent, input: {} as { owner: string; supply: bigint }, emitted: {} as ProgramOutput },
}).createMachine({
  id: 'balances',
  context: ({ input }) => ({ totalIssuance: input.supply, accounts: input.supply > 0n ? { [input.owner]: input.supply } : {} }),
  initial: 'active',
  states: {
    active: {
      on: {
        command: {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const decision = decideBalances(context, event.command, event.call);
            if (E.isLeft(decision)) return enqueue(emit({ type: 'refused', reason: decision.left }));
            enqueue(assign(decision.right.context));
            for (const out of decision.right.egress) enqueue(emit(out));
          }),
        },
      },
    },
  },
});

/** The Balances program, version 1. */
export const balancesProgram = defineProgram({
  name: 'Balances',
  version: '1',
  machine: balancesMachine,
  initCodec: balancesInitCodec,
  commandCodec: balancesCommandCodec,
  queryCodec: balancesQueryCodec,
  responseCodec: balancesResponseCodec,
  contextType,
  input: (init, call) => ({ owner: call.deployer, supply: init.supply }),
  commandEvent: (command, call) => ({ type: 'command' as const, command, call }),
  query: (snapshot, query, call): BalancesResponse => {
    switch (query.tag) {
      case 'FreeBalance': {
        const who = toHex(query.value.account);
        // only the holder may read a holding; anonymous queries included
        if (call.caller !== who) return { tag: 'Error', value: NOT_AUTHORIZED };
        return { tag: 'FreeBalance', value: { balance: snapshot.context.accounts[who] ?? 0n } };
      }
      case 'TotalIssuance':
        return { tag: 'TotalIssuance', value: { totalIssuance: snapshot.context.totalIssuance } };
      default: {
        const never: never = query;
        throw new Error(`unknown Balances query ${JSON.stringify(never)}`);
      }
    }
  },
});

/** A 32-byte account from `0x` hex (helper for callers building commands). */
export const accountBytes = (hex: string): Uint8Array => fromHex(hex, 'account', 32);
