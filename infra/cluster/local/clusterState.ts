/**
 * The state file of a local cluster (`phalanet cluster up --dir DIR` writes `DIR/cluster.json`):
 * which node processes it started (pid, roles, URL, log), the ledger and broker they share, and
 * the service state files of the PostgreSQL and Kafka it started itself. Every later
 * `cluster status|kill|pause|resume|down` reads it; a process is looked at through `/proc`, and a
 * pid is trusted only while its command line still names the node's id (a recycled pid is never
 * signalled).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/Either';
import * as t from 'io-ts';

const NodeEntry = t.type({ id: t.string, roles: t.array(t.string), pid: t.number, url: t.string, data: t.string, log: t.string });

/** The state file's codec (decoded, never cast: a hand-edited file is reported, not trusted). */
export const ClusterStateCodec = t.type({
  version: t.literal(1),
  startedAt: t.string,
  /** the ledger's URL as shown to the user (no password) */
  store: t.string,
  storeUrl: t.string,
  /** Kafka brokers, or null when the cluster runs without a broker */
  kafka: t.union([t.string, t.null]),
  /** state files of the services this cluster started itself (scripts/postgres.cjs, scripts/kafka.cjs) */
  services: t.type({ postgres: t.union([t.string, t.null]), kafka: t.union([t.string, t.null]) }),
  nodes: t.array(NodeEntry),
});
/** What `cluster.json` holds. */
export type ClusterState = t.TypeOf<typeof ClusterStateCodec>;
/** One node of it. */
export type ClusterNodeEntry = t.TypeOf<typeof NodeEntry>;

/** Where the state file of `dir` lives. */
export const stateFileOf = (dir: string): string => join(dir, 'cluster.json');

/** The cluster recorded in `dir`, or undefined when none is; throws on a corrupt file. */
export function readClusterState(dir: string): ClusterState | undefined {
  const file = stateFileOf(dir);
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cluster: ${file} is not JSON (${error instanceof Error ? error.message : String(error)}): remove it after stopping any node it names`);
  }
  const decoded = ClusterStateCodec.decode(json);
  if (isLeft(decoded)) throw new Error(`cluster: ${file} is not a cluster state file: remove it after stopping any node it names`);
  return decoded.right;
}

/** Writes the state atomically (a reader never sees half a file). */
export function writeClusterState(dir: string, state: ClusterState): void {
  const file = stateFileOf(dir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** A node process as the OS sees it. */
export type ProcessState = 'running' | 'paused' | 'dead';

/**
 * The state of `pid` if it is still the node `nodeId` (its command line holds `--id nodeId`);
 * `dead` when it is gone, a zombie, or another program now has the pid.
 */
export function nodeProcessState(pid: number, nodeId: string): ProcessState {
  let stat: string;
  let cmdline: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return 'dead';
  }
  if (!cmdline.split('\0').join(' ').includes(` --id ${nodeId} `)) return 'dead';
  // the state letter follows the command name in parentheses (which may itself hold spaces)
  const letter = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  if (letter === 'Z' || letter === 'X' || letter === 'x') return 'dead';
  return letter === 'T' || letter === 't' ? 'paused' : 'running';
}
