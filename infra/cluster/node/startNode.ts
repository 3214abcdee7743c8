/**
 * One `phalanet node` process (issue 8 item 5, the producer and api roles): it registers its id
 * in the node registry (refused while a live node has it), follows the chain, contends for the
 * producer lease when it has the producer role, and serves `/livez`, `/readyz`, `/status`,
 * `/metrics` (and the read API with the api role). `close` is the SIGTERM path: stop producing,
 * release the lease, leave the registry, close the stores.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { StoreUnavailable } from '../../../domain/ports/eventStoreErrors';
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import type { ResolvedScenario } from '../../../simulations/scenario';
import { UsageError } from '../../cli/errors';
import type { StoreUrl } from '../../store';
import { type PostgresEventStore, postgresEventStore } from '../../store/postgresEventStore';
import { producerLease } from '../lease';
import { ensureClusterTables } from '../leaseSchema';
import { EXTRINSICS_TOPIC, startKafkaIntake } from './kafkaIntake';
import { localChain } from './localChain';
import { buildNodeHttp } from './nodeHttp';
import { nodeMetrics } from './nodeMetrics';
import { isRegistration, type Registration, registerNode } from './nodeRegistry';
import { type ProducerRole, startProducerRole } from './producerRole';
import { startBlockTicks } from '../workers/blockTicks';
import type { VaultScopes } from '../placementSource';
import { registerWorkersMetrics } from '../workers/workersMetrics';
import type { WorkersRole } from '../workers/workersRole';
import { startWorkers } from './workersStart';
import type { GatekeepersRole } from '../gatekeepers/gatekeepersRole';
import { registerGatekeepersMetrics } from '../gatekeepers/gatekeepersMetrics';
import { startGatekeepers } from './gatekeepersStart';
import { type ProjectionsRole, startProjectionsRole } from './projectionsRole';
import { registerProjectionsMetrics } from './projectionsMetrics';
import { startWorkloadRole, type WorkloadRole } from '../workload/workloadRole';
import type { ProjectionStatus } from '../../../projections';

/** The roles built so far. */
export const NODE_ROLES = ['producer', 'api', 'workers', 'gatekeepers', 'projections', 'workload'] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** A node's configuration (the decoded flags). */
export interface NodeConfig {
  readonly nodeId: string;
  readonly roles: readonly NodeRole[];
  readonly store: Extract<StoreUrl, { kind: 'postgres' }>;
  readonly http: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  /** the genesis an empty ledger gets, and the runtime's constants */
  readonly scenario: ResolvedScenario;
  readonly leaseTtlMs: number;
  readonly followMs: number;
  /** Kafka brokers for transaction intake (`kafkaIntake.ts`); none: blocks carry no extrinsics */
  readonly kafka: readonly string[] | undefined;
  /** a TCP proxy every broker connection dials instead of the broker's advertised address */
  readonly kafkaProxy?: string | undefined;
  /** pinned mode: this node's vault scope and every scope (its machines' actors run only on nodes of their scope) */
  readonly vaultScope?: VaultScopes | undefined;
  /** the platform vault directory (workers role; required with it) */
  readonly platformVault?: string | undefined;
}

/** A running node. */
export interface RunningNode {
  /** e.g. `http://127.0.0.1:41234/` */
  readonly url: string;
  /** resolves with a reason if the node must stop on its own (its registration was taken over) */
  readonly failed: Promise<string>;
  close(): Promise<void>;
}

async function openStore(config: NodeConfig): Promise<PostgresEventStore> {
  try {
    return await postgresEventStore({ connectionString: config.store.connectionString, schema: config.store.schema, display: config.store.display, connectTimeoutMs: config.store.connectTimeoutMs ?? 5000 });
  } catch (error) {
    if (!(error instanceof StoreUnavailable)) throw error;
    throw new UsageError(`node: cannot open store ${error.message}: check the host, port, database and credentials, and that the server is running`);
  }
}

