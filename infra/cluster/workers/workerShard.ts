/**
 * The worker actors of one partition of `phalanet.workers` on this node: each worker's pRuntime
 * is restored from its sealed checkpoint (stream `worker-<pubkey>`, unsealed with the platform
 * vault) or, when it has none yet, started from the scenario's genesis identity; then every
 * worker is caught up to the chain head by feeding it the ledger's blocks, verified against
 * their parents (the block feed `localChain.ts` follows), through one `WorkerGroup` per shard.
 */
import { isLeft } from 'fp-ts/Either';
import type { Block } from '../../../domain/chain/block';
import type { BlockHeader } from '../../../domain/codec/blockHeader.codec';
import { CHAIN_STREAM, decodeBlockRecord } from '../../../domain/chain/ledger';
import type { EventData, EventStore } from '../../../domain/ports/eventStore';
import type { Measurement } from '../../../enclave/platform/measurement';
import { checkpointWorker, createWorkerGroup, restoreWorker, type VerifiedBlockView, type WorkerGroup, type WorkerRuntime, verifyBlock } from '../../../enclave/pruntime';
import type { Random } from '../../../domain/ports/random';
import type { SimAccount } from '../../../simulations/run/accounts';
import type { RelayMemory } from '../../../simulations/run/relay';
import type { PlatformVault } from './platformVault';
import type { RelayedWorker } from './workerRelay';

/** The stream holding a worker's sealed checkpoints. */
export const workerStream = (pubkeyHex: string): string => `worker-${pubkeyHex}`;
/** The checkpoint event's type. */
export const CHECKPOINT_EVENT = 'WorkerCheckpointSealed';

/** A worker pRuntime as the scenario's genesis names it (a `WorkerHost`, or a gatekeeper host's worker half). */
export interface WorkerSeat {
  readonly name: string;
  readonly pubkeyHex: string;
  /** the runtime a worker with no checkpoint yet starts from */
  readonly runtime: WorkerRuntime;
  /** the identity's signing randomness after a restore */
  readonly identityRandom: Random;
  /** the account that relays its egress */
  readonly relayer: SimAccount;
}

/** One hosted worker. */
export interface HostedWorker extends RelayedWorker {
  /** the scenario's genesis seat: name, identity Random, relayer account */
  readonly host: WorkerSeat;
  runtime: WorkerRuntime;
  readonly stream: string;
  /** version of its last checkpoint in the store (undefined: none yet) */
  version: number | undefined;
  readonly restoredFrom: 'checkpoint' | 'genesis';
  /** sequences pherry submitted and when (resubmitted after a few blocks) */
  readonly relayMemory: RelayMemory;
}

/** The workers of one partition, all synced to one block. */
export interface WorkerShard {
  readonly partition: number;
  readonly workers: readonly HostedWorker[];
  readonly syncedBlock: number;
  /** feeds the ledger's blocks after `syncedBlock` up to `toBlock` (or the head); resolves to how many */
  advance(toBlock?: number): Promise<number>;
  /** the checkpoint events to append, one per worker, sealed as of `syncedBlock` */
  checkpoints(): { worker: HostedWorker; event: EventData }[];
}

/** What restoring needs. */
export interface ShardDeps {
  readonly store: EventStore;
  readonly vault: PlatformVault;
  readonly measurement: Measurement;
}

async function readBlocks(store: EventStore, fromVersion: number, toVersion: number | undefined): Promise<Block[]> {
  const out: Block[] = [];
  for await (const r of store.readStream(CHAIN_STREAM, { fromVersion, ...(toVersion === undefined ? {} : { toVersion }) })) out.push(decodeBlockRecord(r));
  return out;
}

/**
 * Feeds `process` the verified views of the ledger's blocks after `cursor.synced` up to `toBlock`
 * (or the head), each checked against its parent, moving the cursor block by block: a refused
 * block stops the feed with the cursor on the last block processed.
 */
