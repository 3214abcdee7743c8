/**
 * The operator's routes of `phalanet node`: `/livez` (the process answers), `/readyz` (JSON
 * checks: the store answers, the chain is caught up, the lease state is known; 503 when one
 * fails), `/status` (lease holder and epoch, head, lag) and `/metrics` (`nodeMetrics`).
 */
import type { FastifyInstance } from 'fastify';
import { blockHashHex } from '../../../domain/chain/block';
import { CHAIN_STREAM } from '../../../domain/chain/ledger';
import type { EventStore } from '../../../domain/ports/eventStore';
import type { LeaseView, ProducerLease } from '../lease';
import type { LocalChain } from './localChain';
import type { WorkersRole } from '../workers/workersRole';
import type { GatekeepersRole } from '../gatekeepers/gatekeepersRole';
import type { ProjectionStatus } from '../../../projections';
import type { ProjectionsRole } from './projectionsRole';
import type { VaultScopes } from '../placementSource';
import type { WorkloadRole } from '../workload/workloadRole';
import type { ProducerRole } from './producerRole';

/** What the routes read. */
export interface NodeRouteDeps {
  readonly nodeId: string;
  readonly instance: string;
  readonly roles: readonly string[];
  readonly store: EventStore;
  readonly lease: ProducerLease;
  readonly local: LocalChain;
  /** the producer role once started; undefined without that role */
  readonly producer: () => ProducerRole | undefined;
  /** the workers role once started; undefined without that role (or while it starts) */
  readonly workers: () => WorkersRole | undefined;
  /** whether this node has the workers role at all */
  readonly hasWorkersRole: boolean;
  /** the gatekeepers role once started; undefined without that role (or while it starts) */
  readonly gatekeepers: () => GatekeepersRole | undefined;
  readonly hasGatekeepersRole: boolean;
  /** the projections role once started; undefined without it */
  readonly projections: () => ProjectionsRole | undefined;
  readonly hasProjectionsRole: boolean;
  /** the api role: it serves what the projections role folds, so its readiness depends on their lag */
  readonly servesApi: boolean;
  /** pinned mode: this node's vault scope and every scope */
  readonly vaultScope?: VaultScopes | undefined;
  /** the workload role once started; undefined without it */
  readonly workload: () => WorkloadRole | undefined;
  /** the projections' checkpoints and lag (nodes with the api or projections role) */
  readonly projectionStatus: () => Promise<readonly ProjectionStatus[]> | undefined;
  /** blocks a standby may trail the ledger by and still be ready (it polls) */
  readonly readyLagBlocks: number;
}

interface Check {
  readonly ok: boolean;
  readonly detail: string;
}

/** Blocks the read models may trail the ledger by and still be ready (folds run every follow interval). */
const PROJECTION_READY_LAG = 3;

const failed = (error: unknown): Check => ({ ok: false, detail: error instanceof Error ? error.message : String(error) });

async function ledgerHeight(store: EventStore): Promise<number> {
  return (await store.streamVersion(CHAIN_STREAM)) ?? -1;
}

