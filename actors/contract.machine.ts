/**
 * The host lifecycle of one deployed contract on one worker (DOMAIN.md §9, ARCHITECTURE.md §4).
 * The contract program and its replicated state live in the enclave (`enclave/contracts/`:
 * `instantiateContract`, `handleCommand`, `handleQuery`, `sealState`); this machine keeps the
 * bookkeeping an operator sees: is it running, how many commands and queries it handled, up to
 * which block, and when its state was last sealed.
 *
 *   instantiating ─INSTANTIATED→ running ─STOPPED→ stopped
 *         └─INSTANTIATION_FAILED→ failed
 *
 * EVENT TABLE (sent by the driver / the worker host process that runs the enclave)
 * | event                | payload                 | when                                                          |
 * | INSTANTIATED         | block                   | `instantiateContract` succeeded while processing `block`       |
 * | INSTANTIATION_FAILED | reason                  | the program is unknown or its init data was refused            |
 * | COMMAND_BATCH        | block, count, refused   | after the enclave ran the `count` commands for this contract in `block` (`refused` of them were dropped: bad envelope or program refusal). One event per block with commands, never per command |
 * | QUERY_ANSWERED       | block                   | an off-chain query was answered at head `block`                |
 * | QUERY_REFUSED        | block, reason           | a query was refused (bad signature, wrong contract, program error) |
 * | STATE_SEALED         | block                   | the contract state was sealed (checkpoint) after `block`      |
 * | STOPPED              | block, reason           | the cluster was destroyed or the worker left it               |
 * Guards: a batch for a block not after the last one is a duplicate delivery and is ignored
 * (commands run in chain order, once); a batch with `refused > count` or a negative count is a
 * driver bug and is ignored too (and visible in `ignoredBatches`).
 *
 * ACTIONS: `reportStatus` (every state entry). No timers.
 */
import { assign, setup } from 'xstate';

/** Which contract on which worker. */
export interface ContractInput {
  readonly contractId: string;
  readonly clusterId: string;
  readonly workerId: string;
  readonly codeHash: string;
}

/** The contract host's bookkeeping (JSON only: it is persisted). */
export interface ContractContext extends ContractInput {
  readonly instantiatedAtBlock: number | null;
  readonly commandsApplied: number;
  readonly commandsRefused: number;
  readonly lastCommandBlock: number | null;
  readonly queriesAnswered: number;
  readonly queriesRefused: number;
  readonly sealedAtBlock: number | null;
  readonly ignoredBatches: number;
  readonly lastError: string | null;
  readonly statusMessage: string;
}

/** Events a contract host accepts (see the EVENT TABLE above). */
export type ContractEvent =
  | { readonly type: 'INSTANTIATED'; readonly block: number }
  | { readonly type: 'INSTANTIATION_FAILED'; readonly reason: string }
  | { readonly type: 'COMMAND_BATCH'; readonly block: number; readonly count: number; readonly refused?: number }
  | { readonly type: 'QUERY_ANSWERED'; readonly block: number }
  | { readonly type: 'QUERY_REFUSED'; readonly block: number; readonly reason: string }
  | { readonly type: 'STATE_SEALED'; readonly block: number }
  | { readonly type: 'STOPPED'; readonly block: number; readonly reason: string };

const short = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 10)}…` : hex);

function runningStatus(c: ContractContext): string {
  const last = c.lastCommandBlock === null ? 'no command yet' : `last command block ${c.lastCommandBlock}`;
  return `running: ${c.commandsApplied} commands applied (${c.commandsRefused} refused), ${last}; ${c.queriesAnswered} queries answered (${c.queriesRefused} refused)`;
}

/** The contract host machine. */
export const contractMachine = setup({
  types: { context: {} as ContractContext, events: {} as ContractEvent, input: {} as ContractInput },
  actions: {
    reportStatus: () => {},
    setStatus: assign(({ context }, params: { text: (c: ContractContext) => string }) => ({ statusMessage: params.text(context) })),
    recordBatch: assign(({ context, event }) => {
      if (event.type !== 'COMMAND_BATCH') return {};
      const refused = event.refused ?? 0;
      return { commandsApplied: context.commandsApplied + event.count - refused, commandsRefused: context.commandsRefused + refused, lastCommandBlock: event.block };
    }),
    countIgnoredBatch: assign(({ context }) => ({ ignoredBatches: context.ignoredBatches + 1 })),
  },
  guards: {
    isNewWellFormedBatch: ({ context, event }) => {
      if (event.type !== 'COMMAND_BATCH') return false;
      const refused = event.refused ?? 0;
      const wellFormed = Number.isSafeInteger(event.count) && event.count >= 0 && Number.isSafeInteger(refused) && refused >= 0 && refused <= event.count;
      return wellFormed && (context.lastCommandBlock === null || event.block > context.lastCommandBlock);
    },
  },
}).createMachine({
  id: 'contract',
  initial: 'instantiating',
  context: ({ input }) => ({
    ...input,
    instantiatedAtBlock: null,
    commandsApplied: 0,
    commandsRefused: 0,
    lastCommandBlock: null,
    queriesAnswered: 0,
    queriesRefused: 0,
    sealedAtBlock: null,
    ignoredBatches: 0,
    lastError: null,
    statusMessage: '',
  }),
  states: {
    instantiating: {
      entry: [{ type: 'setStatus', params: { text: (c) => `instantiating contract ${short(c.contractId)} (code ${short(c.codeHash)}) in cluster ${short(c.clusterId)}` } }, 'reportStatus'],
      on: {
        INSTANTIATED: { target: 'running', actions: assign(({ event }) => ({ instantiatedAtBlock: event.block })) },
        INSTANTIATION_FAILED: { target: 'failed', actions: assign(({ event }) => ({ lastError: event.reason })) },
      },
    },
    running: {
      entry: [{ type: 'setStatus', params: { text: runningStatus } }, 'reportStatus'],
      on: {
        COMMAND_BATCH: [
          { guard: 'isNewWellFormedBatch', actions: ['recordBatch', { type: 'setStatus', params: { text: runningStatus } }] },
          { actions: 'countIgnoredBatch' },
        ],
        QUERY_ANSWERED: { actions: [assign(({ context }) => ({ queriesAnswered: context.queriesAnswered + 1 })), { type: 'setStatus', params: { text: runningStatus } }] },
        QUERY_REFUSED: {
          actions: [assign(({ context, event }) => ({ queriesRefused: context.queriesRefused + 1, lastError: event.reason })), { type: 'setStatus', params: { text: runningStatus } }],
        },
        STATE_SEALED: { actions: assign(({ event }) => ({ sealedAtBlock: event.block })) },
        STOPPED: { target: 'stopped', actions: assign(({ event }) => ({ lastError: `stopped at block ${event.block}: ${event.reason}` })) },
      },
    },
    stopped: {
      entry: [{ type: 'setStatus', params: { text: (c) => `${c.lastError ?? 'stopped'}; ${c.commandsApplied} commands applied in all` } }, 'reportStatus'],
    },
    failed: {
      entry: [{ type: 'setStatus', params: { text: (c) => `failed to instantiate: ${c.lastError ?? 'unknown reason'}` } }, 'reportStatus'],
    },
  },
});

/** The machine type (for `ActorKind`s and typed snapshots). */
export type ContractMachine = typeof contractMachine;
