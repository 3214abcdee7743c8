/**
 * The gatekeeper actors of one partition of `phalanet.gatekeepers` on this node. A gatekeeper is
 * a whole pRuntime (DOMAIN.md §7): its worker half (registered worker: it syncs, benchmarks and
 * relays its `Worker` channel) and its GK role (master key, computing economics, the shared
 * `Gatekeeper` channel), over one key vault.
 *
 * As Phala's gatekeeper does, it is restored by replaying the ledger from genesis, never from a
 * state checkpoint: a fresh pRuntime of the scenario's identity (block 0 names it) on this node's
 * platform (the platform vault) first loads its sealed master key history (stream
 * `gatekeeper-<pubkey>`, `master_key.seal`), then processes every block. A pRuntime that receives
 * the master key halts (Phala panics there); its GK role restarts over the same vault and replays
 * the ledger again, as `simulations/run/gatekeeperActors.ts` does in a simulation.
 */
import * as E from 'fp-ts/Either';
import { CHAIN_STREAM } from '../../../domain/chain/ledger';
import type { EventData, EventStore } from '../../../domain/ports/eventStore';
import type { Random } from '../../../domain/ports/random';
import type { GatekeeperRuntime, GkBlock, GkBlockOutput } from '../../../enclave/gatekeeper/gatekeeperRuntime';
import type { GkEgressEntry } from '../../../enclave/gatekeeper/gkEgress';
import type { Platform } from '../../../enclave/platform/platform';
import { createWorkerGroup, pushMessage, type VerifiedBlockView, type WorkerGroup, type WorkerRuntime } from '../../../enclave/pruntime';
import type { SimAccount } from '../../../simulations/run/accounts';
import type { GatekeeperEnclave } from '../../../simulations/run/hosts';
import type { RelayMemory } from '../../../simulations/run/relay';
import type { PlatformVault } from '../workers/platformVault';
import type { RelayedWorker } from '../workers/workerRelay';
import { feedBlocks, lastRecordData } from '../workers/workerShard';

/** The stream holding a gatekeeper's sealed master key history (`master_key.seal`). */
export const gatekeeperStream = (pubkeyHex: string): string => `gatekeeper-${pubkeyHex}`;
/** The event type of a sealed master key history. */
export const MASTER_KEYS_EVENT = 'MasterKeysSealed';

/** A gatekeeper host as the scenario's genesis names it (`GatekeeperHost` is one). */
export interface GatekeeperSeat {
  readonly name: string;
  readonly pubkeyHex: string;
  /** relays its worker half's `Worker` channel */
  readonly relayer: SimAccount;
  /** relays its `Gatekeeper` channel */
  readonly gkRelayer: SimAccount;
  readonly enclaveOn: (platform: Platform, signing: Random) => GatekeeperEnclave;
}

/** One hosted gatekeeper. */
export interface HostedGatekeeper extends RelayedWorker {
  readonly seat: GatekeeperSeat;
  readonly stream: string;
  /** version of its last sealed master keys in the store (undefined: none yet) */
  version: number | undefined;
  readonly enclave: GatekeeperEnclave;
  /** the worker half */
  readonly runtime: WorkerRuntime;
  gk: GatekeeperRuntime;
  /** the GK role received the master key and waits for its restart (processes no block) */
  halted: boolean;
  /** GK-role restarts since the restore */
  restarts: number;
  /** its `Gatekeeper`-channel egress not yet accepted by the chain */
  pending: GkEgressEntry[];
  readonly gkRelayMemory: RelayMemory;
  /** a master key history sealed since the last one written (to append under the fence) */
  unsaved: Uint8Array | undefined;
  /** where the restore started: its sealed master key history, or nothing (a fresh vault) */
  readonly restoredFrom: 'sealed master keys' | 'genesis';
}

/** The gatekeepers of one partition, all synced to one block. */
export interface GatekeeperShard {
  readonly partition: number;
  readonly gatekeepers: readonly HostedGatekeeper[];
  readonly syncedBlock: number;
  /** feeds the ledger's blocks after `syncedBlock` up to `toBlock` (or the head); resolves to how many */
  advance(toBlock?: number): Promise<number>;
  /** the sealed master key histories to append (one per gatekeeper holding an unsaved one) */
  unsavedSeals(): { gatekeeper: HostedGatekeeper; event: EventData }[];
}

/** What restoring needs. */
export interface GatekeeperShardDeps {
  readonly store: EventStore;
  readonly vault: PlatformVault;
  /** randomness for the GK role's signatures (OS randomness in a cluster) */
  readonly signing: Random;
}

