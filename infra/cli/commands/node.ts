/**
 * `phalanet node --id ID --roles producer,api --store postgres://… --http HOST:PORT --data DIR`
 * (issue 8 item 5, the producer and api roles): one process of the actor cluster. The first line
 * of stdout is its HTTP URL (`/livez`, `/readyz`, `/status`, `/metrics`); diagnostics go to
 * stderr. SIGINT or SIGTERM: stop producing, release the producer lease, leave, exit 0. A bad
 * flag, an unreachable store, a busy port or an id a live node holds: exit 2 before it serves.
 */
import type { Command } from 'commander';
import { startNode } from '../../cluster/node/startNode';
import { ProblemError } from '../errors';
import { type Output, processOutput } from '../output';
import { decodeNodeFlags, type RawNodeFlags } from './nodeFlags';
import { shutdownSignal } from './serve';

/** Runs a node until a signal (resolves) or until it must stop on its own (throws: exit 1). */
export async function runNode(raw: RawNodeFlags, out: Output): Promise<void> {
  const flags = decodeNodeFlags(raw, process.cwd());
  const usesKafka = flags.roles.some((r) => r === 'producer' || r === 'workers' || r === 'gatekeepers' || r === 'workload');
  if (flags.kafka !== undefined && !usesKafka) out.info(`node ${flags.nodeId}: --kafka is used only by the producer, workers, gatekeepers and workload roles; ignored`);
  const node = await startNode(flags, (line) => out.info(line));
  out.text(node.url);
  out.info(`node ${flags.nodeId}: roles ${flags.roles.join(',')}, ledger ${flags.store.display}, serving ${node.url} (livez, readyz, status, metrics)`);
  const outcome = await Promise.race([shutdownSignal().then((signal) => ({ signal })), node.failed.then((reason) => ({ reason }))]);
  if ('signal' in outcome) out.info(`node ${flags.nodeId}: ${outcome.signal}: stopping`);
  await node.close();
  if ('reason' in outcome) throw new ProblemError(outcome.reason);
  out.info(`node ${flags.nodeId}: stopped`);
}

/** Registers `node`. */
export function registerNodeCommand(program: Command, out: Output = processOutput()): void {
  program
    .command('node')
    .description('run one node of the actor cluster over a shared PostgreSQL ledger: the producer role follows the chain and produces blocks while it holds the producer lease; the workers role hosts worker pRuntimes on the Kafka partitions it owns; the api role serves the read API')
    .option('--id <id>', 'this node\'s stable id (a second process with the id of a live node is refused)')
    .option('--roles <list>', 'comma-separated roles: producer, api, workers, gatekeepers, projections, workload')
    .option('--store <url>', 'the shared ledger: postgres://user@host:port/db?schema=NAME')
    .option('--http <host:port>', 'where /livez, /readyz, /status, /metrics listen (default 127.0.0.1:0, a free port)')
    .option('--data <dir>', 'this node\'s own directory (created if missing)')
    .option('--kafka <brokers>', 'Kafka brokers HOST:PORT[,…]: the producer role takes signed extrinsics from topic phalanet.extrinsics')
    .option('--kafka-proxy <host:port>', 'dial every broker connection through this TCP proxy instead of the broker\'s advertised address (one broker; e.g. a tunnel)')
    .option('--vault-scope <name>', "pinned mode: this node's vault scope; its workers and gatekeepers run only on nodes of their scope (with --vault-scopes)")
    .option('--vault-scopes <list>', 'pinned mode: every vault scope, the same list on every node; partition p belongs to scope p mod count')
    .option('--platform-vault <dir>', 'workers role: the hardware secrets (one 0600 file per machine) that seal worker state, shared by the nodes of one host (a simulation convenience)')
    .option('--scenario <name|path>', 'the genesis an empty ledger gets, and the runtime constants (default quickstart)')
    .option('--seed <n>', 'seed of that genesis (default 1)')
    .option('--lease-ttl-ms <n>', 'producer lease and node heartbeat time to live, in ms (default 3000)')
    .option('--follow-ms <n>', 'how often a standby follows the chain and tries the lease, in ms (default 200)')
    .action(async (options: RawNodeFlags) => runNode(options, out));
}