/** The readiness checks, each with a one-line detail. */
export async function readiness(deps: NodeRouteDeps): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const checks: Record<string, Check> = {};
  let height: number | undefined;
  try {
    height = await ledgerHeight(deps.store);
    checks.store = { ok: true, detail: `${deps.store.url} answers; ledger at block ${height}` };
  } catch (error) {
    checks.store = failed(error);
  }
  const lag = height === undefined ? undefined : height - deps.local.height;
  checks.chain =
    lag === undefined
      ? { ok: false, detail: 'ledger height unknown' }
      : { ok: height! >= 0 && lag <= deps.readyLagBlocks, detail: height! < 0 ? 'no genesis yet' : `local block ${deps.local.height}, ${lag} behind the ledger` };
  try {
    const view = await deps.lease.read();
    const role = deps.producer()?.status();
    const error = role?.lastError;
    checks.lease = { ok: error === undefined, detail: `${describeLease(view)}; this node: ${role?.role ?? 'no producer role'}${error === undefined ? '' : ` (last step failed: ${error})`}` };
  } catch (error) {
    checks.lease = failed(error);
  }
  if (deps.hasWorkersRole) {
    const workers = deps.workers()?.status();
    checks.partitions =
      workers === undefined
        ? { ok: false, detail: 'workers role starting (joining the group, restoring partitions)' }
        : { ok: true, detail: `${workers.partitions.length} partitions of ${workers.topic} owned and restored (${workers.partitions.reduce((n, p) => n + p.workers, 0)} workers unsealed)` };
  }
  if (deps.hasGatekeepersRole) {
    const gks = deps.gatekeepers()?.status();
    checks.gatekeepers =
      gks === undefined
        ? { ok: false, detail: 'gatekeepers role starting (joining the group, replaying the ledger from genesis)' }
        : { ok: true, detail: `${gks.partitions.length} partitions of ${gks.topic} owned and restored (${gks.gatekeepers.map((g) => `${g.name} ${g.state}`).join(', ') || 'no gatekeeper on them'})` };
  }
  const workload = deps.workload()?.status();
  if (workload !== undefined) {
    checks.workload = { ok: workload.lastError === null, detail: `${workload.role}${workload.actedAtBlock === null ? '' : `, acted after block ${workload.actedAtBlock}`}, ${workload.submitted} extrinsics submitted${workload.lastError === null ? '' : ` (last step failed: ${workload.lastError})`}` };
  }
  if (deps.servesApi || deps.hasProjectionsRole) {
    try {
      const list = await deps.projectionStatus();
      const error = deps.projections()?.lastError();
      const worst = Math.max(0, ...(list ?? []).map((p) => (p.state === 'caught-up' ? 0 : p.lagBlocks)));
      const folder = deps.hasProjectionsRole ? 'folded by this node' : 'folded by a projections node';
      checks.projections =
        list === undefined
          ? { ok: false, detail: 'projection store not open yet' }
          : { ok: worst <= PROJECTION_READY_LAG && error === undefined, detail: `${list.length} projections ${folder}, at most ${worst} blocks behind the ledger${error === undefined ? '' : ` (last fold failed: ${error})`}` };
    } catch (error) {
      checks.projections = failed(error);
    }
  }
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

function describeLease(view: LeaseView | undefined): string {
  if (view === undefined) return 'producer lease never taken';
  if (view.holder === undefined || view.remainingMs <= 0) return `producer lease free (last epoch ${view.epoch})`;
  return `producer lease held by ${view.holder}, epoch ${view.epoch}, ${Math.round(view.remainingMs)} ms left`;
}

/** `/status`: who produces, where the chain is, how far behind this node is. */
export async function nodeStatus(deps: NodeRouteDeps) {
  const [view, height] = await Promise.all([deps.lease.read(), ledgerHeight(deps.store)]);
  const head = deps.local.chain?.head;
  const role = deps.producer()?.status();
  return {
    node: deps.nodeId,
    instance: deps.instance,
    roles: deps.roles,
    producer: role === undefined ? null : { role: role.role, epoch: role.epoch ?? null, lastError: role.lastError ?? null },
    lease:
      view === undefined
        ? null
        : { holder: view.holder ?? null, epoch: view.epoch, live: view.holder !== undefined && view.remainingMs > 0, remainingMs: Math.max(0, Math.round(view.remainingMs)) },
    head: head === undefined ? null : { number: head.number, hash: blockHashHex(head), timestampMs: head.timestamp },
    ledgerHeight: height,
    lagBlocks: Math.max(0, height - deps.local.height),
    vaultScope: deps.vaultScope ?? null,
    workers: deps.workers()?.status() ?? null,
    gatekeepers: deps.gatekeepers()?.status() ?? null,
    projections: deps.servesApi || deps.hasProjectionsRole ? await projectionsView(deps) : null,
    workload: deps.workload()?.status() ?? null,
  };
}

async function projectionsView(deps: NodeRouteDeps) {
  const list = await deps.projectionStatus()?.catch(() => undefined);
  const role = deps.projections();
  return {
    folding: role !== undefined,
    foldedBlocks: role?.folded() ?? null,
    lastError: role?.lastError() ?? null,
    list: (list ?? []).map((p) => ({ name: p.name, version: p.version, checkpoint: p.checkpoint ?? null, state: p.state, lagBlocks: p.state === 'caught-up' ? 0 : p.lagBlocks })),
  };
}

/** Adds `/livez`, `/readyz`, `/status` to `app`. */
export function registerNodeRoutes(app: FastifyInstance, deps: NodeRouteDeps): void {
  app.get('/livez', async () => ({ ok: true, node: deps.nodeId }));
  app.get('/readyz', async (_request, reply) => {
    const r = await readiness(deps);
    return reply.status(r.ready ? 200 : 503).send(r);
  });
  app.get('/status', async () => nodeStatus(deps));
}