const gkBlockOf = (view: VerifiedBlockView): GkBlock => ({ number: view.number, timestampMs: Number(view.nowMs), messages: view.messages.map((m) => m.message) });

async function openOne(deps: GatekeeperShardDeps, seat: GatekeeperSeat): Promise<HostedGatekeeper> {
  const stream = gatekeeperStream(seat.pubkeyHex);
  const enclave = seat.enclaveOn(deps.vault.platform(seat.pubkeyHex), deps.signing);
  const version = await deps.store.streamVersion(stream);
  if (version !== undefined) {
    const sealed = await lastRecordData(deps.store, stream, version, `gatekeeper ${seat.name}: sealed master keys`);
    const restored = enclave.restoreMasterKeys(sealed);
    if (E.isLeft(restored)) {
      throw new Error(`gatekeeper ${seat.name}: cannot unseal its master keys (${restored.left._tag}): this node's --platform-vault ${deps.vault.dir} is not the one that sealed them`);
    }
  }
  return {
    seat,
    stream,
    version,
    enclave,
    runtime: enclave.worker,
    pubkeyHex: seat.pubkeyHex,
    relayer: seat.relayer,
    relayMemory: new Map(),
    gk: enclave.startGatekeeper(),
    halted: false,
    restarts: 0,
    pending: [],
    gkRelayMemory: new Map(),
    unsaved: undefined,
    restoredFrom: version === undefined ? 'genesis' : 'sealed master keys',
  };
}

/** Takes one block's output of a gatekeeper's GK role; `withWorkerEgress`: its worker half processed the block too. */
function take(g: HostedGatekeeper, out: GkBlockOutput, withWorkerEgress: boolean): void {
  // the GK role's own `Worker`-channel messages (the first gatekeeper's `MasterPubkey`), signed by the identity
  if (withWorkerEgress) for (const m of out.workerEgress) pushMessage(g.runtime.workerChannel, m.destination, m.payload, g.runtime.identity.signEgress);
  g.pending.push(...out.gatekeeperEgress);
  if (out.sealedMasterKeys !== undefined) g.unsaved = out.sealedMasterKeys;
  if (out.restartRequired) g.halted = true;
}

/**
 * Restarts a halted GK role over its vault and replays the ledger into it up to `synced` (the
 * worker half goes on: only the role restarts). Its `Gatekeeper`-channel output is kept, so a lone
 * gatekeeper still relays what the chain lacks.
 */
async function restartRole(deps: GatekeeperShardDeps, g: HostedGatekeeper, synced: number): Promise<void> {
  g.gk = g.enclave.startGatekeeper();
  g.halted = false;
  g.restarts++;
  g.pending = [];
  await feedBlocks(deps.store, { synced: 0 }, synced, (view) => {
    if (g.halted) throw new Error(`gatekeeper ${g.seat.name}: its restarted GK role halted again at block ${view.number}`);
    take(g, g.gk.processBlock(gkBlockOf(view)), false);
  });
}

/** Restores the gatekeepers of `seats` (those of one partition) and catches them up to the ledger's head. */
export async function restoreGatekeeperShard(deps: GatekeeperShardDeps, partition: number, seats: readonly GatekeeperSeat[]): Promise<GatekeeperShard> {
  const gatekeepers = await Promise.all(seats.map((s) => openOne(deps, s)));
  const group: WorkerGroup = createWorkerGroup();
  for (const g of gatekeepers) group.add(g.runtime);
  const cursor = { synced: 0 };
  const advance = async (toBlock: number | undefined): Promise<number> => {
    const before = cursor.synced;
    await feedBlocks(deps.store, cursor, toBlock, (view) => {
      group.processBlock(view);
      const block = gkBlockOf(view);
      for (const g of gatekeepers) if (!g.halted) take(g, g.gk.processBlock(block), true);
    });
    for (const g of gatekeepers) if (g.halted) await restartRole(deps, g, cursor.synced);
    return cursor.synced - before;
  };
  await advance((await deps.store.streamVersion(CHAIN_STREAM)) ?? 0);
  return {
    partition,
    gatekeepers,
    get syncedBlock() {
      return cursor.synced;
    },
    advance,
    unsavedSeals: () =>
      gatekeepers.flatMap((gatekeeper) =>
        gatekeeper.unsaved === undefined ? [] : [{ gatekeeper, event: { type: MASTER_KEYS_EVENT, schemaVersion: 1, data: gatekeeper.unsaved, metadata: { syncedBlock: String(cursor.synced) } } }],
      ),
  };
}
