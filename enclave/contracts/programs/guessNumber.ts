/**
 * GuessNumber (after Phala's native `guess_number.rs`): a secret number drawn inside the enclave
 * from randomness derived from the contract key, so every worker of the cluster holds the same
 * secret and nobody else can compute it. Guesses are commands (in chain order, identical on every
 * worker); each guess's verdict — too small, too large, correct — is recorded for the guesser
 * alone and read back with a signed `MyGuesses` query. A correct guess closes the round; the owner
 * (`Reset`) draws the next secret. No query returns the secret. (Phala guessed by query and let
 * the owner `PeekRandomNumber`; here guesses are replicated commands and nobody peeks.)
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { enqueueActions, setup } from 'xstate';
import { fromHex, toHex } from '../../../domain/codec/hex';
import { fixedBytes, option, str, struct, u32, unit, variant, vec } from '../../../domain/codec/scale';
import { type CommandCall, type ProgramOutput, defineProgram } from '../contractProgram';

const account = fixedBytes(32);

/** Commands. */
export const guessCommandCodec = variant('GuessNumberCommand', { Guess: struct({ number: u32 }), Reset: unit });
/** A GuessNumber command. */
export type GuessCommand = ReturnType<(typeof guessCommandCodec)['dec']>;

/** Queries. */
export const guessQueryCodec = variant('GuessNumberRequest', { Owner: unit, MyGuesses: unit, Round: unit });

const verdictCodec = variant('GuessResult', { TooLarge: unit, TooSmall: unit, Correct: unit });
/** Replies. */
export const guessResponseCodec = variant('GuessNumberResponse', {
  Owner: account,
  Guesses: vec(struct({ round: u32, number: u32, verdict: verdictCodec })),
  Round: struct({ round: u32, maxNumber: u32, winner: option(account) }),
  Error: str,
});
/** A GuessNumber reply. */
export type GuessResponse = ReturnType<(typeof guessResponseCodec)['dec']>;

/** Instantiate data: secrets are drawn from `1..=maxNumber`. */
export const guessInitCodec = struct({ maxNumber: u32 });

const verdictType = t.union([t.literal('TooLarge'), t.literal('TooSmall'), t.literal('Correct')]);
const contextType = t.type({
  owner: t.string,
  maxNumber: t.number,
  round: t.number,
  secret: t.number,
  winner: t.union([t.string, t.null]),
  guesses: t.record(t.string, t.array(t.type({ round: t.number, number: t.number, verdict: verdictType }))),
});
type GuessContext = t.TypeOf<typeof contextType>;
type Phase = 'open' | 'solved';
type GuessEvent = { type: 'command'; command: GuessCommand; call: CommandCall };

