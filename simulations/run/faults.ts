/**
 * The scenario's faults, switched on and off at their blocks (network faults live in the bus):
 *
 * * unresponsive workers: the pRuntime runs but pherry relays nothing; when it answers again it
 *   relays everything pending from the chain's next sequence (late heartbeats included);
 * * worker crashes: the pRuntime is sealed to a checkpoint and stops; on restart it is restored
 *   from the sealed blob, replays the blocks it missed from the ledger, and takes its place in the
 *   process's worker group again; a worker serving a contract cluster seals its cluster checkpoint
 *   (worker, cluster key, every contract's state) and its cluster side is restored from it too;
 * * gatekeeper crashes: the host dies and its actor restarts under supervision
 *   (`gatekeeperActors.ts`); on rejoin its pRuntime restarts and replays from genesis;
 * * hostile senders: forged (bad signature), replayed (an accepted signed message again) and
 *   malformed (undecodable) extrinsics every block at the scenario's rates — the chain must refuse
 *   all of them without changing state.
 */
import * as E from 'fp-ts/Either';
import { CHAIN_STREAM, decodeBlockRecord } from '../../domain/chain/ledger';
import type { SignedMessage } from '../../domain/codec/mq.codec';
import { topicBytes, topics } from '../../domain/codec/topics';
import { verifyBlock } from '../../enclave/pruntime/blockView';
import { checkpointWorker, restoreWorker } from '../../enclave/pruntime/checkpoint';
import { createWorkerGroup } from '../../enclave/pruntime/workerGroup';
import { restoreClusterRuntime } from '../../enclave/pruntime/clusterRuntime';
import { shippedProgramRegistry } from '../../enclave/contracts/programs';
import type { WorkerRuntime } from '../../enclave/pruntime/workerRuntime';
import type { ClusterHost } from './clusterHosts';
import { callOf } from './accounts';
import { poissonCount } from './draw';
import type { WorkerHost } from './hosts';
import type { World } from './simulation';
import type { WorkerFleet } from './workerFleet';

/** What the hostile senders remember: accepted messages they may replay. */
export interface Attackers {
  readonly seen: SignedMessage[];
}

const ATTACKER = 'attacker';

/** The cluster side of a worker, if it serves a cluster (and has not left it). */
export type ClusterHostOf = (w: WorkerHost) => ClusterHost | undefined;

/** Workers of `group` a fault picks: the first `count` that compute — of a group that does not compute (cluster workers), the first `count` (deterministic). */
function pick(world: World, group: string, count: number): WorkerHost[] {
  const members = world.workers.filter((w) => w.group === group);
  const computing = members.filter((w) => w.computes);
  return (computing.length > 0 ? computing : members).slice(0, count);
}

/** Switches faults due before block `world.block`; returns the workers to restart (async catch-up). */
export function applyFaults(world: World, fleet: WorkerFleet | undefined, clusterHostOf: ClusterHostOf = () => undefined, onClusterSealed?: (h: ClusterHost, block: number) => void): WorkerHost[] {
  const n = world.block;
  const f = world.scenario.faults;
  for (const u of f.unresponsiveWorkers) {
    if (n === u.atBlock) for (const w of pick(world, u.workerGroup, u.count)) setSilent(world, w, true);
    if (u.untilBlock !== null && n === u.untilBlock) for (const w of pick(world, u.workerGroup, u.count)) setSilent(world, w, false);
  }
  const restarts: WorkerHost[] = [];
  for (const c of f.workerCrashes) {
    if (n === c.atBlock) {
      for (const w of pick(world, c.workerGroup, c.count)) {
        if (w.down) continue;
        const cluster = clusterHostOf(w);
        w.sealedCheckpoint = cluster === undefined ? checkpointWorker(w.runtime, w.platform, world.env.measurement, n - 1) : cluster.runtime.checkpoint();
        if (cluster !== undefined) onClusterSealed?.(cluster, n - 1);
        w.down = true;
        fleet?.crashed(w, 'fault injection: the pRuntime process was killed');
        world.note(`${w.name} crashes (sealed ${cluster === undefined ? '' : 'cluster '}checkpoint at block ${n - 1})`);
      }
    }
    if (c.untilBlock !== null && n === c.untilBlock) restarts.push(...pick(world, c.workerGroup, c.count).filter((w) => w.down));
  }
  for (const c of f.gatekeeperCrashes) {
    const g = world.gatekeepers[c.gatekeeper];
    if (g === undefined) continue;
    if (n === c.atBlock && !g.down) world.gatekeeperActors?.crash(g, 'fault injection: the host was killed');
    if (c.rejoinAtBlock !== null && n === c.rejoinAtBlock && g.down) world.gatekeeperActors?.rejoin(g);
  }
  return restarts;
}

function setSilent(world: World, w: WorkerHost, silent: boolean): void {
  w.silent = silent;
  world.note(silent ? `${w.name} stops answering` : `${w.name} answers again`);
}

