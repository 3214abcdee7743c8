/**
 * The lifecycle of a gatekeeper host (DOMAIN.md §7, §2.6): a pRuntime that governance made a
 * gatekeeper. The GK role itself (economics, key handlers, egress) is `enclave/gatekeeper`; this
 * machine owns the process around it: waiting for the key, the restart-and-replay Phala forces
 * after a key share, rejoining after a crash, and noticing a rotation that does not complete.
 *
 *   syncing → waitingForKey ─(key generated: first GK)→ launching ─LAUNCHED→ active
 *                           └(key shared: later GK)──→ rejoining ─CAUGHT_UP→ active
 *   active = serving ⇄ rotating (→ rotationOverdue after rotationTimeoutMs)
 *   active → retiring (UNREGISTERED) → retired (at the next rotation); any → crashed → rejoining | syncing
 *
 * While syncing, waiting, launching-by-replay or rejoining, the GK channel is in dummy mode
 * (`egress: 'dummy'`: sequences advance, messages are dropped) so it stays aligned with the
 * active gatekeepers; it is `live` only in `active` and `launching`.
 *
 * EVENT TABLE (sent by the driver when the fact concerns this gatekeeper)
 * | event            | payload                   | when                                                              |
 * | REGISTERED       | block                     | `register_gatekeeper` for this pRuntime was synced (§7.2 step 1, §7.3 step 1) |
 * | KEY_RECEIVED     | block, rotationId, generated | the first GK generated the master key (generated=true), or a later GK decrypted a `MasterKeyDistribution`/`History` (false; the pRuntime must now restart and replay from genesis) |
 * | LAUNCHED         | block                     | `MasterPubkeyOnChain` processed: the first GK's key is on chain (§7.2 step 4) |
 * | CAUGHT_UP        | block                     | a replaying GK processed its own registration and reached the head: its egress is live |
 * | ROTATION_STARTED | block, rotationId         | `RotateMasterKey` was processed (§7.4 step 2)                      |
 * | ROTATION_DONE    | block, rotationId         | `MasterPubkeyRotated` was processed: the new key is on chain       |
 * | UNREGISTERED     | block                     | `unregister_gatekeeper` for this pRuntime (§7.3 step 4)            |
 * | CRASHED          | reason                    | the pRuntime died (fault injection)                                |
 * | RESTARTED        | checkpointBlock           | restarted from its sealed checkpoint (the brief's REJOIN): with a key it replays silently from there (`rejoining`); without one it waits for the key again |
 * | phalanet.restored| —                         | sent by the actor system after a restore: re-arms the rotation timer |
 *
 * ACTIONS the driver provides: `restartForReplay` (after a shared key: restart the pRuntime with
 * the sealed key and replay from block 0, Phala's panic in §7.3 step 3), `reportStatus`.
 * TIMER: `rotating` → `rotationOverdue` after `rotationDeadlineMs` (delay `untilRotationOverdue`).
 */
import { assign, setup } from 'xstate';
import { RESTORED } from './actorSystem';
import { type MachineClock, msUntil } from './machineClock';

/** What a gatekeeper host starts from. */
export interface GatekeeperInput {
  readonly gatekeeperId: string;
  /** how long a rotation may take before the status flags it (it does not abort it) */
  readonly rotationTimeoutMs: number;
}

/** The gatekeeper host's private state (JSON only: it is persisted). */
export interface GatekeeperContext {
  readonly gatekeeperId: string;
  readonly rotationTimeoutMs: number;
  readonly registeredAtBlock: number | null;
  /** the master key history is sealed on this host */
  readonly hasKey: boolean;
  /** generated the original key (the first gatekeeper) */
  readonly first: boolean;
  readonly launchedAtBlock: number | null;
  /** rotation id of the key in use (0 = the original key) */
  readonly rotationId: number;
  readonly pendingRotationId: number | null;
  readonly rotationDeadlineMs: number | null;
  readonly egress: 'dummy' | 'live';
  /** block the current replay started from */
  readonly replayFromBlock: number | null;
  readonly unregistered: boolean;
  readonly crashes: number;
  readonly lastError: string | null;
  readonly statusMessage: string;
}

