/**
 * The flags of `phalanet node`, decoded before anything connects: every bad value is one line
 * naming the flag (exit 2). Roles of issue 8 that are not built yet are refused by name.
 */
import { resolve } from 'node:path';
import { resolveScenario } from '../../../simulations/scenario';
import type { NodeConfig, NodeRole } from '../../cluster/node/startNode';
import type { VaultScopes } from '../../cluster/placementSource';
import { NODE_ROLES } from '../../cluster/node/startNode';
import { decodeStoreUrl } from '../../store';
import { UsageError } from '../errors';
import { readScenario } from './simulate';

/** The raw flags as commander hands them over. */
export interface RawNodeFlags {
  readonly id?: string;
  readonly roles?: string;
  readonly store?: string;
  readonly http?: string;
  readonly data?: string;
  readonly kafka?: string;
  readonly kafkaProxy?: string;
  readonly vaultScope?: string;
  readonly vaultScopes?: string;
  readonly scenario?: string;
  readonly seed?: string;
  readonly leaseTtlMs?: string;
  readonly followMs?: string;
  readonly platformVault?: string;
}

/** The decoded flags: the node's configuration. */
export type NodeFlags = NodeConfig;

const PLANNED_ROLES = new Set(['contracts']);
const hostPort = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

function int(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`node: ${flag} "${text}" is not an integer from ${min} to ${max}`);
  return n;
}

function roles(text: string): NodeRole[] {
  const names = text.split(',').map((r) => r.trim());
  const out: NodeRole[] = [];
  for (const name of names) {
    if (PLANNED_ROLES.has(name)) throw new UsageError(`node: --roles ${name} is not built yet (available: ${NODE_ROLES.join(', ')})`);
    if (!(NODE_ROLES as readonly string[]).includes(name)) throw new UsageError(`node: --roles "${name}" is not a role (available: ${NODE_ROLES.join(', ')})`);
    if (!out.includes(name as NodeRole)) out.push(name as NodeRole);
  }
  return out;
}

function http(text: string): { host: string; port: number } {
  const m = hostPort.exec(text);
  if (m === null) throw new UsageError(`node: --http "${text}" is not HOST:PORT (e.g. 127.0.0.1:9100, port 0 for a free one)`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: int('--http port', m[2]!, 0, 65_535) };
}

function kafka(text: string): string[] {
  const brokers = text.split(',').map((b) => b.trim());
  for (const b of brokers) if (!hostPort.test(b)) throw new UsageError(`node: --kafka "${b}" is not HOST:PORT`);
  return brokers;
}

const scopeName = /^[A-Za-z0-9_.-]{1,32}$/;

/** Pinned mode: `--vault-scope NAME` with `--vault-scopes A,B,…` (the same list on every node). */
function vaultScope(raw: RawNodeFlags, roles: readonly NodeRole[]): VaultScopes | undefined {
  if (raw.vaultScope === undefined && raw.vaultScopes === undefined) return undefined;
  if (raw.vaultScope === undefined || raw.vaultScopes === undefined) {
    throw new UsageError('node: pinned mode needs both --vault-scope NAME (this node\'s) and --vault-scopes A,B,… (every scope, the same list on every node)');
  }
  if (!roles.includes('workers') && !roles.includes('gatekeepers')) throw new UsageError('node: --vault-scope pins machines: it needs the workers or gatekeepers role');
  const all = raw.vaultScopes.split(',').map((x) => x.trim());
  for (const name of all) if (!scopeName.test(name)) throw new UsageError(`node: --vault-scopes: "${name}" is not a scope name (letters, digits, _ . -; at most 32)`);
  if (new Set(all).size !== all.length) throw new UsageError(`node: --vault-scopes "${raw.vaultScopes}" names a scope twice`);
  if (!all.includes(raw.vaultScope)) throw new UsageError(`node: --vault-scope "${raw.vaultScope}" is not one of --vault-scopes (${all.join(', ')})`);
  return { own: raw.vaultScope, all };
}

function kafkaProxy(raw: RawNodeFlags): string | undefined {
  if (raw.kafkaProxy === undefined) return undefined;
  if (raw.kafka === undefined) throw new UsageError('node: --kafka-proxy needs --kafka (the broker the proxy leads to)');
  if (!hostPort.test(raw.kafkaProxy)) throw new UsageError(`node: --kafka-proxy "${raw.kafkaProxy}" is not HOST:PORT`);
  if (raw.kafka.split(',').length > 1) throw new UsageError('node: --kafka-proxy takes one broker in --kafka (a proxy leads to one address)');
  return raw.kafkaProxy;
}

/** Decodes the flags, reading the scenario; throws `UsageError` naming the first bad flag. */
export function decodeNodeFlags(raw: RawNodeFlags, cwd: string): NodeFlags {
  if (raw.id === undefined) throw new UsageError('node: --id ID is required (a stable name of this node, e.g. node-1)');
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(raw.id)) throw new UsageError(`node: --id "${raw.id}" is not a node id (letters, digits, _ . -; at most 64)`);
  if (raw.roles === undefined) throw new UsageError(`node: --roles is required (a comma-separated list of: ${NODE_ROLES.join(', ')})`);
  if (raw.store === undefined) throw new UsageError('node: --store postgres://… is required (the cluster shares one PostgreSQL ledger)');
  const store = decodeStoreUrl(raw.store);
  if (typeof store === 'string') throw new UsageError(`node: ${store}`);
  if (store.kind !== 'postgres') throw new UsageError(`node: --store ${store.display} is not PostgreSQL: the nodes of a cluster share one postgres://…?schema=NAME ledger`);
  if (raw.data === undefined) throw new UsageError('node: --data DIR is required (this node\'s own files)');
  const seed = raw.seed === undefined ? 1 : int('--seed', raw.seed, 0, 999_999_999);
  const input = readScenario(raw.scenario ?? 'quickstart', cwd, 'node');
  const nodeRoles = roles(raw.roles);
  if (nodeRoles.includes('workload') && raw.kafka === undefined) throw new UsageError("node: --roles workload needs --kafka HOST:PORT (the scenario's people submit their transactions to phalanet.extrinsics)");
  for (const role of ['workers', 'gatekeepers'] as const) {
    if (!nodeRoles.includes(role)) continue;
    const what = role === 'workers' ? 'worker' : 'gatekeeper';
    if (raw.kafka === undefined) throw new UsageError(`node: --roles ${role} needs --kafka HOST:PORT (${what} actors are placed on Kafka partitions)`);
    if (raw.platformVault === undefined) {
      const sealed = role === 'workers' ? 'worker checkpoints' : "gatekeepers' master keys";
      throw new UsageError(`node: --roles ${role} needs --platform-vault DIR (the hardware secrets that unseal ${sealed}, shared by the nodes of one host)`);
    }
  }
  return {
    nodeId: raw.id,
    roles: nodeRoles,
    store,
    http: http(raw.http ?? '127.0.0.1:0'),
    dataDir: resolve(cwd, raw.data),
    scenario: resolveScenario(input.scenario, { seed: BigInt(seed) }),
    leaseTtlMs: raw.leaseTtlMs === undefined ? 3000 : int('--lease-ttl-ms', raw.leaseTtlMs, 300, 600_000),
    followMs: raw.followMs === undefined ? 200 : int('--follow-ms', raw.followMs, 10, 60_000),
    kafka: raw.kafka === undefined ? undefined : kafka(raw.kafka),
    kafkaProxy: kafkaProxy(raw),
    vaultScope: vaultScope(raw, nodeRoles),
    platformVault: raw.platformVault === undefined ? undefined : resolve(cwd, raw.platformVault),
  };
}
