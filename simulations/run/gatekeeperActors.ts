/**
 * The gatekeeper hosts of a run as actors (`actors/gatekeeper.machine.ts`), one per host, hosted
 * by the run's actor system on the virtual clock. Each is told only the facts that concern it —
 * a handful of events per run, never one per block: its registration, the master key it generated
 * or received, the launch, rotations, a crash, a restart. The actor is the authority pherry asks
 * before relaying the host's `Gatekeeper`-channel egress: only while it says `live` (launching,
 * active). A replay from genesis (after a shared key, or after a restart from the sealed key) is
 * asked for by the actor (`restartForReplay`) or by the rejoin fault, and ends with `CAUGHT_UP`.
 *
 * A gatekeeper crash (faults.ts) kills the host: the actor system stops the actor and its
 * supervisor restarts it from its last persisted snapshot (never by re-sending events); the
 * restarted actor learns the pRuntime is down (`CRASHED`) and waits for the rejoin, which restarts
 * the pRuntime over its sealed key vault (`RESTARTED`), replays the ledger and catches up.
 */
import { CHAIN_STREAM, decodeBlockRecord } from '../../domain/chain/ledger';
import { MessageScale } from '../../domain/codec/mq.codec';
import type { Clock } from '../../domain/ports/clock';
import type { Tagged } from '../../domain/runtime/types';
import type { GatekeeperContext, GatekeeperEvent } from '../../actors/gatekeeper.machine';
import { gatekeeperMachine } from '../../actors/gatekeeper.machine';
import type { ActorKind, ActorSystem } from '../../actors/actorSystem';
import type { GatekeeperHost } from './hosts';
import type { GatekeeperActorsPort, World } from './simulation';

/** Rotations not confirmed on chain after this many blocks are flagged in the status (not aborted). */
const ROTATION_TIMEOUT_BLOCKS = 20;
const MAX_RESTARTS = 5;

/** The gatekeeper actors as the run drives them (the core's port, plus supervision and persistence). */
export interface GatekeeperActors extends GatekeeperActorsPort {
  /** the actor's address of a host */
  address(g: GatekeeperHost): string;
  /** the supervisor restarted an actor (the actor system's `onRestarted`) */
  onRestarted(address: string): void;
  /** after a block or a fault: runs the replays asked for (a restarted pRuntime is up again), then persists the actors something happened to */
  catchUp(): Promise<void>;
  /** the actor's context (tests, status) */
  context(g: GatekeeperHost): GatekeeperContext | undefined;
}