/**
 * Restores `w` from its sealed checkpoint and replays the ledger blocks after it into the restored
 * pRuntime (a private worker group, and its cluster side if it serves one), then puts it back in
 * the process's group.
 */
export async function restartWorker(world: World, w: WorkerHost, fleet: WorkerFleet | undefined, clusterHostOf: ClusterHostOf = () => undefined): Promise<void> {
  const sealed = w.sealedCheckpoint;
  if (sealed === undefined) throw new Error(`${w.name} has no sealed checkpoint to restart from`);
  const cluster = clusterHostOf(w);
  const restored = cluster === undefined ? restoreWorkerOnly(world, w, sealed) : restoreClusterSide(world, w, sealed);
  const from = (restored.syncedBlock ?? 0) + 1;
  const group = createWorkerGroup(from);
  group.add(restored.worker);
  let parent: Parameters<typeof verifyBlock>[0] | undefined;
  for await (const record of world.store.readStream(CHAIN_STREAM, { fromVersion: from - 1 })) {
    const block = decodeBlockRecord(record);
    if (parent !== undefined) {
      const view = verifyBlock(parent, block);
      if (E.isLeft(view)) throw new Error(`${w.name} refused block ${block.header.number} while catching up: ${view.left._tag}`);
      group.processBlock(view.right);
      if (restored.cluster !== undefined && cluster !== undefined && !cluster.exited) cluster.exited = restored.cluster.processBlock(view.right).exitRequired;
    }
    parent = block.header;
  }
  const index = world.group.indexOf(w.runtime.pubkey);
  if (index === undefined) throw new Error(`${w.name} is not in the worker group`);
  w.runtime = restored.worker;
  world.group.replace(index, w.runtime);
  if (cluster !== undefined && restored.cluster !== undefined) cluster.runtime = restored.cluster;
  w.down = false;
  w.sealedCheckpoint = undefined;
  fleet?.restarted(w, world.block - 1);
  world.note(`${w.name} restarts from its sealed ${cluster === undefined ? '' : 'cluster '}checkpoint and catches up from block ${from}`);
}

interface Restored {
  readonly worker: WorkerRuntime;
  readonly syncedBlock: number | undefined;
  readonly cluster?: ClusterHost['runtime'];
}

function restoreWorkerOnly(world: World, w: WorkerHost, sealed: Uint8Array): Restored {
  const restored = restoreWorker(w.platform, world.env.measurement, sealed, w.identityRandom);
  if (E.isLeft(restored)) throw new Error(`${w.name}: its sealed checkpoint does not restore (${restored.left._tag})`);
  return restored.right;
}

// the query IVs come from a new stream: replies after the restart must not reuse the old ones
function restoreClusterSide(world: World, w: WorkerHost, sealed: Uint8Array): Restored {
  const options = {
    registry: shippedProgramRegistry(),
    platform: w.platform,
    measurement: world.env.measurement,
    workerRandom: w.identityRandom,
    queryRandom: world.random.fork(`cluster-query/${w.name}/restart-${world.block}`),
  };
  const restored = restoreClusterRuntime(sealed, options);
  if (E.isLeft(restored)) throw new Error(`${w.name}: its sealed cluster checkpoint does not restore (${restored.left._tag})`);
  return { worker: restored.right.worker, syncedBlock: restored.right.lastBlock(), cluster: restored.right };
}

/** Hostile submissions for the block being prepared. */
export function attack(world: World, attackers: Attackers): void {
  const f = world.scenario.faults;
  const r = world.random.fork(`attack/${world.block}`);
  const who = world.account(`${ATTACKER}/1`);
  for (let i = poissonCount(f.forgedMessagesPerBlock, r); i > 0; i--) {
    const victim = world.workers[r.nextInt(0, Math.max(0, world.workers.length - 1))];
    if (victim === undefined) break;
    const message = { sender: { tag: 'Worker' as const, value: victim.runtime.pubkey }, destination: topicBytes(topics.workingReport), payload: r.bytes(24) };
    const signedMessage = { message, sequence: 0n, signature: r.bytes(64) };
    world.submit(ATTACKER, who, callOf('PhalaMq', 'sync_offchain_message', { signedMessage }));
  }
  for (let i = poissonCount(f.replayedMessagesPerBlock, r); i > 0 && attackers.seen.length > 0; i--) {
    const signedMessage = attackers.seen[r.nextInt(0, attackers.seen.length - 1)]!;
    world.submit(ATTACKER, who, callOf('PhalaMq', 'sync_offchain_message', { signedMessage }));
  }
  for (let i = poissonCount(f.malformedMessagesPerBlock, r); i > 0; i--) world.net.submit(ATTACKER, r.bytes(r.nextInt(1, 200)));
}

/** Remembers a few accepted messages for replays (a bounded sample). */
export function rememberForReplay(attackers: Attackers, relayed: readonly SignedMessage[]): void {
  for (const m of relayed) {
    if (attackers.seen.length < 64) attackers.seen.push(m);
    else attackers.seen[Number(m.sequence % 64n)] = m;
  }
}
