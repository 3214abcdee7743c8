/**
 * What the simulated contract users do with each shipped program: how a deployer instantiates it,
 * what commands a client sends it, what a client asks it (about itself, with its account's
 * signature) and what an auditor asks it anonymously to compare the cluster's workers. Programs
 * alternate by index in a cluster (Balances, GuessNumber, SecretBallot, …) so every one runs.
 */
import type { Random } from '../../domain/ports/random';
import type { ProgramRef } from '../../enclave/contracts/contractCalls';
import { balancesCommandCodec, balancesInitCodec, balancesProgram, balancesQueryCodec, balancesResponseCodec } from '../../enclave/contracts/programs/balances';
import { guessCommandCodec, guessInitCodec, guessNumberProgram, guessQueryCodec, guessResponseCodec } from '../../enclave/contracts/programs/guessNumber';
import { ballotCommandCodec, ballotInitCodec, ballotQueryCodec, ballotResponseCodec, secretBallotProgram } from '../../enclave/contracts/programs/secretBallot';

/** Balances minted to the deployer at instantiation. */
const BALANCES_SUPPLY = 1_000_000n;
const GUESS_MAX = 100;
const BALLOT_CHOICES = ['yes', 'no', 'abstain'];

/** One program as the workload uses it. */
export interface WorkloadProgram {
  readonly ref: ProgramRef;
  /** instantiate data; `lastBlock` is the run's last block (a ballot stays open to it) */
  init(lastBlock: number): Uint8Array;
  /** a command from `sender` (`0x` hex account); `others` are the other clients' accounts */
  command(sender: string, owner: string, others: readonly Uint8Array[], random: Random): Uint8Array;
  /** a query about the asking client `account` itself (needs its signature) */
  ownQuery(account: Uint8Array): Uint8Array;
  /** a query anyone may ask: every worker of the cluster must give the same answer */
  readonly publicQuery: Uint8Array;
  /** decodes a reply; throws when the bytes are not this program's reply */
  decodeReply(bytes: Uint8Array): { readonly tag: string };
}

const balances: WorkloadProgram = {
  ref: balancesProgram,
  init: () => balancesInitCodec.enc({ supply: BALANCES_SUPPLY }),
  command: (_sender, _owner, others, random) => {
    const dest = others[random.nextInt(0, others.length - 1)]!;
    return balancesCommandCodec.enc({ tag: 'Transfer', value: { dest, value: BigInt(random.nextInt(1, 100)) } });
  },
  ownQuery: (account) => balancesQueryCodec.enc({ tag: 'FreeBalance', value: { account } }),
  publicQuery: balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }),
  decodeReply: (b) => balancesResponseCodec.dec(b),
};

const guessNumber: WorkloadProgram = {
  ref: guessNumberProgram,
  init: () => guessInitCodec.enc({ maxNumber: GUESS_MAX }),
  // the owner starts a new round now and then, so a solved round does not refuse every guess after it
  command: (sender, owner, _others, random) =>
    sender === owner && random.nextFloat() < 0.3
      ? guessCommandCodec.enc({ tag: 'Reset', value: undefined })
      : guessCommandCodec.enc({ tag: 'Guess', value: { number: random.nextInt(1, GUESS_MAX) } }),
  ownQuery: () => guessQueryCodec.enc({ tag: 'MyGuesses', value: undefined }),
  publicQuery: guessQueryCodec.enc({ tag: 'Round', value: undefined }),
  decodeReply: (b) => guessResponseCodec.dec(b),
};

const secretBallot: WorkloadProgram = {
  ref: secretBallotProgram,
  init: (lastBlock) => ballotInitCodec.enc({ choices: BALLOT_CHOICES, deadline: lastBlock }),
  command: (_sender, _owner, _others, random) => ballotCommandCodec.enc({ tag: 'Vote', value: { choice: random.nextInt(0, BALLOT_CHOICES.length - 1) } }),
  ownQuery: () => ballotQueryCodec.enc({ tag: 'MyBallot', value: undefined }),
  publicQuery: ballotQueryCodec.enc({ tag: 'Turnout', value: undefined }),
  decodeReply: (b) => ballotResponseCodec.dec(b),
};

/** The workload programs in the order a cluster's contracts alternate through them. */
export const WORKLOAD_PROGRAMS: readonly WorkloadProgram[] = [balances, guessNumber, secretBallot];

/** The program of a cluster's `index`-th contract. */
export const programFor = (index: number): WorkloadProgram => WORKLOAD_PROGRAMS[index % WORKLOAD_PROGRAMS.length]!;
