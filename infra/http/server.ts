/**
 * The HTTP server of `phalanet serve` (fastify): the JSON API under `/api`, the dashboard at `/`,
 * `/metrics`, `/healthz`. JSON bigints are decimal strings (the CLI's `toJson`); every failure is
 * `{ "error": { "code", "message", "parameter" } }`. The server only reads: the follower is what
 * writes, and only the projection store.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { toJson } from '../cli/output';
import { ApiError, apiErrorOf } from './apiErrors';
import { type ApiDeps, registerApiRoutes } from './apiRoutes';
import { type DashboardOptions, registerDashboard } from './dashboard/dashboardRoutes';
import type { LedgerFollower } from './follower';
import { serveMetrics } from './serveMetrics';

/** Builds the server (not listening yet: `listen` or `inject`). */
export function createApiServer(deps: ApiDeps, options: { readonly dashboard?: DashboardOptions; readonly extraMetrics?: Registry } = {}): FastifyInstance {
  const app = Fastify({ logger: false });
  const metrics = serveMetrics(deps.follower);
  // `phalanet node --roles api` adds its own metrics to the same /metrics
  const registry = options.extraMetrics === undefined ? metrics.registry : Registry.merge([metrics.registry, options.extraMetrics]);
  app.setReplySerializer((payload) => toJson(payload));
  app.addHook('onResponse', async (request, reply) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.setErrorHandler(async (error, _request, reply) => {
    // fastify's own client errors (e.g. a malformed URL) keep their 4xx status
    const fastifyStatus = typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number' ? error.statusCode : undefined;
    const e = error instanceof ApiError || fastifyStatus === undefined || fastifyStatus >= 500 ? apiErrorOf(error) : new ApiError(fastifyStatus, 'InvalidParameter', apiErrorOf(error).message);
    return reply.status(e.status).type('application/json').send(e.body());
  });
  app.setNotFoundHandler(async (request, reply) => {
    const e = new ApiError(404, 'UnknownResource', `no route GET ${request.url.split('?')[0]}; see GET /api for the resources`);
    return reply.status(404).send(e.body());
  });
  registerApiRoutes(app, deps);
  registerDashboard(app, options.dashboard);
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  app.get('/healthz', async () => ({ ok: true, ledgerHead: (await deps.follower.ledgerHead()) ?? null }));
  return app;
}

/** A running follow loop. */
export interface Following {
  /** stops after the catch-up in progress, if any */
  stop(): Promise<void>;
}

/**
 * Catches up every `intervalMs`, one catch-up at a time, until stopped; `onError` hears each
 * failure (the loop keeps going: a ledger being written may be briefly unreadable).
 */
export function startFollowing(follower: LedgerFollower, intervalMs: number, onError: (error: unknown) => void): Following {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = follower
      .catchUp()
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}

export type { LedgerFollower };
