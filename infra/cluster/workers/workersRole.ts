/**
 * The `workers` role of `phalanet node` (issue 8 items 1–2): worker actors placed by actor id on
 * the inbox topic `phalanet.workers` (12 partitions) through `startPartitionHost`. On assignment a
 * partition's workers are restored (sealed checkpoint + catch-up to the chain head,
 * `workerShard.ts`); each block tick the producer publishes to the partition then, in one fenced
 * transaction, feeds them the new blocks, appends their sealed checkpoints (expected versions)
 * and writes their egress, as signed `sync_offchain_message` extrinsics, to the outbox, which
 * relays it to `phalanet.extrinsics` (the producers' intake).
 */
import type { EventStore } from '../../../domain/ports/eventStore';
import type { Measurement } from '../../../enclave/platform/measurement';
import { osRandom } from '../../random/osRandom';
import { kafkaBus, NODE_SESSION_TIMEOUT_MS } from '../../bus/kafkaBus';
import { partitionFencing, withCommitHooks } from '../fencing';
import type { ClusterDatabase } from '../fencingSchema';
import type { VaultScopes } from '../placementSource';
import { type PartitionHost, startPartitionHost } from '../placementHost';
import { EXTRINSICS_PARTITIONS, EXTRINSICS_TOPIC } from '../node/kafkaIntake';
import type { LocalChain } from '../node/localChain';
import type { PlatformVault } from './platformVault';
import { decodeBlockTick } from '../actorInbox';
import { partitionOfWorker, WORKERS_INBOX, WORKERS_PARTITIONS, WORKERS_TOPIC } from './workerPlacement';
import { relayEgress } from './workerRelay';
import { restoreShard, type WorkerSeat, type WorkerShard } from './workerShard';
import { workerStateOf, type WorkersStatus } from './workersStatus';

/**
 * Blocks between two sealed checkpoints of a partition's workers (and one right after a restore).
 * Safe to space out: a new owner restores the last checkpoint and re-feeds the blocks after it,
 * which re-produces the same egress sequences (duplicates die on the chain's sequence rule).
 */
export const CHECKPOINT_EVERY_BLOCKS = 10;

/** What the role is given by `startNode`. */
export interface WorkersRoleOptions {
  readonly nodeId: string;
  readonly brokers: readonly string[];
  /** a TCP proxy every broker connection dials (`--kafka-proxy`) */
  readonly kafkaProxy?: string | undefined;
  /** pinned mode (`--vault-scope`): this node hosts only its scope's partitions */
  readonly pinned?: VaultScopes | undefined;
  readonly store: EventStore;
  readonly db: ClusterDatabase;
  /** the scenario's genesis workers (their identities are named by block 0) */
  readonly hosts: readonly WorkerSeat[];
  readonly measurement: Measurement;
  readonly vault: PlatformVault;
  /** the node's copy of the chain state, read (never advanced) for the relay's nonces and sequences */
  readonly local: LocalChain;
  readonly log: (line: string) => void;
}

/** A running workers role. */
export interface WorkersRole {
  status(): WorkersStatus;
  /** consumer lag of the owned partitions: end offset − (applied offset + 1), from admin offsets and PostgreSQL */
  lag(): Promise<Map<number, number>>;
  /** leaves the group after the messages in flight (the partitions move to the other nodes) */
  stop(): Promise<void>;
}

