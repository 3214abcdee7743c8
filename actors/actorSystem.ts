/**
 * The actor system that hosts xstate machines (ARCHITECTURE.md §4, §6): spawn by address,
 * send, persist each actor's private state to its own stream in the EventStore, restore after a
 * crash from the stored state, and supervise (restart with back-off on the injected Clock, give up
 * after N). Machines come `.provide()`d from infra/ or simulations/; nothing here touches an adapter.
 *
 * Restoring never re-sends stored events into a live machine: the actor is recreated from its
 * persisted snapshot. xstate does not re-arm delayed transitions on restore, so after a restore
 * the system sends `{ type: 'phalanet.restored' }`; every state with a timer handles it by
 * re-entering itself (`reenter: true`), which recomputes the delay from domain state in context.
 */
import { type AnyActorRef, type AnyStateMachine, createActor, type Snapshot } from 'xstate';
import type { Clock } from '../domain/ports/clock';
import type { EventStore } from '../domain/ports/eventStore';
import { WrongExpectedVersion } from '../domain/ports/eventStoreErrors';

/** The event every timed state must handle after a restore. */
export const RESTORED = 'phalanet.restored' as const;
/** Record type of a persisted actor snapshot in its stream. */
export const SNAPSHOT_SAVED = 'ActorSnapshotSaved';
const SNAPSHOT_SCHEMA_VERSION = 1;

/** How one kind of actor is run and supervised. */
export interface ActorKind {
  readonly kind: string;
  readonly machine: AnyStateMachine;
  /** restarts allowed before the actor is marked failed */
  readonly maxRestarts: number;
  /** delay before restart number `attempt` (1-based) */
  readonly backoffMs: (attempt: number) => number;
}

export type ActorHealth = 'running' | 'restarting' | 'failed' | 'stopped';

/** What an operator sees of one actor. */
export interface ActorStatus {
  readonly address: string;
  readonly health: ActorHealth;
  /** the machine's state value, e.g. `"syncing"` or `{"computing":"idle"}` as JSON */
  readonly state: string;
  /** the machine's human-readable status (`context.statusMessage`), or the last error */
  readonly message: string;
  readonly restarts: number;
}

interface Hosted {
  readonly spec: ActorKind;
  readonly address: string;
  ref: AnyActorRef;
  health: ActorHealth;
  restarts: number;
  lastError: string;
  /** last snapshot written to the store (or restored from it) */
  persisted: Snapshot<unknown> | undefined;
  /** stream version of that snapshot (undefined: no stream yet) */
  version: number | undefined;
  /** the spawn input: a restart before the first persist starts the machine afresh from it */
  readonly input: unknown;
}

export interface ActorSystem {
  /** starts a new actor (its stream must not exist yet) */
  spawn(spec: ActorKind, id: string, input?: unknown): ActorStatus;
  /** recreates an actor from its stream's last snapshot; throws if there is none */
  restore(spec: ActorKind, id: string): Promise<ActorStatus>;
  /** delivers `event` to a running actor (dropped while it restarts or after it failed) */
  send(address: string, event: { readonly type: string; readonly [key: string]: unknown }): void;
  /**
   * the actor's host process died (fault injection): the live instance stops, what it did not
   * persist is lost, and the supervisor handles it as it handles a thrown error — a restart from
   * the last persisted snapshot after the back-off, or `failed` after `maxRestarts`
   */
  crash(address: string, reason: string): void;
  /** writes the actor's current snapshot to its stream (optimistic: a second writer is fenced off) */
  persist(address: string): Promise<void>;
  status(address: string): ActorStatus | undefined;
  statuses(): ActorStatus[];
  /** the live xstate actor (for reading snapshots in tests and projections) */
  ref(address: string): AnyActorRef | undefined;
  stop(): void;
}

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

function describeState(ref: AnyActorRef): { state: string; message: string } {
  const snap = ref.getSnapshot() as { value?: unknown; context?: { statusMessage?: unknown } };
  const state = typeof snap.value === 'string' ? snap.value : JSON.stringify(snap.value ?? null);
  const message = typeof snap.context?.statusMessage === 'string' ? snap.context.statusMessage : '';
  return { state, message };
}

