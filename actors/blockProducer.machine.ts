/**
 * The block producer (Phala's collator): every `blockTimeMs` of virtual time it asks the provided
 * `produceBlock` actor to drain the transaction pool, execute the runtime and append block N+1,
 * then waits for the next slot. Blocks sit on a fixed time grid (`firstBlockAtMs + k·blockTimeMs`,
 * like Aura slots): a pause skips slots instead of shifting the grid. It stops at `targetHeight`.
 *
 *   waiting ──after untilNextBlock──→ producing ──done──→ waiting | paused | done
 *      ⇅ PAUSE / RESUME                    └──error──→ failed
 *   paused
 *
 * EVENT TABLE
 * | event             | payload | sent by            | when                                                    |
 * | PAUSE             | —       | driver / scenario  | halt production (chain stall fault); during `producing` the block in flight is finished first |
 * | RESUME            | —       | driver / scenario  | resume at the next slot of the grid that is not in the past |
 * | phalanet.restored | —       | actor system       | after a restore: re-arms the slot timer from `nextBlockAtMs` |
 * | (xstate.done/error.actor.produceBlock) | ProducedBlock / error | the invoked `produceBlock` | the block was appended / could not be produced |
 *
 * `produceBlock` (provided with `.provide({ actors: { produceBlock: fromPromise(...) } })`) gets
 * `{ number, atMs }` (the block number to append and its slot time = the block's timestamp) and
 * resolves with `{ number }` of the block it appended. It must be idempotent by number: if an
 * actor is restored while `producing`, xstate starts the invocation again, and the block may
 * already be on the chain (then resolve with it instead of appending another).
 *
 * TIMER: `waiting` has the delay `untilNextBlock` = `nextBlockAtMs − now` (xstate id
 * `xstate.after.untilNextBlock.blockProducer.waiting`).
 *
 * CONTEXT: `BlockProducerContext` (JSON only: it is persisted).
 */
import { assign, fromPromise, setup } from 'xstate';
import { RESTORED } from './actorSystem';
import { type MachineClock, msUntil } from './machineClock';

/** What a block producer starts from. */
export interface BlockProducerInput {
  readonly blockTimeMs: number;
  /** slot time of the first block to produce (block `height + 1`) */
  readonly firstBlockAtMs: number;
  /** the chain head when the producer starts (0 = only genesis) */
  readonly height?: number;
  /** stop after appending this block; absent: run until stopped */
  readonly targetHeight?: number;
}

/** The block producer's private state. */
export interface BlockProducerContext {
  readonly blockTimeMs: number;
  /** the last block appended (the chain head) */
  readonly height: number;
  /** blocks appended by this producer (not counting the head it started from) */
  readonly produced: number;
  /** slot time of the next block */
  readonly nextBlockAtMs: number;
  readonly targetHeight: number | null;
  /** PAUSE arrived while a block was in flight */
  readonly pauseRequested: boolean;
  readonly lastError: string | null;
  readonly statusMessage: string;
}

/** What `produceBlock` is asked to do. */
export interface ProduceBlockInput {
  readonly number: number;
  readonly atMs: number;
}

/** What `produceBlock` resolves with. */
export interface ProducedBlock {
  readonly number: number;
}

/** Events a block producer accepts (see the EVENT TABLE above). */
export type BlockProducerEvent = { readonly type: 'PAUSE' } | { readonly type: 'RESUME' } | { readonly type: typeof RESTORED };

/** The first slot of the grid at or after `nowMs`. */
export function nextSlotAtMs(gridMs: number, blockTimeMs: number, nowMs: number): number {
  if (gridMs >= nowMs) return gridMs;
  return gridMs + Math.ceil((nowMs - gridMs) / blockTimeMs) * blockTimeMs;
}

/**
 * The block producer machine. `clock` is read for slot times only.
 * Provide `produceBlock` (and `reportStatus` if wanted).
 */
