/**
 * The `gatekeepers` role of `phalanet node`: gatekeeper actors placed by pubkey on the inbox topic
 * `phalanet.gatekeepers` (4 partitions) through `startPartitionHost`, like the workers role. On
 * assignment a partition's gatekeepers are restored (sealed master keys + replay from genesis,
 * `gatekeeperShard.ts`); each block tick then, in one fenced transaction, feeds them the new
 * blocks, appends a master key history sealed in them (expected version) and writes their egress
 * to the outbox as signed `sync_offchain_message` extrinsics: the worker half's `Worker` channel
 * (relayer account) and the shared `Gatekeeper` channel (the GK relayer account) — the economics
 * reports, key distributions and random beacon. Every gatekeeper relays the same `Gatekeeper`
 * messages; the chain keeps the first copy of each sequence.
 */
import { nextIngressSequence } from '../../../domain/chain/pallets/mq.pallet';
import type { EventStore } from '../../../domain/ports/eventStore';
import type { BusMessage } from '../../../domain/ports/bus';
import type { Chain } from '../../../domain/chain/executive';
import { kafkaBus, NODE_SESSION_TIMEOUT_MS } from '../../bus/kafkaBus';
import { osRandom } from '../../random/osRandom';
import { decodeBlockTick } from '../actorInbox';
import { partitionFencing, withCommitHooks } from '../fencing';
import type { ClusterDatabase } from '../fencingSchema';
import type { VaultScopes } from '../placementSource';
import { type PartitionHost, type PartitionHostStats, startPartitionHost } from '../placementHost';
import { EXTRINSICS_PARTITIONS, EXTRINSICS_TOPIC } from '../node/kafkaIntake';
import type { LocalChain } from '../node/localChain';
import type { PlatformVault } from '../workers/platformVault';
import { relayEgress, relayMessages } from '../workers/workerRelay';
import { GATEKEEPERS_INBOX, GATEKEEPERS_PARTITIONS, GATEKEEPERS_TOPIC, partitionOfGatekeeper } from './gatekeeperPlacement';
import { type GatekeeperSeat, type GatekeeperShard, type HostedGatekeeper, restoreGatekeeperShard } from './gatekeeperShard';

/** What the role is given by `startNode`. */
export interface GatekeepersRoleOptions {
  readonly nodeId: string;
  readonly brokers: readonly string[];
  /** a TCP proxy every broker connection dials (`--kafka-proxy`) */
  readonly kafkaProxy?: string | undefined;
  /** pinned mode (`--vault-scope`): this node hosts only its scope's partitions */
  readonly pinned?: VaultScopes | undefined;
  readonly store: EventStore;
  readonly db: ClusterDatabase;
  /** the scenario's gatekeepers (their identities are named by the chain) */
  readonly seats: readonly GatekeeperSeat[];
  readonly vault: PlatformVault;
  /** the node's copy of the chain state, read (never advanced) for the relay's nonces and sequences */
  readonly local: LocalChain;
  readonly log: (line: string) => void;
}

/** A gatekeeper's state as its pRuntime has it. */
export type GatekeeperActorState = 'syncing' | 'silent' | 'active';

/** One hosted gatekeeper, for `/status`. */
export interface GatekeeperView {
  readonly name: string;
  readonly pubkey: string;
  readonly partition: number;
  readonly state: GatekeeperActorState;
  readonly syncedBlock: number;
  /** the next sequence of its `Gatekeeper` channel (absent without the GK role) */
  readonly nextSequence: string | null;
  /** `Gatekeeper`-channel messages not yet accepted by the chain */
  readonly pending: number;
  readonly restoredFrom: HostedGatekeeper['restoredFrom'];
  readonly roleRestarts: number;
}

/** The role's status. */
export interface GatekeepersStatus {
  readonly topic: string;
  readonly partitions: readonly { readonly partition: number; readonly epoch: string; readonly gatekeepers: number; readonly syncedBlock: number | null }[];
  readonly gatekeepers: readonly GatekeeperView[];
  readonly actorsByState: Readonly<Record<string, number>>;
  readonly stats: PartitionHostStats;
}

/** A running gatekeepers role. */
export interface GatekeepersRole {
  status(): GatekeepersStatus;
  /** leaves the group after the messages in flight (the partitions move to the other nodes) */
  stop(): Promise<void>;
}

/** A gatekeeper's state: no GK role yet (waiting for the master key), silent (dummy mode) or active. */
export function gatekeeperStateOf(g: HostedGatekeeper): GatekeeperActorState {
  const s = g.gk.status();
  if (s === undefined || g.halted) return 'syncing';
  return s.registered ? 'active' : 'silent';
}

/** The extrinsics relaying a shard's egress at its synced block: worker halves, then the `Gatekeeper` channel. */
function relayShard(shard: GatekeeperShard, chain: Chain, random: ReturnType<typeof osRandom>): BusMessage[] {
  const block = shard.syncedBlock;
  const out = relayEgress(shard.gatekeepers, chain, block, random);
  const next = nextIngressSequence(chain.storage, { tag: 'Gatekeeper', value: undefined });
  for (const g of shard.gatekeepers) {
    g.pending = g.pending.filter((e) => e.sequence >= next);
    if (g.pending.length > 0) out.push(...relayMessages(`${g.pubkeyHex}/gatekeeper`, g.pending, next, g.seat.gkRelayer, g.gkRelayMemory, chain, block, random));
  }
  return out;
}