/** Events a gatekeeper host accepts (see the EVENT TABLE above). */
export type GatekeeperEvent =
  | { readonly type: 'REGISTERED'; readonly block: number }
  | { readonly type: 'KEY_RECEIVED'; readonly block: number; readonly rotationId: number; readonly generated: boolean }
  | { readonly type: 'LAUNCHED'; readonly block: number }
  | { readonly type: 'CAUGHT_UP'; readonly block: number }
  | { readonly type: 'ROTATION_STARTED'; readonly block: number; readonly rotationId: number }
  | { readonly type: 'ROTATION_DONE'; readonly block: number; readonly rotationId: number }
  | { readonly type: 'UNREGISTERED'; readonly block: number }
  | { readonly type: 'CRASHED'; readonly reason: string }
  | { readonly type: 'RESTARTED'; readonly checkpointBlock: number }
  | { readonly type: typeof RESTORED };

type Text = (c: GatekeeperContext) => string;
const status = (text: Text, egress: 'dummy' | 'live') => [{ type: 'enter' as const, params: { text, egress } }, 'reportStatus' as const];
const rotation = (c: GatekeeperContext) => `rotation ${c.pendingRotationId ?? '?'}`;

/** The gatekeeper host machine. `clock` is read for the rotation deadline only. */
export function gatekeeperMachine(clock: MachineClock) {
  return setup({
    types: { context: {} as GatekeeperContext, events: {} as GatekeeperEvent, input: {} as GatekeeperInput },
    actions: {
      restartForReplay: () => {},
      reportStatus: () => {},
      enter: assign(({ context }, params: { text: Text; egress: 'dummy' | 'live' }) => ({ egress: params.egress, statusMessage: params.text(context) })),
      recordRegistration: assign(({ event }) => (event.type === 'REGISTERED' ? { registeredAtBlock: event.block } : {})),
      recordKey: assign(({ event }) => (event.type === 'KEY_RECEIVED' ? { hasKey: true, first: event.generated, rotationId: event.rotationId, replayFromBlock: event.generated ? null : 0 } : {})),
      recordLaunch: assign(({ event }) => ('block' in event ? { launchedAtBlock: event.block } : {})),
      beginRotation: assign(({ context, event }) =>
        event.type === 'ROTATION_STARTED' ? { pendingRotationId: event.rotationId, rotationDeadlineMs: clock.now() + context.rotationTimeoutMs } : {},
      ),
      finishRotation: assign(({ event }) => (event.type === 'ROTATION_DONE' ? { rotationId: event.rotationId, pendingRotationId: null, rotationDeadlineMs: null } : {})),
      recordUnregistered: assign({ unregistered: true }),
      recordCrash: assign(({ context, event }) => ({ crashes: context.crashes + 1, lastError: event.type === 'CRASHED' ? event.reason : context.lastError })),
      recordRestart: assign(({ event }) => (event.type === 'RESTARTED' ? { replayFromBlock: event.checkpointBlock } : {})),
    },
    guards: {
      keyGenerated: ({ event }) => event.type === 'KEY_RECEIVED' && event.generated,
      hasKey: ({ context }) => context.hasKey,
      registered: ({ context }) => context.registeredAtBlock !== null,
      launched: ({ context }) => context.launchedAtBlock !== null,
      isPendingRotation: ({ context, event }) => event.type === 'ROTATION_DONE' && event.rotationId === context.pendingRotationId,
      rotationPending: ({ context }) => context.pendingRotationId !== null,
      unregistered: ({ context }) => context.unregistered,
    },
    delays: {
      untilRotationOverdue: ({ context }) => msUntil(clock, context.rotationDeadlineMs ?? clock.now()),
    },
  }).createMachine({
    id: 'gatekeeper',
    initial: 'syncing',
    context: ({ input }) => ({
      gatekeeperId: input.gatekeeperId,
      rotationTimeoutMs: input.rotationTimeoutMs,
      registeredAtBlock: null,
      hasKey: false,
      first: false,
      launchedAtBlock: null,
      rotationId: 0,
      pendingRotationId: null,
      rotationDeadlineMs: null,
      egress: 'dummy',
      replayFromBlock: null,
      unregistered: false,
      crashes: 0,
      lastError: null,
      statusMessage: '',
    }),
    on: {
      CRASHED: { target: '.crashed', actions: 'recordCrash' },
      // rotations seen while not serving are remembered, so a rejoining GK knows one is under way
      ROTATION_STARTED: { actions: 'beginRotation' },
      ROTATION_DONE: { guard: 'isPendingRotation', actions: 'finishRotation' },
    },
    states: {
      syncing: {
        entry: status(() => 'syncing: following the chain silently; not a gatekeeper yet', 'dummy'),
        on: { REGISTERED: { target: 'waitingForKey', actions: 'recordRegistration' } },
      },
      waitingForKey: {
        entry: status((c) => `waiting for the master key: registered as gatekeeper at block ${c.registeredAtBlock}`, 'dummy'),
        on: {
          KEY_RECEIVED: [
            { guard: 'keyGenerated', target: 'launching', actions: 'recordKey' },
            { target: 'rejoining', actions: ['recordKey', 'restartForReplay'] },
          ],
        },
      },
      launching: {
        entry: status((c) => `launching: master key ${c.rotationId} generated and sealed; waiting for the chain to publish its public key`, 'live'),
        on: { LAUNCHED: { target: 'active', actions: 'recordLaunch' } },
      },
      rejoining: {
        entry: status((c) => `rejoining: replaying silently from block ${c.replayFromBlock ?? 0} with the sealed master key`, 'dummy'),
        on: {
          CAUGHT_UP: [
            { guard: 'unregistered', target: 'retiring' },
            { guard: 'launched', target: 'active' },
            { target: 'active', actions: 'recordLaunch' },
          ],
        },
      },
      active: {
        initial: 'serving',
        on: {
          ROTATION_STARTED: { target: '.rotating', actions: 'beginRotation' },
          ROTATION_DONE: { guard: 'isPendingRotation', target: '.serving', actions: 'finishRotation' },
          UNREGISTERED: { target: 'retiring', actions: 'recordUnregistered' },
        },
        states: {
          serving: {
            always: { guard: 'rotationPending', target: 'rotating' },
            entry: status((c) => `active: serving with master key ${c.rotationId}`, 'live'),
          },
          rotating: {
            entry: status((c) => `active: ${rotation(c)} under way, waiting for the new master key on chain`, 'live'),
            after: { untilRotationOverdue: 'rotationOverdue' },
            on: { [RESTORED]: { target: 'rotating', reenter: true } },
          },
          rotationOverdue: {
            entry: status((c) => `active: ${rotation(c)} not confirmed on chain after ${c.rotationTimeoutMs} ms; still serving with key ${c.rotationId}`, 'live'),
          },
        },
      },
      retiring: {
        entry: status(() => 'retiring: unregistered; syncing silently until the next rotation drops the role', 'dummy'),
        on: { ROTATION_DONE: { target: 'retired', actions: 'finishRotation' } },
      },
      retired: {
        entry: status((c) => `retired: no longer a gatekeeper since rotation ${c.rotationId}`, 'dummy'),
      },
      crashed: {
        entry: status((c) => `crashed: ${c.lastError ?? 'unknown reason'} (crash ${c.crashes}); waiting for a restart from the sealed checkpoint`, 'dummy'),
        on: {
          RESTARTED: [
            { guard: 'hasKey', target: 'rejoining', actions: 'recordRestart' },
            { guard: 'registered', target: 'waitingForKey', actions: 'recordRestart' },
            { target: 'syncing', actions: 'recordRestart' },
          ],
        },
      },
    },
  });
}

/** The machine type (for `ActorKind`s and typed snapshots). */
export type GatekeeperMachine = ReturnType<typeof gatekeeperMachine>;