/** The secret for a round: `1 + u32_be(entropy[0..4]) mod maxNumber`. */
export function drawSecret(entropy: string, maxNumber: number): number {
  const b = fromHex(entropy, 'entropy', 32);
  return 1 + (((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!) % maxNumber;
}

/** The decider: what a command does in a phase (`Left` = refused, nothing changes). */
export function decideGuess(ctx: GuessContext, phase: Phase, command: GuessCommand, call: CommandCall): E.Either<string, { context: GuessContext; phase: Phase }> {
  if (call.sender === undefined) return E.left('BadOrigin');
  switch (command.tag) {
    case 'Guess': {
      if (phase === 'solved') return E.left('RoundSolved');
      const n = command.value.number;
      const verdict = n > ctx.secret ? 'TooLarge' : n < ctx.secret ? 'TooSmall' : 'Correct';
      const mine = [...(ctx.guesses[call.sender] ?? []), { round: ctx.round, number: n, verdict } as const];
      const context = { ...ctx, guesses: { ...ctx.guesses, [call.sender]: mine }, winner: verdict === 'Correct' ? call.sender : ctx.winner };
      return E.right({ context, phase: verdict === 'Correct' ? 'solved' : 'open' });
    }
    case 'Reset': {
      if (call.sender !== ctx.owner) return E.left('BadOrigin');
      return E.right({ context: { ...ctx, round: ctx.round + 1, secret: drawSecret(call.entropy, ctx.maxNumber), winner: null }, phase: 'open' });
    }
    default: {
      const never: never = command;
      throw new Error(`unknown GuessNumber command ${JSON.stringify(never)}`);
    }
  }
}

const phaseAfter = (ctx: GuessContext, phase: Phase, e: GuessEvent): Phase | undefined => {
  const d = decideGuess(ctx, phase, e.command, e.call);
  return E.isRight(d) ? d.right.phase : undefined;
};

/** `open` (guesses accepted) ⇄ `solved` (until the owner resets). */
export const guessNumberMachine = setup({
  types: { context: {} as GuessContext, events: {} as GuessEvent, input: {} as { owner: string; maxNumber: number; entropy: string }, emitted: {} as ProgramOutput },
  actions: {
    applyOpen: enqueueActions(({ context, event, enqueue }) => {
      const d = decideGuess(context, 'open', event.command, event.call);
      if (E.isLeft(d)) enqueue.emit({ type: 'refused', reason: d.left });
      else enqueue.assign(d.right.context);
    }),
    applySolved: enqueueActions(({ context, event, enqueue }) => {
      const d = decideGuess(context, 'solved', event.command, event.call);
      if (E.isLeft(d)) enqueue.emit({ type: 'refused', reason: d.left });
      else enqueue.assign(d.right.context);
    }),
  },
}).createMachine({
  id: 'guessNumber',
  context: ({ input }) => ({ owner: input.owner, maxNumber: input.maxNumber, round: 1, secret: drawSecret(input.entropy, input.maxNumber), winner: null, guesses: {} }),
  initial: 'open',
  states: {
    open: {
      on: {
        command: [{ guard: ({ context, event }) => phaseAfter(context, 'open', event) === 'solved', target: 'solved', actions: 'applyOpen' }, { actions: 'applyOpen' }],
      },
    },
    solved: {
      on: {
        command: [{ guard: ({ context, event }) => phaseAfter(context, 'solved', event) === 'open', target: 'open', actions: 'applySolved' }, { actions: 'applySolved' }],
      },
    },
  },
});

/** The GuessNumber program, version 1. */
export const guessNumberProgram = defineProgram({
  name: 'GuessNumber',
  version: '1',
  machine: guessNumberMachine,
  initCodec: guessInitCodec,
  commandCodec: guessCommandCodec,
  queryCodec: guessQueryCodec,
  responseCodec: guessResponseCodec,
  contextType,
  input: (init, call) => {
    if (init.maxNumber < 1) throw new Error('GuessNumber needs maxNumber ≥ 1');
    return { owner: call.deployer, maxNumber: init.maxNumber, entropy: call.entropy };
  },
  commandEvent: (command, call) => ({ type: 'command' as const, command, call }),
  query: (snapshot, query, call): GuessResponse => {
    const ctx = snapshot.context;
    switch (query.tag) {
      case 'Owner':
        return { tag: 'Owner', value: fromHex(ctx.owner, 'owner', 32) };
      case 'MyGuesses':
        if (call.caller === undefined) return { tag: 'Error', value: 'OriginUnavailable' };
        return { tag: 'Guesses', value: (ctx.guesses[call.caller] ?? []).map((g) => ({ round: g.round, number: g.number, verdict: { tag: g.verdict, value: undefined } })) };
      case 'Round':
        return { tag: 'Round', value: { round: ctx.round, maxNumber: ctx.maxNumber, winner: ctx.winner === null ? undefined : fromHex(ctx.winner, 'winner', 32) } };
      default: {
        const never: never = query;
        throw new Error(`unknown GuessNumber query ${JSON.stringify(never)}`);
      }
    }
  },
});

/** `0x` hex of an account (for tests and callers). */
export const accountHex = toHex;
