/**
 * `phalanet cluster up|status|down|kill|pause|resume` (issue 8 item 5): a local cluster of
 * `phalanet node` processes from a scenario, over a PostgreSQL and a Kafka broker it starts itself
 * unless `--store` / `--kafka` are given, with its state in `--dir` (default `runs/cluster`).
 * `kill NODE` sends SIGKILL, `pause` / `resume` SIGSTOP / SIGCONT, `down` SIGTERMs every node and
 * stops the services. An unknown node, no cluster in the directory, a cluster already running or a
 * busy port: one line, exit 2.
 */
import type { Command } from 'commander';
import { stopNodes } from '../../cluster/local/clusterNodes';
import { stopServices } from '../../cluster/local/clusterServices';
import { type ClusterState, nodeProcessState, readClusterState, stateFileOf } from '../../cluster/local/clusterState';
import { UsageError } from '../errors';
import { type Output, processOutput } from '../output';
import { clusterDir, decodeClusterUpFlags, type RawClusterUpFlags } from './clusterFlags';
import { type ClusterRow, clusterRows, renderTable } from './clusterTable';
import { clusterUp } from './clusterUp';
import { rmSync } from 'node:fs';

interface DirFlags {
  readonly dir?: string;
  readonly json?: boolean;
}

/** The cluster recorded in `--dir`; exit 2 when there is none. */
function running(flags: DirFlags): { dir: string; state: ClusterState } {
  const dir = clusterDir(flags.dir, process.cwd());
  const state = readClusterState(dir);
  if (state === undefined || state.nodes.length === 0) throw new UsageError(`cluster: no cluster in ${dir} (no ${stateFileOf(dir)}): start one with phalanet cluster up --dir ${dir}`);
  return { dir, state };
}

/** Waits (at most `boundMs`) until every node answers ready, so that `up` prints a settled table. */
async function settled(state: ClusterState, boundMs: number): Promise<ClusterRow[]> {
  const deadline = performance.now() + boundMs;
  for (;;) {
    const rows = await clusterRows(state);
    if (rows.every((r) => r.state === 'ready') || performance.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function printStatus(dir: string, state: ClusterState, json: boolean, out: Output, waitMs = 0): Promise<void> {
  const rows = waitMs > 0 ? await settled(state, waitMs) : await clusterRows(state);
  if (json) {
    out.json({ dir, store: state.store, kafka: state.kafka, nodes: rows });
    return;
  }
  out.text(`cluster in ${dir}: ledger ${state.store}, Kafka ${state.kafka ?? 'none'}`);
  for (const line of renderTable(rows)) out.text(line);
}

/** Sends `signal` to one node; an unknown or dead node is the user's mistake (exit 2). */
function signalNode(flags: DirFlags, nodeId: string, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT', out: Output): void {
  const { dir, state } = running(flags);
  const node = state.nodes.find((n) => n.id === nodeId);
  if (node === undefined) throw new UsageError(`cluster: no node "${nodeId}" in ${dir} (nodes: ${state.nodes.map((n) => n.id).join(', ')})`);
  const osState = nodeProcessState(node.pid, node.id);
  if (osState === 'dead') throw new UsageError(`cluster: node ${nodeId} (pid ${node.pid}) is not running`);
  if (signal === 'SIGSTOP' && osState === 'paused') throw new UsageError(`cluster: node ${nodeId} is already paused`);
  if (signal === 'SIGCONT' && osState !== 'paused') throw new UsageError(`cluster: node ${nodeId} is not paused`);
  process.kill(node.pid, signal);
  out.info(`cluster: ${signal} sent to ${nodeId} (pid ${node.pid})`);
}

async function down(flags: DirFlags, out: Output): Promise<void> {
  const { dir, state } = running(flags);
  out.info(`cluster: stopping ${state.nodes.length} nodes (SIGTERM)`);
  const killed = await stopNodes(state.nodes);
  if (killed.length > 0) out.info(`cluster: ${killed.join(', ')} did not stop within 20 s: SIGKILL`);
  await stopServices(state.services);
  rmSync(stateFileOf(dir), { force: true });
  out.info(`cluster: down (${dir})`);
}

/** Registers `cluster` and its subcommands. */
export function registerCluster(program: Command, out: Output = processOutput()): void {
  const cluster = program.command('cluster').description('run a local cluster of phalanet node processes (and the PostgreSQL and Kafka they share)');
  const dirOption = ['--dir <dir>', 'the cluster\'s state directory (default runs/cluster)'] as const;
  cluster
    .command('up')
    .description('start PostgreSQL and Kafka (unless --store / --kafka are given) and the nodes; print the node table')
    .option(...dirOption)
    .option('--nodes <n>', 'how many nodes (default 3)')
    .option('--roles <list>', 'roles of every node: producer, api, workers, gatekeepers, projections, workload (default all of them; with --no-kafka producer,projections,api)')
    .option('--scenario <name|path>', 'the scenario whose genesis the ledger gets (default quickstart)')
    .option('--seed <n>', 'seed of that genesis (default 1)')
    .option('--store <url>', 'an existing ledger postgres://…?schema=NAME instead of a PostgreSQL of its own')
    .option('--kafka <brokers>', 'an existing broker HOST:PORT[,…] instead of one of its own')
    .option('--no-kafka', 'run without a broker (no transaction intake)')
    .option('--base-port <n>', 'node i serves HTTP on 127.0.0.1:(n + i − 1) (default: free ports)')
    .option('--platform-vault <dir>', 'platform secrets shared by the nodes of this host (workers role; default DIR/platform-vault)')
    .option('--lease-ttl-ms <n>', 'producer lease time to live of every node')
    .option('--follow-ms <n>', 'how often a standby follows the chain')
    .option('--json', 'print the node table as JSON')
    .action(async (raw: RawClusterUpFlags) => {
      const flags = decodeClusterUpFlags(raw, process.cwd());
      const state = await clusterUp(flags, (line) => out.info(line));
      out.info(`cluster: ${state.nodes.length} nodes started; waiting up to 60 s for them to be ready`);
      await printStatus(flags.dir, state, flags.json, out, 60_000);
    });
  cluster
    .command('status')
    .description('print the node table: roles, pid, state, producer role, height, health and metrics URLs')
    .option(...dirOption)
    .option('--json', 'print it as JSON')
    .action(async (flags: DirFlags) => {
      const { dir, state } = running(flags);
      await printStatus(dir, state, flags.json === true, out);
    });
  cluster.command('down').description('SIGTERM every node, then stop the services the cluster started').option(...dirOption).action((flags: DirFlags) => down(flags, out));
  const signals = [
    ['kill', 'SIGKILL', 'kill -9 one node'],
    ['pause', 'SIGSTOP', 'freeze one node (SIGSTOP)'],
    ['resume', 'SIGCONT', 'continue a paused node (SIGCONT)'],
  ] as const;
  for (const [name, signal, description] of signals) {
    cluster
      .command(name)
      .description(description)
      .argument('<node>', 'the node id, e.g. node-2')
      .option(...dirOption)
      .action((nodeId: string, flags: DirFlags) => signalNode(flags, nodeId, signal, out));
  }
}
