/**
 * SecretBallot: private ballots, public tallies after a deadline. An instructive third program:
 * it shows block-bounded phases (votes accepted up to the deadline block, tallies readable only
 * after it), a read rule that depends on the query's block, a change of mind (the last ballot of
 * a voter counts), and a public result the contract signs and sends to the chain on `Close`.
 * Ballots travel encrypted to the contract key; nobody, the owner included, can read another
 * voter's ballot.
 */
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { enqueueActions, setup } from 'xstate';
import { option, str, struct, u32, unit, variant, vec } from '../../../domain/codec/scale';
import { type CommandCall, type ProgramOutput, defineProgram } from '../contractProgram';

/** Commands. */
export const ballotCommandCodec = variant('BallotCommand', { Vote: struct({ choice: u32 }), Close: unit });
/** A SecretBallot command. */
export type BallotCommand = ReturnType<(typeof ballotCommandCodec)['dec']>;

/** Queries. */
export const ballotQueryCodec = variant('BallotRequest', { MyBallot: unit, Turnout: unit, Tally: unit });

/** Replies. */
export const ballotResponseCodec = variant('BallotResponse', {
  MyBallot: option(u32),
  Turnout: u32,
  Tally: vec(struct({ choice: str, votes: u32 })),
  Error: str,
});
/** A SecretBallot reply. */
export type BallotResponse = ReturnType<(typeof ballotResponseCodec)['dec']>;

/** Instantiate data: the choices and the last block that accepts ballots. */
export const ballotInitCodec = struct({ choices: vec(str), deadline: u32 });

/** The result the contract publishes on `Close`. */
export const ballotResultCodec = struct({ tally: vec(u32), turnout: u32 });
/** Topic of {@link ballotResultCodec}. */
export const BALLOT_RESULT_TOPIC = '^phalanet/ballot/result';

const contextType = t.type({ owner: t.string, choices: t.array(t.string), deadline: t.number, ballots: t.record(t.string, t.number) });
type BallotContext = t.TypeOf<typeof contextType>;
type Phase = 'voting' | 'closed';
type BallotEvent = { type: 'command'; command: BallotCommand; call: CommandCall };
type Decision = E.Either<string, { context: BallotContext; phase: Phase; egress: Array<Extract<ProgramOutput, { type: 'egress' }>> }>;

/** Votes per choice, in choice order. */
export function tallyOf(ctx: BallotContext): number[] {
  const tally = ctx.choices.map(() => 0);
  for (const choice of Object.values(ctx.ballots)) tally[choice] = (tally[choice] ?? 0) + 1;
  return tally;
}

/** The decider. */
export function decideBallot(ctx: BallotContext, phase: Phase, command: BallotCommand, call: CommandCall): Decision {
  switch (command.tag) {
    case 'Vote': {
      if (call.sender === undefined) return E.left('BadOrigin');
      if (phase === 'closed' || call.block > ctx.deadline) return E.left('VotingClosed');
      if (command.value.choice >= ctx.choices.length) return E.left('NoSuchChoice');
      return E.right({ context: { ...ctx, ballots: { ...ctx.ballots, [call.sender]: command.value.choice } }, phase, egress: [] });
    }
    case 'Close': {
      if (phase === 'closed') return E.left('AlreadyClosed');
      if (call.block <= ctx.deadline) return E.left('DeadlineNotReached');
      const payload = ballotResultCodec.enc({ tally: tallyOf(ctx), turnout: Object.keys(ctx.ballots).length });
      return E.right({ context: ctx, phase: 'closed', egress: [{ type: 'egress', topic: BALLOT_RESULT_TOPIC, payload }] });
    }
    default: {
      const never: never = command;
      throw new Error(`unknown SecretBallot command ${JSON.stringify(never)}`);
    }
  }
}

const closes = (ctx: BallotContext, e: BallotEvent) => {
  const d = decideBallot(ctx, 'voting', e.command, e.call);
  return E.isRight(d) && d.right.phase === 'closed';
};

/** `voting` → `closed` (on the first `Close` after the deadline). */
export const secretBallotMachine = setup({
  types: { context: {} as BallotContext, events: {} as BallotEvent, input: {} as { owner: string; choices: string[]; deadline: number }, emitted: {} as ProgramOutput },
  actions: {
    applyVoting: enqueueActions(({ context, event, enqueue }) => {
      const d = decideBallot(context, 'voting', event.command, event.call);
      if (E.isLeft(d)) return enqueue.emit({ type: 'refused', reason: d.left });
      enqueue.assign(d.right.context);
      for (const out of d.right.egress) enqueue.emit(out);
    }),
    applyClosed: enqueueActions(({ context, event, enqueue }) => {
      const d = decideBallot(context, 'closed', event.command, event.call);
      // every command is refused once closed; the branch keeps the decider the single source
      if (E.isLeft(d)) enqueue.emit({ type: 'refused', reason: d.left });
    }),
  },
}).createMachine({
  id: 'secretBallot',
  context: ({ input }) => ({ owner: input.owner, choices: input.choices, deadline: input.deadline, ballots: {} }),
  initial: 'voting',
  states: {
    voting: { on: { command: [{ guard: ({ context, event }) => closes(context, event), target: 'closed', actions: 'applyVoting' }, { actions: 'applyVoting' }] } },
    closed: { on: { command: { actions: 'applyClosed' } } },
  },
});

/** The SecretBallot program, version 1. */
export const secretBallotProgram = defineProgram({
  name: 'SecretBallot',
  version: '1',
  machine: secretBallotMachine,
  initCodec: ballotInitCodec,
  commandCodec: ballotCommandCodec,
  queryCodec: ballotQueryCodec,
  responseCodec: ballotResponseCodec,
  contextType,
  input: (init, call) => ({ owner: call.deployer, choices: init.choices, deadline: init.deadline }),
  commandEvent: (command, call) => ({ type: 'command' as const, command, call }),
  query: (snapshot, query, call): BallotResponse => {
    const ctx = snapshot.context;
    switch (query.tag) {
      case 'MyBallot':
        if (call.caller === undefined) return { tag: 'Error', value: 'not authorized' };
        return { tag: 'MyBallot', value: ctx.ballots[call.caller] };
      case 'Turnout':
        return { tag: 'Turnout', value: Object.keys(ctx.ballots).length };
      case 'Tally':
        // the tally is secret while ballots can still change it
        if (call.block <= ctx.deadline) return { tag: 'Error', value: 'VotingOpen' };
        return { tag: 'Tally', value: tallyOf(ctx).map((votes, i) => ({ choice: ctx.choices[i] ?? '', votes })) };
      default: {
        const never: never = query;
        throw new Error(`unknown SecretBallot query ${JSON.stringify(never)}`);
      }
    }
  },
});
