/**
 * The node processes of a local cluster: each `phalanet node` runs detached (it outlives the
 * `cluster up` that started it), writes its output to a log file in the cluster's directory, and
 * is known to be serving once it has written its info file (`node-ID.json` in its data
 * directory, holding its URL) — the node writes that only after it listens.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterNodeEntry } from './clusterState';
import { nodeProcessState } from './clusterState';
import { packageRoot } from './clusterServices';

/** How to start one node. */
export interface NodeLaunch {
  readonly id: string;
  readonly roles: readonly string[];
  /** the cluster's directory: the node's data goes to `nodes/ID`, its log to `nodes/ID.log` */
  readonly dir: string;
  /** `phalanet node` flags after `--id` and `--roles` (store, http, scenario, …) */
  readonly args: readonly string[];
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join(' | ');
  } catch {
    return '(no log)';
  }
}

/**
 * Spawns the node and waits until it serves; rejects with its log's last lines when it exits
 * first or does not serve within `timeoutMs`. The returned entry goes into the state file.
 */
export async function launchNode(launch: NodeLaunch, timeoutMs = 60_000): Promise<ClusterNodeEntry> {
  const data = join(launch.dir, 'nodes', launch.id);
  mkdirSync(data, { recursive: true });
  const log = join(launch.dir, 'nodes', `${launch.id}.log`);
  const fd = openSync(log, 'a');
  const bin = join(packageRoot(), 'bin', 'phalanet.js');
  const args = [bin, 'node', '--id', launch.id, '--roles', launch.roles.join(','), '--data', data, ...launch.args];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.unref();
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cluster: node ${launch.id} did not start: ${tail(log, 3)}`);
  const info = join(data, `node-${launch.id}.json`);
  const started = performance.now();
  for (;;) {
    if (existsSync(info)) {
      const parsed: unknown = JSON.parse(readFileSync(info, 'utf8'));
      const url = typeof parsed === 'object' && parsed !== null && 'url' in parsed && typeof parsed.url === 'string' ? parsed.url : undefined;
      if (url !== undefined) return { id: launch.id, roles: [...launch.roles], pid, url, data, log };
    }
    if (exited !== undefined) throw new NodeStartFailed(launch.id, exited, tail(log, 3));
    if (performance.now() - started > timeoutMs) {
      process.kill(pid, 'SIGKILL');
      throw new NodeStartFailed(launch.id, undefined, `no answer within ${timeoutMs / 1000} s: ${tail(log, 3)}`);
    }
    await pause(50);
  }
}

/** A node that exited (or hung) before serving; `code` 2 means it refused its input. */
export class NodeStartFailed extends Error {
  override readonly name = 'NodeStartFailed';
  constructor(
    readonly nodeId: string,
    readonly code: number | null | undefined,
    detail: string,
  ) {
    super(`cluster: node ${nodeId} did not start${code === undefined ? '' : ` (exit ${code})`}: ${detail}`);
  }
}

/** What a node says about itself, for the status table. */
export interface NodeHealth {
  /** `/readyz` answered 200 */
  readonly ready: boolean;
  /** from `/status`: leader, standby, stopped; undefined without the producer role or no answer */
  readonly producer: string | undefined;
  readonly height: number | undefined;
  /** partitions of `phalanet.workers` it owns (workers role) */
  readonly partitions: number | undefined;
  /** why it did not answer */
  readonly error: string | undefined;
}

/** Asks a running node for `/readyz` and `/status` (each bounded by `timeoutMs`). */
export async function probeNode(url: string, timeoutMs = 2000): Promise<NodeHealth> {
  try {
    const signal = AbortSignal.timeout(timeoutMs);
    const [ready, status] = await Promise.all([fetch(`${url}readyz`, { signal }), fetch(`${url}status`, { signal })]);
    const body: unknown = await status.json();
    const field = (name: string): unknown => (typeof body === 'object' && body !== null && name in body ? (body as Record<string, unknown>)[name] : undefined);
    const producer = field('producer');
    const role = typeof producer === 'object' && producer !== null && 'role' in producer && typeof producer.role === 'string' ? producer.role : undefined;
    const head = field('head');
    const height = typeof head === 'object' && head !== null && 'number' in head && typeof head.number === 'number' ? head.number : undefined;
    const workers = field('workers');
    const owned = typeof workers === 'object' && workers !== null && 'partitions' in workers && Array.isArray(workers.partitions) ? workers.partitions.length : undefined;
    await ready.body?.cancel();
    return { ready: ready.status === 200, producer: role, height, partitions: owned, error: undefined };
  } catch (error) {
    return { ready: false, producer: undefined, height: undefined, partitions: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * SIGTERMs the nodes (a paused one is continued first, or it could not drain), waits up to
 * `graceMs` for each, then SIGKILLs what is left. Resolves to the ids that had to be killed.
 */
export async function stopNodes(nodes: readonly ClusterNodeEntry[], graceMs = 20_000): Promise<string[]> {
  const alive = nodes.filter((n) => nodeProcessState(n.pid, n.id) !== 'dead');
  for (const n of alive) {
    process.kill(n.pid, 'SIGCONT');
    process.kill(n.pid, 'SIGTERM');
  }
  const deadline = performance.now() + graceMs;
  while (alive.some((n) => nodeProcessState(n.pid, n.id) !== 'dead') && performance.now() < deadline) await pause(100);
  const killed = alive.filter((n) => nodeProcessState(n.pid, n.id) !== 'dead');
  for (const n of killed) process.kill(n.pid, 'SIGKILL');
  return killed.map((n) => n.id);
}
