/**
 * The flags of `phalanet cluster up`, decoded before anything starts: a bad value is one line
 * naming the flag (exit 2). The scenario is read here too, so a typo fails before a server starts.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeStoreUrl } from '../../store';
import { UsageError } from '../errors';
import { readScenario } from './simulate';

/** Roles a cluster node may be given (what `phalanet node` accepts). */
const ROLES = ['producer', 'api', 'workers', 'gatekeepers', 'projections', 'workload'] as const;

/** Every node's roles unless `--roles` says otherwise: the whole network on each node. */
export const DEFAULT_ROLES = 'producer,workers,gatekeepers,workload,projections,api';
/** … and with `--no-kafka`: the roles that need no broker. */
export const DEFAULT_ROLES_WITHOUT_KAFKA = 'producer,projections,api';

/** The raw flags of `cluster up` as commander hands them over. */
export interface RawClusterUpFlags {
  readonly dir?: string;
  readonly nodes?: string;
  readonly roles?: string;
  readonly scenario?: string;
  readonly seed?: string;
  readonly store?: string;
  /** a broker list, or `false` for `--no-kafka` */
  readonly kafka?: string | boolean;
  readonly basePort?: string;
  readonly leaseTtlMs?: string;
  readonly followMs?: string;
  readonly platformVault?: string;
  readonly json?: boolean;
}

/** The decoded flags of `cluster up`. */
export interface ClusterUpFlags {
  readonly dir: string;
  readonly nodes: number;
  readonly roles: readonly string[];
  /** a built-in name or an absolute path (the nodes run in another directory) */
  readonly scenario: string;
  readonly seed: number;
  /** the user's ledger URL, or undefined: start PostgreSQL */
  readonly store: string | undefined;
  /** the user's brokers; undefined: start a broker; null: run without Kafka */
  readonly kafka: string | undefined | null;
  /** node i listens on basePort + i − 1; 0: free ports */
  readonly basePort: number;
  readonly leaseTtlMs: number | undefined;
  readonly followMs: number | undefined;
  readonly platformVault: string;
  readonly json: boolean;
}

function int(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`cluster: ${flag} "${text}" is not an integer from ${min} to ${max}`);
  return n;
}

function roles(text: string): string[] {
  const out: string[] = [];
  for (const name of text.split(',').map((r) => r.trim())) {
    if (!(ROLES as readonly string[]).includes(name)) throw new UsageError(`cluster: --roles "${name}" is not a role a cluster node takes (available: ${ROLES.join(', ')})`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** The cluster's directory (`--dir`, default `runs/cluster`), absolute. */
export const clusterDir = (dir: string | undefined, cwd: string): string => resolve(cwd, dir ?? 'runs/cluster');

/** Decodes `cluster up`'s flags; throws `UsageError` naming the first bad one. */
export function decodeClusterUpFlags(raw: RawClusterUpFlags, cwd: string): ClusterUpFlags {
  const nodes = raw.nodes === undefined ? 3 : int('--nodes', raw.nodes, 1, 32);
  const scenarioArg = raw.scenario ?? 'quickstart';
  readScenario(scenarioArg, cwd, 'cluster');
  const scenario = existsSync(resolve(cwd, scenarioArg)) ? resolve(cwd, scenarioArg) : scenarioArg;
  if (raw.store !== undefined) {
    const store = decodeStoreUrl(raw.store);
    if (typeof store === 'string') throw new UsageError(`cluster: --store: ${store}`);
    if (store.kind !== 'postgres') throw new UsageError(`cluster: --store ${store.display} is not PostgreSQL: the nodes share one postgres://…?schema=NAME ledger`);
  }
  if (typeof raw.kafka === 'string') {
    for (const b of raw.kafka.split(',')) if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b.trim())) throw new UsageError(`cluster: --kafka "${b}" is not HOST:PORT`);
  }
  const needsKafka = (raw.roles ?? '').split(',').map((r) => r.trim()).find((r) => r === 'workers' || r === 'gatekeepers' || r === 'workload');
  if (raw.kafka === false && needsKafka !== undefined) {
    const why = needsKafka === 'workload' ? 'its transactions go to phalanet.extrinsics' : `${needsKafka === 'workers' ? 'worker' : 'gatekeeper'} actors are placed on its partitions`;
    throw new UsageError(`cluster: --roles ${needsKafka} needs Kafka (${why}): drop --no-kafka`);
  }
  const basePort = raw.basePort === undefined ? 0 : int('--base-port', raw.basePort, 0, 65_535);
  if (basePort !== 0 && basePort + nodes - 1 > 65_535) throw new UsageError(`cluster: --base-port ${basePort} leaves no room for ${nodes} nodes (ports up to 65535)`);
  const dir = clusterDir(raw.dir, cwd);
  return {
    dir,
    nodes,
    roles: roles(raw.roles ?? (raw.kafka === false ? DEFAULT_ROLES_WITHOUT_KAFKA : DEFAULT_ROLES)),
    scenario,
    seed: raw.seed === undefined ? 1 : int('--seed', raw.seed, 0, 999_999_999),
    store: raw.store,
    kafka: raw.kafka === false ? null : typeof raw.kafka === 'string' ? raw.kafka : undefined,
    basePort,
    leaseTtlMs: raw.leaseTtlMs === undefined ? undefined : int('--lease-ttl-ms', raw.leaseTtlMs, 300, 600_000),
    followMs: raw.followMs === undefined ? undefined : int('--follow-ms', raw.followMs, 10, 60_000),
    platformVault: resolve(cwd, raw.platformVault ?? resolve(dir, 'platform-vault')),
    json: raw.json === true,
  };
}
