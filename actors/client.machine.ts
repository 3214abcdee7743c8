/**
 * A workload client (users, pool owners): on a seeded schedule it emits intents — contributions,
 * withdrawals, contract commands, queries — through the provided `submit` action. The schedule is
 * a merged Poisson process (`client.workload.ts`) at the scenario's rates per block.
 *
 *   waiting ──after untilNextArrival: submit, draw the next──→ waiting
 *      ⇅ PAUSE / RESUME            └─ no rate, or the next arrival after stopAtMs ─→ finished
 *   paused
 *
 * EVENT TABLE
 * | event             | payload | sent by           | when                                                         |
 * | PAUSE             | —       | driver / scenario | stop emitting (e.g. a client partitioned away)                |
 * | RESUME            | —       | driver / scenario | emit again; the next arrival is drawn from now (memoryless)  |
 * | RATES_CHANGED     | rates   | driver / scenario | a new workload phase; the next arrival is re-drawn from now   |
 * | phalanet.restored | —       | actor system      | after a restore: re-arms the arrival timer from `next.atMs`  |
 *
 * ACTIONS: `submit` (params: `ClientIntent`; the driver builds the extrinsic or query, choosing
 * targets with `pick`), `reportStatus`.
 * TIMER: `waiting` → delay `untilNextArrival` = `next.atMs − now`
 * (xstate id `xstate.after.untilNextArrival.client.waiting`).
 *
 * Ports: the client's own Random stream (e.g. `scenarioRandom.fork('client/<id>')`) and the clock
 * are bound when the machine is made (`clientMachine({ clock, random })`), not passed in input:
 * input is not persisted and a Random is not JSON, so after a restore the driver makes the machine
 * again with the same stream — and, as arrival n only draws from `fork('arrival/' + n)`, the
 * schedule continues unchanged.
 */
import { assign, setup } from 'xstate';
import type { Random } from '../domain/ports/random';
import { RESTORED } from './actorSystem';
import { type Arrival, assertRates, drawArrival, type IntentKind, type WorkloadRates } from './client.workload';
import { type MachineClock, msUntil } from './machineClock';

export type { Arrival, IntentKind, WorkloadRates } from './client.workload';

/** What a client starts from. */
export interface ClientInput {
  readonly clientId: string;
  readonly rates: WorkloadRates;
  readonly blockTimeMs: number;
  /** the schedule starts here (the first arrival is one exponential gap later) */
  readonly startAtMs: number;
  /** no arrival after this time; absent: until stopped */
  readonly stopAtMs?: number;
}

/** What `submit` receives. */
export interface ClientIntent extends Arrival {
  readonly clientId: string;
}

/** The client's private state (JSON only: it is persisted). */
export interface ClientContext {
  readonly clientId: string;
  readonly rates: WorkloadRates;
  readonly blockTimeMs: number;
  readonly stopAtMs: number | null;
  /** arrivals emitted so far */
  readonly emitted: number;
  readonly emittedByKind: Readonly<Record<IntentKind, number>>;
  /** the next planned arrival (null: nothing planned) */
  readonly next: Arrival | null;
  readonly statusMessage: string;
}

/** Events a client accepts (see the EVENT TABLE above). */
export type ClientEvent =
  | { readonly type: 'PAUSE' }
  | { readonly type: 'RESUME' }
  | { readonly type: 'RATES_CHANGED'; readonly rates: WorkloadRates }
  | { readonly type: typeof RESTORED };

/** Ports a client machine reads. */
export interface ClientPorts {
  readonly clock: MachineClock;
  /** this client's own stream */
  readonly random: Random;
}

const noneEmitted: Record<IntentKind, number> = { contribution: 0, withdrawal: 0, contractCommand: 0, contractQuery: 0 };

/** The client machine. Provide `submit` (and `reportStatus` if wanted). */
export function clientMachine({ clock, random }: ClientPorts) {
  const draw = (c: Pick<ClientContext, 'rates' | 'blockTimeMs'>, sequence: number, afterMs: number): Arrival | null =>
    drawArrival(random, sequence, c.rates, c.blockTimeMs, afterMs) ?? null;
  return setup({
    types: { context: {} as ClientContext, events: {} as ClientEvent, input: {} as ClientInput },
    actions: {
      submit: (_, _intent: ClientIntent) => {},
      reportStatus: () => {},
      setStatus: assign(({ context }, params: { text: (c: ClientContext) => string }) => ({ statusMessage: params.text(context) })),
      advance: assign(({ context }) => {
        const sent = context.next!;
        return {
          emitted: context.emitted + 1,
          emittedByKind: { ...context.emittedByKind, [sent.kind]: context.emittedByKind[sent.kind] + 1 },
          next: draw(context, sent.sequence + 1, sent.atMs),
        };
      }),
      setRates: assign(({ context, event }) => {
        if (event.type !== 'RATES_CHANGED') return {};
        assertRates(event.rates);
        return { rates: event.rates, next: context.next };
      }),
      redrawFromNow: assign(({ context, event }) => {
        const rates = event.type === 'RATES_CHANGED' ? event.rates : context.rates;
        assertRates(rates);
        return { rates, next: draw({ ...context, rates }, context.emitted + 1, clock.now()) };
      }),
    },
    guards: {
      nothingPlanned: ({ context }) => context.next === null || (context.stopAtMs !== null && context.next.atMs > context.stopAtMs),
    },
    delays: {
      untilNextArrival: ({ context }) => msUntil(clock, context.next?.atMs ?? clock.now()),
    },
  }).createMachine({
    id: 'client',
    initial: 'waiting',
    context: ({ input }) => {
      assertRates(input.rates);
      const base = { rates: input.rates, blockTimeMs: input.blockTimeMs };
      return { clientId: input.clientId, ...base, stopAtMs: input.stopAtMs ?? null, emitted: 0, emittedByKind: noneEmitted, next: draw(base, 1, input.startAtMs), statusMessage: '' };
    },
    on: { RATES_CHANGED: { target: '.waiting', actions: 'redrawFromNow' } },
    states: {
      waiting: {
        always: { guard: 'nothingPlanned', target: 'finished' },
        entry: [{ type: 'setStatus', params: { text: (c) => `waiting: ${c.emitted} intents sent; next ${c.next?.kind ?? 'none'} at ${c.next?.atMs ?? '-'} ms` } }, 'reportStatus'],
        after: {
          untilNextArrival: {
            target: 'waiting',
            reenter: true,
            actions: [{ type: 'submit', params: ({ context }) => ({ clientId: context.clientId, ...context.next! }) }, 'advance'],
          },
        },
        on: { PAUSE: 'paused', [RESTORED]: { target: 'waiting', reenter: true } },
      },
      paused: {
        entry: [{ type: 'setStatus', params: { text: (c) => `paused after ${c.emitted} intents` } }, 'reportStatus'],
        on: { RESUME: { target: 'waiting', actions: 'redrawFromNow' }, RATES_CHANGED: { actions: 'setRates' } },
      },
      finished: {
        entry: [{ type: 'setStatus', params: { text: (c) => `finished: ${c.emitted} intents sent` } }, 'reportStatus'],
      },
    },
  });
}

/** The machine type (for `ActorKind`s and typed snapshots). */
export type ClientMachine = ReturnType<typeof clientMachine>;
