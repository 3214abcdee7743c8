/**
 * The HTTP server of `phalanet node`: the operator's routes always; with the `api` role also the
 * read API and dashboard of `phalanet serve` (same routes) over the shared projection store, whose
 * `/metrics` then carries the node's metrics too. The api role only reads: the `projections`
 * role (this node's or another's) folds the ledger into that store.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { allProjections, type ProjectionStatus, projectionStatus } from '../../../projections';
import { toJson } from '../../cli/output';
import { ledgerFollower } from '../../http/follower';
import { createApiServer } from '../../http/server';
import { openProjectionStore } from '../../projections';
import type { StoreUrl } from '../../store';
import { type NodeRouteDeps, registerNodeRoutes } from './nodeRoutes';

/** A built server and what it must close after itself. */
export interface NodeHttp {
  readonly app: FastifyInstance;
  /** closes the projection store (api role) */
  close(): Promise<void>;
  /** the projections' checkpoints and lag in the store the api reads (api role) */
  readonly projectionStatus?: () => Promise<readonly ProjectionStatus[]>;
}

/** Builds the node's server (not listening yet). */
export async function buildNodeHttp(deps: NodeRouteDeps, metrics: Registry, api: { url: StoreUrl; followMs: number } | undefined): Promise<NodeHttp> {
  if (api === undefined) {
    const app = Fastify({ logger: false });
    app.setReplySerializer((payload) => toJson(payload));
    app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
    registerNodeRoutes(app, deps);
    return { app, close: async () => undefined };
  }
  const store = await openProjectionStore(api.url);
  const { eventCodec } = createPhalaRuntime();
  const follower = ledgerFollower({ ledger: deps.store, store, eventCodec, projections: allProjections, now: Date.now });
  const app = createApiServer({ ledger: deps.store, eventCodec, store, follower }, { dashboard: { pollMs: Math.max(api.followMs, 250) }, extraMetrics: metrics });
  registerNodeRoutes(app, deps);
  return { app, close: () => store.close(), projectionStatus: () => projectionStatus(deps.store, allProjections, store, Date.now()) };
}