/** Starts everything; throws `UsageError` (exit 2) for a taken id, a busy port or an unreachable store. */
export async function startNode(config: NodeConfig, log: (line: string) => void): Promise<RunningNode> {
  const { nodeId } = config;
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config);
  const pool = new Pool({ connectionString: config.store.connectionString, max: 3, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined);
  const cleanup: (() => Promise<void>)[] = [() => store.close(), () => pool.end()];
  const unwind = async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    await ensureClusterTables(pool, config.store.schema);
    const registration = await registerNode(pool, config.store.schema, { nodeId, roles: config.roles, http: `${config.http.host}:${config.http.port}`, ttlMs: config.leaseTtlMs });
    if (!isRegistration(registration)) {
      throw new UsageError(
        `node: id ${nodeId} belongs to a live node (instance ${registration.instance}, http ${registration.http}, heartbeat ${Math.round(registration.heartbeatAgoMs)} ms ago): stop it or choose another --id (a dead node's id frees ${registration.ttlMs} ms after its last heartbeat)`,
      );
    }
    cleanup.push(() => registration.leave());
    return await runNode(config, store, pool, registration, cleanup, unwind, log);
  } catch (error) {
    await unwind();
    throw error;
  }
}

async function runNode(
  config: NodeConfig,
  store: PostgresEventStore,
  pool: Pool,
  registration: Registration,
  cleanup: (() => Promise<void>)[],
  unwind: () => Promise<void>,
  log: (line: string) => void,
): Promise<RunningNode> {
  const { nodeId } = config;
  const local = localChain(store, createPhalaRuntime());
  const lease = producerLease({ pool, schema: config.store.schema, nodeId, ttlMs: config.leaseTtlMs });
  const beatMs = Math.max(50, Math.floor(config.leaseTtlMs / 3));
  let ledgerHeight = -1;
  let producer: ProducerRole | undefined;
  const metrics = nodeMetrics({ height: () => local.height, lag: () => Math.max(0, ledgerHeight - local.height), isProducer: () => producer?.status().role === 'leader' });
  let workers: WorkersRole | undefined;
  registerWorkersMetrics(metrics.registry, () => workers);
  let gatekeepers: GatekeepersRole | undefined;
  registerGatekeepersMetrics(metrics.registry, () => gatekeepers);
  let workload: WorkloadRole | undefined;
  let projections: ProjectionsRole | undefined;
  let readProjections: (() => Promise<readonly ProjectionStatus[]>) | undefined;
  registerProjectionsMetrics(metrics.registry, () => projections);
  const txPool: Uint8Array[] = [];
  let announce: ((n: number) => void) | undefined;
  if (config.roles.includes('producer') && config.kafka !== undefined) {
    cleanup.push(await kafkaIntake(config.kafka, config.kafkaProxy, nodeId, txPool, log));
    const ticks = await startBlockTicks(config.kafka, nodeId, log, config.kafkaProxy);
    cleanup.push(() => ticks.stop());
    announce = (n) => ticks.announce(n);
  }
  const timers: NodeJS.Timeout[] = [];
  cleanup.push(async () => timers.forEach(clearInterval));
  timers.push(repeat(config.followMs, async () => (ledgerHeight = (await store.streamVersion('chain')) ?? -1)));
  let fail!: (reason: string) => void;
  const failed = new Promise<string>((resolve) => (fail = resolve));
  timers.push(
    repeat(beatMs, async () => {
      if (!(await registration.heartbeat())) fail(`node ${nodeId}: another process took this node id (this one missed its heartbeats): stopping`);
    }),
  );
  const hasWorkersRole = config.roles.includes('workers');
  const hasGatekeepersRole = config.roles.includes('gatekeepers');
  const deps = {
    nodeId,
    instance: registration.instance,
    roles: config.roles,
    store,
    lease,
    local,
    producer: () => producer,
    workers: () => workers,
    hasWorkersRole,
    gatekeepers: () => gatekeepers,
    hasGatekeepersRole,
    projections: () => projections,
    hasProjectionsRole: config.roles.includes('projections'),
    servesApi: config.roles.includes('api'),
    projectionStatus: () => readProjections?.(),
    workload: () => workload,
    vaultScope: config.vaultScope,
    readyLagBlocks: 1,
  };
  const api = config.roles.includes('api') ? { url: config.store, followMs: config.followMs } : undefined;
  const http = await buildNodeHttp(deps, metrics.registry, api);
  readProjections = http.projectionStatus;
  cleanup.push(() => http.close());
  cleanup.push(() => http.app.close());
  // listen before producing: a node that cannot serve (port in use) exits 2 having written nothing
  const url = await listen(http.app, config);
  await registration.advertise(url);
  if (config.roles.includes('producer')) {
    producer = startProducerRole({ nodeId, store, lease, local, metrics, genesis: () => scenarioGenesis(config.scenario), followMs: config.followMs, renewMs: beatMs, pool: txPool, log, onBlock: announce });
    cleanup.push(() => producer!.stop());
  } else {
    // without the producer role nothing else follows the chain for /status
    timers.push(repeat(config.followMs, () => local.catchUp()));
  }
  if (hasWorkersRole) {
    // joining the group and restoring partitions takes a while: /readyz says so meanwhile
    const role = startWorkers(config, store, local, log);
    cleanup.push(async () => (await role.catch(() => undefined))?.stop());
    role.then(
      (r) => (workers = r),
      (error: unknown) => fail(`node ${nodeId}: workers role could not start: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  if (config.roles.includes('workload') && config.kafka !== undefined) {
    const workloadLease = producerLease({ pool, schema: config.store.schema, nodeId, ttlMs: config.leaseTtlMs, name: 'workload' });
    workload = await startWorkloadRole({ nodeId, scenario: config.scenario, local, ledger: store, brokers: config.kafka, kafkaProxy: config.kafkaProxy, lease: workloadLease, followMs: config.followMs, renewMs: beatMs, log }).catch((error: unknown) => {
      throw new UsageError(`node: the workload role cannot reach Kafka at ${config.kafka!.join(',')}: ${error instanceof Error ? error.message : String(error)}: check --kafka and that the broker runs`);
    });
    cleanup.push(() => workload!.stop());
  }
  if (config.roles.includes('projections')) {
    projections = await startProjectionsRole({ nodeId, ledger: store, url: config.store, followMs: config.followMs, log });
    cleanup.push(() => projections!.stop());
    readProjections = projections.status;
  }
  if (hasGatekeepersRole) {
    // replaying the ledger from genesis takes a while: /readyz says so meanwhile
    const role = startGatekeepers(config, store, local, log);
    cleanup.push(async () => (await role.catch(() => undefined))?.stop());
    role.then(
      (r) => (gatekeepers = r),
      (error: unknown) => fail(`node ${nodeId}: gatekeepers role could not start: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  const infoFile = join(config.dataDir, `node-${nodeId}.json`);
  writeFileSync(infoFile, `${JSON.stringify({ node: nodeId, instance: registration.instance, pid: process.pid, url, roles: config.roles, store: config.store.display })}\n`);
  cleanup.push(async () => rmSync(infoFile, { force: true }));
  return { url, failed, close: unwind };
}

/** Starts the Kafka intake into `txPool`; resolves to its stop. */
async function kafkaIntake(brokers: readonly string[], kafkaProxy: string | undefined, nodeId: string, txPool: Uint8Array[], log: (line: string) => void): Promise<() => Promise<void>> {
  const intake = await startKafkaIntake({ brokers, kafkaProxy, nodeId, pool: txPool }).catch((error: unknown) => {
    throw new UsageError(`node: cannot take transactions from Kafka at ${brokers.join(',')}: ${error instanceof Error ? error.message : String(error)}: check --kafka and that the broker runs`);
  });
  log(`node ${nodeId}: taking transactions from Kafka topic ${EXTRINSICS_TOPIC} at ${brokers.join(',')}`);
  return () => intake.stop();
}

/** Runs `fn` every `ms` (never two at once); a failure waits for the next round. */
function repeat(ms: number, fn: () => Promise<unknown>): NodeJS.Timeout {
  let busy = false;
  return setInterval(() => {
    if (busy) return;
    busy = true;
    fn()
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, ms);
}

async function listen(app: import('fastify').FastifyInstance, config: NodeConfig): Promise<string> {
  const { host, port } = config.http;
  try {
    await app.listen({ host, port });
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'EADDRINUSE') throw new UsageError(`node: --http ${host}:${port} is in use: choose another port (or port 0 for a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') throw new UsageError(`node: cannot listen on ${host}:${port} (${String(code)}): check --http`);
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`node: the server listens on ${String(address)}, not a TCP port`);
  return `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/`;
}