export async function feedBlocks(store: EventStore, cursor: { synced: number }, toBlock: number | undefined, process: (view: VerifiedBlockView) => void): Promise<void> {
  if (toBlock !== undefined && toBlock <= cursor.synced) return;
  const blocks = await readBlocks(store, cursor.synced, toBlock);
  let parent: BlockHeader | undefined = blocks[0]?.header;
  if (parent === undefined || parent.number !== cursor.synced) throw new Error(`sync: block ${cursor.synced} is not in the ledger`);
  for (const block of blocks.slice(1)) {
    const view = verifyBlock(parent, block);
    if (isLeft(view)) throw new Error(`sync: block ${block.header.number} refused (${view.left._tag}): the ledger does not link`);
    process(view.right);
    parent = block.header;
    cursor.synced = parent.number;
  }
}

/** Feeds `group` (synced to `cursor.synced`) the blocks up to `toBlock`. */
const feed = (store: EventStore, group: WorkerGroup, cursor: { synced: number }, toBlock: number | undefined): Promise<void> =>
  feedBlocks(store, cursor, toBlock, (view) => void group.processBlock(view));

/** The data of record `version` of `stream` (the last one, read when it was the stream's version). */
export async function lastRecordData(store: EventStore, stream: string, version: number, what: string): Promise<Uint8Array> {
  let data: Uint8Array | undefined;
  for await (const r of store.readStream(stream, { fromVersion: version })) data = r.data;
  if (data === undefined) throw new Error(`${what} ${version} of ${stream} vanished`);
  return data;
}

async function restoreOne(deps: ShardDeps, host: WorkerSeat): Promise<{ worker: HostedWorker; synced: number }> {
  const stream = workerStream(host.pubkeyHex);
  const platform = deps.vault.platform(host.pubkeyHex);
  const version = await deps.store.streamVersion(stream);
  const base = { host, stream, version, pubkeyHex: host.pubkeyHex, relayer: host.relayer, relayMemory: new Map() as RelayMemory };
  if (version === undefined) return { worker: { ...base, runtime: host.runtime, restoredFrom: 'genesis' }, synced: 0 };
  const sealed = await lastRecordData(deps.store, stream, version, `worker ${host.name}: checkpoint`);
  const restored = restoreWorker(platform, deps.measurement, sealed, host.identityRandom);
  if (isLeft(restored)) {
    throw new Error(`worker ${host.name}: cannot restore its sealed checkpoint (${restored.left._tag}): this node's --platform-vault ${deps.vault.dir} is not the one that sealed it`);
  }
  return { worker: { ...base, runtime: restored.right.worker, restoredFrom: 'checkpoint' }, synced: restored.right.syncedBlock ?? 0 };
}

/**
 * Restores the workers of `hosts` (those of one partition) and catches them up to the ledger's
 * head; workers checkpointed at different blocks are first brought to the same block.
 */
export async function restoreShard(deps: ShardDeps, partition: number, hosts: readonly WorkerSeat[]): Promise<WorkerShard> {
  const restored = await Promise.all(hosts.map((h) => restoreOne(deps, h)));
  const head = (await deps.store.streamVersion(CHAIN_STREAM)) ?? 0;
  const bySynced = new Map<number, HostedWorker[]>();
  for (const r of restored) bySynced.set(r.synced, [...(bySynced.get(r.synced) ?? []), r.worker]);
  for (const [synced, workers] of bySynced) {
    const group = createWorkerGroup();
    for (const w of workers) group.add(w.runtime);
    await feed(deps.store, group, { synced }, head);
  }
  const workers = restored.map((r) => r.worker);
  return shardOf(deps, partition, workers, Math.max(head, 0));
}

function shardOf(deps: ShardDeps, partition: number, workers: HostedWorker[], synced: number): WorkerShard {
  const group = createWorkerGroup(synced + 1);
  for (const w of workers) group.add(w.runtime);
  const cursor = { synced };
  return {
    partition,
    workers,
    get syncedBlock() {
      return cursor.synced;
    },
    async advance(toBlock) {
      const before = cursor.synced;
      await feed(deps.store, group, cursor, toBlock);
      return cursor.synced - before;
    },
    checkpoints: () =>
      workers.map((worker) => ({
        worker,
        event: {
          type: CHECKPOINT_EVENT,
          schemaVersion: 1,
          data: checkpointWorker(worker.runtime, deps.vault.platform(worker.host.pubkeyHex), deps.measurement, cursor.synced),
          metadata: { syncedBlock: String(cursor.synced) },
        },
      })),
  };
}