/** Starts the role: topics, placement, restore, processing. */
export async function startGatekeepersRole(options: GatekeepersRoleOptions): Promise<GatekeepersRole> {
  const { nodeId, log } = options;
  const bus = kafkaBus({ brokers: options.brokers, proxy: options.kafkaProxy, clientId: `phalanet-node-${nodeId}-gatekeepers`, sessionTimeoutMs: NODE_SESSION_TIMEOUT_MS });
  await bus.ensureTopics([
    { name: GATEKEEPERS_TOPIC, partitions: GATEKEEPERS_PARTITIONS },
    { name: EXTRINSICS_TOPIC, partitions: EXTRINSICS_PARTITIONS },
  ]);
  const byPartition = new Map<number, GatekeeperSeat[]>();
  for (const s of options.seats) byPartition.set(partitionOfGatekeeper(s.pubkeyHex), [...(byPartition.get(partitionOfGatekeeper(s.pubkeyHex)) ?? []), s]);
  const shards = new Map<number, GatekeeperShard>();
  /** versions to take once a partition's fenced transaction committed */
  const committed = new Map<number, () => void>();
  const fencing = partitionFencing(options.db);
  const signing = osRandom();
  const deps = { store: options.store, vault: options.vault, signing };
  const host: PartitionHost = await startPartitionHost({
    nodeId,
    topic: GATEKEEPERS_TOPIC,
    groupId: `${GATEKEEPERS_TOPIC}.${options.db.schema}`,
    source: bus,
    pinned: options.pinned,
    fencing: withCommitHooks(fencing, committed),
    outbox: { db: options.db, bus, intervalMs: 100, log: (m, e) => log(`node ${nodeId}: ${m}: ${e instanceof Error ? e.message : String(e)}`) },
    restore: async (partition, lease) => {
      const started = performance.now();
      const shard = await restoreGatekeeperShard(deps, partition, byPartition.get(partition) ?? []);
      shards.set(partition, shard);
      for (const g of shard.gatekeepers) {
        log(
          `node ${nodeId}: ${GATEKEEPERS_TOPIC}/${partition} epoch ${lease.epoch}: ${g.seat.name} restored (from ${g.restoredFrom}, GK role restarted ${g.restarts}×), replayed to block ${shard.syncedBlock} in ${Math.round(performance.now() - started)} ms: ${gatekeeperStateOf(g)}`,
        );
      }
    },
    drop: async (partition) => {
      shards.delete(partition);
    },
    apply: async (message, tx) => {
      const tick = decodeBlockTick(GATEKEEPERS_INBOX, message.value);
      const shard = shards.get(message.partition);
      if (shard === undefined) throw new Error(`${GATEKEEPERS_TOPIC}/${message.partition}: a message for a partition that was not restored`);
      if ((await shard.advance(tick.number)) === 0) return;
      const chain = options.local.chain;
      if (chain !== undefined) tx.send(relayShard(shard, chain, signing));
      const seals = shard.unsavedSeals();
      if (seals.length === 0) return;
      const versions: number[] = [];
      for (const { gatekeeper, event } of seals) versions.push((await tx.append(gatekeeper.stream, [{ ...event, metadata: { ...event.metadata, node: nodeId, epoch: String(tx.lease.epoch) } }], gatekeeper.version ?? 'no-stream')).version);
      committed.set(message.partition, () =>
        seals.forEach(({ gatekeeper, event }, i) => {
          gatekeeper.version = versions[i];
          if (gatekeeper.unsaved === event.data) gatekeeper.unsaved = undefined;
        }),
      );
    },
  });
  return {
    status: () => statusOf(host, shards),
    async stop() {
      await host.stop();
      await bus.close();
    },
  };
}

function statusOf(host: PartitionHost, shards: ReadonlyMap<number, GatekeeperShard>): GatekeepersStatus {
  const byState: Record<string, number> = {};
  const gatekeepers: GatekeeperView[] = [];
  const partitions = [...host.owned()].map(([partition, lease]) => {
    const shard = shards.get(partition);
    for (const g of shard?.gatekeepers ?? []) {
      const state = gatekeeperStateOf(g);
      byState[state] = (byState[state] ?? 0) + 1;
      gatekeepers.push({
        name: g.seat.name,
        pubkey: g.pubkeyHex,
        partition,
        state,
        syncedBlock: shard!.syncedBlock,
        nextSequence: g.gk.status()?.nextSequence.toString() ?? null,
        pending: g.pending.length,
        restoredFrom: g.restoredFrom,
        roleRestarts: g.restarts,
      });
    }
    return { partition, epoch: lease.epoch.toString(), gatekeepers: shard?.gatekeepers.length ?? 0, syncedBlock: shard?.syncedBlock ?? null };
  });
  return { topic: GATEKEEPERS_TOPIC, partitions, gatekeepers, actorsByState: byState, stats: host.stats() };
}