/** Creates an actor system over a store and a clock. */
export function createActorSystem(deps: {
  store: EventStore;
  clock: Clock;
  onFailed?: (status: ActorStatus) => void;
  /** after the supervisor restarted an actor (it has been sent `phalanet.restored` if it had a snapshot) */
  onRestarted?: (status: ActorStatus) => void;
}): ActorSystem {
  const actors = new Map<string, Hosted>();
  const addressOf = (spec: ActorKind, id: string) => `${spec.kind}-${id}`;

  const statusOf = (h: Hosted): ActorStatus => {
    const { state, message } = describeState(h.ref);
    return { address: h.address, health: h.health, state, message: h.health === 'running' ? message : h.lastError || message, restarts: h.restarts };
  };

  function launch(h: Hosted, options: { snapshot?: Snapshot<unknown>; input?: unknown }): void {
    const ref = createActor(h.spec.machine, { clock: deps.clock, systemId: h.address, ...options });
    h.ref = ref;
    ref.subscribe({
      error: (err: unknown) => onCrash(h, ref, err),
    });
    ref.start();
    if (options.snapshot !== undefined) ref.send({ type: RESTORED });
  }

  function onCrash(h: Hosted, ref: AnyActorRef, err: unknown): void {
    if (h.ref !== ref || h.health === 'stopped') return; // a stale instance
    h.lastError = err instanceof Error ? err.message : String(err);
    if (h.restarts >= h.spec.maxRestarts) {
      h.health = 'failed';
      deps.onFailed?.(statusOf(h));
      return;
    }
    h.restarts += 1;
    h.health = 'restarting';
    deps.clock.setTimeout(() => {
      if (h.health !== 'restarting') return;
      h.health = 'running';
      launch(h, h.persisted === undefined ? { input: h.input } : { snapshot: h.persisted });
      deps.onRestarted?.(statusOf(h));
    }, h.spec.backoffMs(h.restarts));
  }

  const hosted = (address: string): Hosted => {
    const h = actors.get(address);
    if (h === undefined) throw new Error(`no actor at ${address}`);
    return h;
  };

  return {
    spawn(spec, id, input) {
      const address = addressOf(spec, id);
      if (actors.has(address)) throw new Error(`actor ${address} already exists`);
      const h: Hosted = { spec, address, ref: undefined as unknown as AnyActorRef, health: 'running', restarts: 0, lastError: '', persisted: undefined, version: undefined, input };
      actors.set(address, h);
      launch(h, { input });
      return statusOf(h);
    },
    async restore(spec, id) {
      const address = addressOf(spec, id);
      if (actors.has(address)) throw new Error(`actor ${address} is already running`);
      const version = await deps.store.streamVersion(address);
      if (version === undefined) throw new Error(`no stored state for actor ${address}`);
      let last: Snapshot<unknown> | undefined;
      for await (const e of deps.store.readStream(address, { fromVersion: version, toVersion: version })) {
        if (e.type !== SNAPSHOT_SAVED || e.schemaVersion !== SNAPSHOT_SCHEMA_VERSION) {
          throw new Error(`actor ${address}: record ${e.version} is ${e.type} v${e.schemaVersion}, expected ${SNAPSHOT_SAVED} v${SNAPSHOT_SCHEMA_VERSION}`);
        }
        last = decode(e.data) as Snapshot<unknown>;
      }
      const h: Hosted = { spec, address, ref: undefined as unknown as AnyActorRef, health: 'running', restarts: 0, lastError: '', persisted: last, version, input: undefined };
      actors.set(address, h);
      launch(h, { snapshot: last! });
      return statusOf(h);
    },
    crash(address, reason) {
      const h = hosted(address);
      if (h.health !== 'running') return;
      const ref = h.ref;
      ref.stop();
      onCrash(h, ref, new Error(reason));
    },
    send(address, event) {
      const h = hosted(address);
      if (h.health === 'running') h.ref.send(event);
    },
    async persist(address) {
      const h = hosted(address);
      if (h.health !== 'running') return;
      const snapshot = h.ref.getPersistedSnapshot() as Snapshot<unknown>;
      const expected = h.version === undefined ? 'no-stream' : h.version;
      try {
        const r = await deps.store.append(address, [{ type: SNAPSHOT_SAVED, schemaVersion: SNAPSHOT_SCHEMA_VERSION, data: encode(snapshot) }], expected);
        h.version = r.version;
        h.persisted = snapshot;
      } catch (err) {
        if (err instanceof WrongExpectedVersion) throw new Error(`actor ${address} was persisted by another owner (fenced): ${err.message}`);
        throw err;
      }
    },
    status: (address) => {
      const h = actors.get(address);
      return h === undefined ? undefined : statusOf(h);
    },
    statuses: () => [...actors.values()].map(statusOf).sort((a, b) => (a.address < b.address ? -1 : 1)),
    ref: (address) => actors.get(address)?.ref,
    stop() {
      for (const h of actors.values()) {
        h.health = 'stopped';
        h.ref.stop();
      }
    },
  };
}