/** Spawns one gatekeeper actor per host in `system`. */
export function hostGatekeepers(world: World, system: ActorSystem, clock: Clock): GatekeeperActors {
  const blockTimeMs = world.scenario.chain.blockTimeMs;
  const byPubkey = new Map(world.gatekeepers.map((g) => [g.pubkeyHex, g]));
  const byAddress = new Map<string, GatekeeperHost>();
  const dirty = new Set<string>();
  const replays = new Set<GatekeeperHost>();
  /** hosts whose pRuntime holds the GK role (so a role appearing means a key was generated) */
  const withRole = new Set<GatekeeperHost>();
  /** a rejoin that came while the supervisor was still restarting the actor */
  const pendingRejoin = new Set<GatekeeperHost>();
  const machine = gatekeeperMachine(clock);
  const kindOf = (g: GatekeeperHost): ActorKind => ({
    kind: 'gatekeeper',
    machine: machine.provide({ actions: { restartForReplay: () => void replays.add(g) } }),
    maxRestarts: MAX_RESTARTS,
    // the host comes back within the block: a supervisor (systemd, k8s) restarting a process
    backoffMs: (attempt) => Math.max(1, Math.floor((attempt * blockTimeMs) / 4)),
  });
  const address = (g: GatekeeperHost) => `gatekeeper-${g.name}`;
  const send = (g: GatekeeperHost, event: GatekeeperEvent) => {
    system.send(address(g), event);
    dirty.add(address(g));
  };
  const context = (g: GatekeeperHost): GatekeeperContext | undefined => {
    const status = system.status(address(g));
    if (status?.health !== 'running') return undefined;
    return (system.ref(address(g))?.getSnapshot() as { context: GatekeeperContext } | undefined)?.context;
  };
  for (const g of world.gatekeepers) {
    system.spawn(kindOf(g), g.name, { gatekeeperId: g.name, rotationTimeoutMs: ROTATION_TIMEOUT_BLOCKS * blockTimeMs });
    byAddress.set(address(g), g);
    dirty.add(address(g));
  }

  // the pRuntime comes back at the next `catchUp`, which replays the ledger before it syncs again
  const restartPruntime = (g: GatekeeperHost) => {
    send(g, { type: 'RESTARTED', checkpointBlock: 0 });
    replays.add(g);
    world.note(`${g.name} restarts from its sealed key vault and replays the chain from genesis`);
  };

  return {
    address,
    observeChain(block, events) {
      for (const e of events) {
        if (e.tag !== 'PhalaRegistry') continue;
        const { tag, value } = e.value as Tagged;
        const v = value as Record<string, unknown> | undefined;
        if (tag === 'GatekeeperAdded' || tag === 'GatekeeperRemoved') {
          const g = byPubkey.get(v?.pubkey as string);
          if (g !== undefined) send(g, tag === 'GatekeeperAdded' ? { type: 'REGISTERED', block } : { type: 'UNREGISTERED', block });
          continue;
        }
        const rotationId = Number(v?.rotationId ?? 0);
        for (const g of world.gatekeepers) {
          if (tag === 'GatekeeperLaunched') send(g, { type: 'LAUNCHED', block });
          else if (tag === 'MasterKeyRotationStarted') send(g, { type: 'ROTATION_STARTED', block, rotationId });
          else if (tag === 'MasterKeyRotated') send(g, { type: 'ROTATION_DONE', block, rotationId });
        }
      }
    },
    observeOutput(g, out) {
      const n = world.block;
      if (out.restartRequired) {
        withRole.delete(g);
        send(g, { type: 'KEY_RECEIVED', block: n, rotationId: 0, generated: false });
        // the pRuntime halted: only the actor's restartForReplay brings it back
        if (!replays.has(g)) throw new Error(`${g.name}: its pRuntime received the master key at block ${n} but its actor (${system.status(address(g))?.state}) asked for no restart — a driver bug`);
      } else if (!withRole.has(g) && g.gk.isGatekeeper()) {
        withRole.add(g);
        send(g, { type: 'KEY_RECEIVED', block: n, rotationId: 0, generated: true });
      }
    },
    relaysEgress(g) {
      return !g.down && context(g)?.egress === 'live';
    },
    crash(g, reason) {
      g.down = true;
      withRole.delete(g);
      replays.delete(g);
      system.crash(address(g), reason);
      world.note(`${g.name} crashes (${reason})`);
    },
    rejoin(g) {
      if (system.status(address(g))?.health === 'running') restartPruntime(g);
      else pendingRejoin.add(g);
    },
    onRestarted(addr) {
      const g = byAddress.get(addr);
      if (g === undefined) return;
      world.note(`${g.name}'s host restarted under supervision from its last persisted state`);
      if (g.down) send(g, { type: 'CRASHED', reason: 'the pRuntime is down until it restarts from its sealed checkpoint' });
      if (pendingRejoin.delete(g)) restartPruntime(g);
    },
    async catchUp() {
      for (const g of replays) {
        g.down = false;
        await replayFromGenesis(world, g);
        withRole.add(g);
        send(g, { type: 'CAUGHT_UP', block: world.block - 1 });
      }
      replays.clear();
      for (const addr of dirty) await system.persist(addr);
      dirty.clear();
    },
    context,
  };
}

/**
 * Phala's gatekeeper must be synced from the first block: the restarted pRuntime (a new GK role
 * over the same sealed key vault) replays the ledger from genesis. What it emits while catching up
 * is what the chain already has (its relay only forwards sequences the chain still expects).
 */
async function replayFromGenesis(world: World, g: GatekeeperHost): Promise<void> {
  g.gk = g.restartGatekeeper();
  for await (const record of world.store.readStream(CHAIN_STREAM)) {
    const block = decodeBlockRecord(record);
    const messages = block.outbound.map((bytes) => MessageScale.decode(bytes));
    g.gk.processBlock({ number: block.header.number, timestampMs: Number(block.header.timestamp), messages });
  }
}
