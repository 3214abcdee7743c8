/**
 * `phalanet cluster up`: starts the services the user gave no URL for (PostgreSQL, Kafka), then
 * the nodes one after another, records everything in `DIR/cluster.json` as it goes (so a failure
 * half-way, or a crash of this command, still leaves what `cluster down` needs), and prints the
 * status table. A cluster already running in the directory, or a busy `--base-port`, is refused
 * before anything starts (exit 2).
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { launchNode, NodeStartFailed, stopNodes } from '../../cluster/local/clusterNodes';
import { serviceStateFiles, startKafka, startPostgres, stopServices } from '../../cluster/local/clusterServices';
import { type ClusterState, nodeProcessState, readClusterState, stateFileOf, writeClusterState } from '../../cluster/local/clusterState';
import { decodeStoreUrl } from '../../store';
import { UsageError } from '../errors';
import type { ClusterUpFlags } from './clusterFlags';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Refuses a directory whose cluster still has a live node; clears one whose nodes are all dead. */
async function claimDirectory(flags: ClusterUpFlags): Promise<void> {
  const previous = readClusterState(flags.dir);
  if (previous === undefined) return;
  const alive = previous.nodes.filter((n) => nodeProcessState(n.pid, n.id) !== 'dead');
  if (alive.length > 0) {
    throw new UsageError(`cluster: a cluster already runs in ${flags.dir} (nodes ${alive.map((n) => n.id).join(', ')} alive): run phalanet cluster down --dir ${flags.dir} first, or choose another --dir`);
  }
  // a cluster whose nodes all died (a crash, a reboot): stop its services and start afresh
  await stopServices(previous.services);
}

async function checkPorts(flags: ClusterUpFlags): Promise<void> {
  if (flags.basePort === 0) return;
  for (let i = 0; i < flags.nodes; i++) {
    const port = flags.basePort + i;
    if (!(await portFree(port))) throw new UsageError(`cluster: port 127.0.0.1:${port} (for node-${i + 1}) is in use: choose another --base-port, or 0 for free ports`);
  }
}

/** The flags every node gets besides its id, roles and data. */
function nodeArgs(flags: ClusterUpFlags, state: ClusterState, index: number): string[] {
  const args = ['--store', state.storeUrl, '--http', `127.0.0.1:${flags.basePort === 0 ? 0 : flags.basePort + index}`, '--scenario', flags.scenario, '--seed', String(flags.seed)];
  if (state.kafka !== null) args.push('--kafka', state.kafka);
  if (flags.roles.includes('workers') || flags.roles.includes('gatekeepers')) args.push('--platform-vault', flags.platformVault);
  if (flags.leaseTtlMs !== undefined) args.push('--lease-ttl-ms', String(flags.leaseTtlMs));
  if (flags.followMs !== undefined) args.push('--follow-ms', String(flags.followMs));
  return args;
}

/** Starts the cluster; resolves to its recorded state. On a failure everything started is stopped. */
export async function clusterUp(flags: ClusterUpFlags, log: (line: string) => void): Promise<ClusterState> {
  await claimDirectory(flags);
  await checkPorts(flags);
  mkdirSync(flags.dir, { recursive: true });
  const state: ClusterState = { version: 1, startedAt: new Date().toISOString(), store: '', storeUrl: '', kafka: null, services: { postgres: null, kafka: null }, nodes: [] };
  const save = () => writeClusterState(flags.dir, state);
  save();
  try {
    await startServices(flags, state, save, log);
    for (let i = 0; i < flags.nodes; i++) {
      const id = `node-${i + 1}`;
      log(`cluster: starting ${id} (${flags.roles.join(',')})`);
      state.nodes.push(await launchNode({ id, roles: flags.roles, dir: flags.dir, args: nodeArgs(flags, state, i) }));
      save();
    }
    return state;
  } catch (error) {
    log(`cluster: start failed; stopping what was started (state in ${stateFileOf(flags.dir)})`);
    await stopNodes(state.nodes, 10_000);
    await stopServices(state.services);
    state.nodes.length = 0;
    state.services = { postgres: null, kafka: null };
    save();
    if (error instanceof NodeStartFailed && error.code === 2) throw new UsageError(error.message);
    throw error;
  }
}

async function startServices(flags: ClusterUpFlags, state: ClusterState, save: () => void, log: (line: string) => void): Promise<void> {
  const files = serviceStateFiles(flags.dir);
  // recorded before they start: a failure of one (or a crash of this command) still stops both
  state.services = { postgres: flags.store === undefined ? files.postgres : null, kafka: flags.kafka === undefined ? files.kafka : null };
  save();
  const [pg, kafka] = await Promise.all([flags.store === undefined ? startPostgres(flags.dir) : undefined, flags.kafka === undefined ? startKafka(flags.dir) : undefined]);
  if (pg !== undefined) log(`cluster: PostgreSQL started (${pg.url})`);
  if (kafka !== undefined) log(`cluster: Kafka started (${kafka.brokers})`);
  state.storeUrl = pg?.url ?? flags.store!;
  const decoded = decodeStoreUrl(state.storeUrl);
  state.store = typeof decoded === 'string' ? state.storeUrl : decoded.display;
  state.kafka = kafka?.brokers ?? flags.kafka ?? null;
  save();
}