/** Starts the role: topics, placement, restore, processing. */
export async function startWorkersRole(options: WorkersRoleOptions): Promise<WorkersRole> {
  const { nodeId, log } = options;
  const bus = kafkaBus({ brokers: options.brokers, proxy: options.kafkaProxy, clientId: `phalanet-node-${nodeId}-workers`, sessionTimeoutMs: NODE_SESSION_TIMEOUT_MS });
  await bus.ensureTopics([
    { name: WORKERS_TOPIC, partitions: WORKERS_PARTITIONS },
    { name: EXTRINSICS_TOPIC, partitions: EXTRINSICS_PARTITIONS },
  ]);
  const byPartition = new Map<number, WorkerSeat[]>();
  for (const h of options.hosts) byPartition.set(partitionOfWorker(h.pubkeyHex), [...(byPartition.get(partitionOfWorker(h.pubkeyHex)) ?? []), h]);
  const shards = new Map<number, WorkerShard>();
  /** the block each partition's workers were last checkpointed at (absent: not since the restore) */
  const checkpointedAt = new Map<number, number>();
  const hooks = new Map<number, () => void>();
  const raw = partitionFencing(options.db);
  const signing = osRandom();
  const deps = { store: options.store, vault: options.vault, measurement: options.measurement };
  const host: PartitionHost = await startPartitionHost({
    nodeId,
    topic: WORKERS_TOPIC,
    // one group per ledger: clusters sharing a broker (tests, staging) never take each other's partitions
    groupId: `${WORKERS_TOPIC}.${options.db.schema}`,
    source: bus,
    pinned: options.pinned,
    fencing: withCommitHooks(raw, hooks),
    outbox: { db: options.db, bus, intervalMs: 100, log: (m, e) => log(`node ${nodeId}: ${m}: ${e instanceof Error ? e.message : String(e)}`) },
    restore: async (partition, lease) => {
      const started = performance.now();
      const shard = await restoreShard(deps, partition, byPartition.get(partition) ?? []);
      shards.set(partition, shard);
      checkpointedAt.delete(partition);
      const fromCheckpoint = shard.workers.filter((w) => w.restoredFrom === 'checkpoint').length;
      log(`node ${nodeId}: ${WORKERS_TOPIC}/${partition} epoch ${lease.epoch}: ${shard.workers.length} workers restored (${fromCheckpoint} from sealed checkpoints), synced to block ${shard.syncedBlock} in ${Math.round(performance.now() - started)} ms`);
    },
    drop: async (partition) => {
      shards.delete(partition);
      checkpointedAt.delete(partition);
    },
    // SIGTERM: the last sealed checkpoint of every hosted worker, fenced, before the group moves
    // the partitions (their next owner then restores at this block, re-feeding nothing)
    beforeLeave: async (owned) => {
      for (const [partition, lease] of owned) {
        const shard = shards.get(partition);
        if (shard === undefined) continue;
        if (checkpointedAt.get(partition) === shard.syncedBlock) {
          log(`node ${nodeId}: ${WORKERS_TOPIC}/${partition}: final checkpoint of ${shard.workers.length} workers already sealed at block ${shard.syncedBlock}`);
          continue;
        }
        try {
          const versions = await raw.write(lease, async (tx) => {
            const out: number[] = [];
            for (const { worker, event } of shard.checkpoints()) out.push((await tx.append(worker.stream, [{ ...event, metadata: { ...event.metadata, node: nodeId, epoch: String(lease.epoch), final: 'true' } }], worker.version ?? 'no-stream')).version);
            return out;
          });
          shard.workers.forEach((w, i) => {
            w.version = versions[i];
          });
          checkpointedAt.set(partition, shard.syncedBlock);
          log(`node ${nodeId}: ${WORKERS_TOPIC}/${partition}: final checkpoint of ${shard.workers.length} workers at block ${shard.syncedBlock}`);
        } catch (error) {
          // fenced (another node already claimed it) or the store is gone: its next owner re-feeds from the last checkpoint
          log(`node ${nodeId}: ${WORKERS_TOPIC}/${partition}: no final checkpoint: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
    apply: async (message, tx) => {
      const tick = decodeBlockTick(WORKERS_INBOX, message.value);
      const shard = shards.get(message.partition);
      if (shard === undefined) throw new Error(`${WORKERS_TOPIC}/${message.partition}: a message for a partition that was not restored`);
      if ((await shard.advance(tick.number)) === 0) return;
      const chain = options.local.chain;
      if (chain !== undefined) tx.send(relayEgress(shard.workers, chain, shard.syncedBlock, signing));
      const last = checkpointedAt.get(message.partition);
      if (last !== undefined && shard.syncedBlock - last < CHECKPOINT_EVERY_BLOCKS) return;
      const versions: number[] = [];
      for (const { worker, event } of shard.checkpoints()) versions.push((await tx.append(worker.stream, [{ ...event, metadata: { ...event.metadata, node: nodeId, epoch: String(tx.lease.epoch) } }], worker.version ?? 'no-stream')).version);
      const block = shard.syncedBlock;
      hooks.set(message.partition, () => {
        shard.workers.forEach((w, i) => {
          w.version = versions[i];
        });
        checkpointedAt.set(message.partition, block);
      });
    },
  });
  return {
    status: () => statusOf(host, shards),
    lag: async () => {
      const [ends, owners] = await Promise.all([bus.topicEnds(WORKERS_TOPIC), raw.owners(WORKERS_TOPIC)]);
      const owned = host.owned();
      const out = new Map<number, number>();
      for (const o of owners) if (owned.get(o.partition)?.epoch === o.epoch) out.set(o.partition, Number((ends.get(o.partition) ?? 0n) - (o.appliedOffset + 1n)));
      return out;
    },
    async stop() {
      await host.stop();
      await bus.close();
    },
  };
}

function statusOf(host: PartitionHost, shards: ReadonlyMap<number, WorkerShard>): WorkersStatus {
  const byState: Record<string, number> = {};
  const partitions = [...host.owned()].map(([partition, lease]) => {
    const shard = shards.get(partition);
    for (const w of shard?.workers ?? []) byState[workerStateOf(w.runtime)] = (byState[workerStateOf(w.runtime)] ?? 0) + 1;
    return { partition, epoch: lease.epoch.toString(), workers: shard?.workers.length ?? 0, syncedBlock: shard?.syncedBlock ?? null };
  });
  return { topic: WORKERS_TOPIC, partitions, actorsByState: byState, stats: host.stats() };
}