export function blockProducerMachine(clock: MachineClock) {
  return setup({
    types: { context: {} as BlockProducerContext, events: {} as BlockProducerEvent, input: {} as BlockProducerInput },
    actors: {
      produceBlock: fromPromise<ProducedBlock, ProduceBlockInput>(async () => {
        throw new Error('blockProducer: produceBlock is not provided (bind it with .provide({ actors }))');
      }),
    },
    actions: {
      reportStatus: () => {},
      setStatus: assign(({ context }, params: { text: (c: BlockProducerContext) => string }) => ({ statusMessage: params.text(context) })),
      requestPause: assign({ pauseRequested: true }),
      realignToGrid: assign(({ context }) => ({ nextBlockAtMs: nextSlotAtMs(context.nextBlockAtMs, context.blockTimeMs, clock.now()), pauseRequested: false })),
    },
    guards: {
      reachedTarget: ({ context }) => context.targetHeight !== null && context.height >= context.targetHeight,
      pauseRequested: ({ context }) => context.pauseRequested,
    },
    delays: {
      untilNextBlock: ({ context }) => msUntil(clock, context.nextBlockAtMs),
    },
  }).createMachine({
    id: 'blockProducer',
    initial: 'waiting',
    context: ({ input }) => ({
      blockTimeMs: input.blockTimeMs,
      height: input.height ?? 0,
      produced: 0,
      nextBlockAtMs: input.firstBlockAtMs,
      targetHeight: input.targetHeight ?? null,
      pauseRequested: false,
      lastError: null,
      statusMessage: '',
    }),
    states: {
      waiting: {
        always: { guard: 'reachedTarget', target: 'done' },
        entry: [{ type: 'setStatus', params: { text: (c) => `waiting: block ${c.height + 1} due at ${c.nextBlockAtMs} ms` } }, 'reportStatus'],
        after: { untilNextBlock: 'producing' },
        on: {
          PAUSE: 'paused',
          [RESTORED]: { target: 'waiting', reenter: true },
        },
      },
      producing: {
        entry: [{ type: 'setStatus', params: { text: (c) => `producing block ${c.height + 1}` } }, 'reportStatus'],
        invoke: {
          id: 'produceBlock',
          src: 'produceBlock',
          input: ({ context }) => ({ number: context.height + 1, atMs: context.nextBlockAtMs }),
          onDone: [
            {
              guard: 'pauseRequested',
              target: 'paused',
              actions: assign(({ context, event }) => ({ height: event.output.number, produced: context.produced + 1, nextBlockAtMs: context.nextBlockAtMs + context.blockTimeMs, pauseRequested: false })),
            },
            {
              target: 'waiting',
              actions: assign(({ context, event }) => ({ height: event.output.number, produced: context.produced + 1, nextBlockAtMs: context.nextBlockAtMs + context.blockTimeMs })),
            },
          ],
          onError: {
            target: 'failed',
            actions: assign(({ context, event }) => ({ lastError: `block ${context.height + 1}: ${event.error instanceof Error ? event.error.message : String(event.error)}` })),
          },
        },
        on: { PAUSE: { actions: 'requestPause' } },
      },
      paused: {
        entry: [{ type: 'setStatus', params: { text: (c) => `paused at block ${c.height}` } }, 'reportStatus'],
        on: { RESUME: { target: 'waiting', actions: 'realignToGrid' } },
      },
      done: {
        entry: [{ type: 'setStatus', params: { text: (c) => `done: reached the target height ${c.height} (${c.produced} blocks produced)` } }, 'reportStatus'],
      },
      failed: {
        entry: [{ type: 'setStatus', params: { text: (c) => `failed: could not produce ${c.lastError}` } }, 'reportStatus'],
      },
    },
  });
}

/** The machine type (for `ActorKind`s and typed snapshots). */
export type BlockProducerMachine = ReturnType<typeof blockProducerMachine>;
