/**
 * `GET /metrics` of `phalanet serve`, in Prometheus text format (prom-client): the ledger head,
 * each projection's checkpoint and lag, and requests by route and status. A registry per server,
 * not prom-client's global one, so that several servers (tests) never share counters.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { LedgerFollower } from './follower';

/** A server's metrics. */
export interface ServeMetrics {
  readonly registry: Registry;
  /** counts one answered request */
  request(route: string, status: number): void;
}

/** Metrics reading the follower's status at each scrape. */
export function serveMetrics(follower: LedgerFollower): ServeMetrics {
  const registry = new Registry();
  const requests = new Counter({ name: 'phalanet_serve_http_requests_total', help: 'HTTP requests answered, by route and status', labelNames: ['route', 'status'], registers: [registry] });
  new Gauge({
    name: 'phalanet_serve_ledger_head_block',
    help: 'the ledger chain head block number (-1: no block yet)',
    registers: [registry],
    async collect() {
      this.set((await follower.ledgerHead()) ?? -1);
    },
  });
  const checkpoint = new Gauge({ name: 'phalanet_serve_projection_checkpoint_block', help: 'last block folded into each projection (-1: none)', labelNames: ['projection'], registers: [registry] });
  new Gauge({
    name: 'phalanet_serve_projection_lag_blocks',
    help: 'blocks each projection is behind the ledger head',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      await follower.read(async (status) => {
        for (const s of status) {
          this.set({ projection: s.name }, s.state === 'caught-up' ? 0 : s.lagBlocks);
          checkpoint.set({ projection: s.name }, s.checkpoint ?? -1);
        }
      });
    },
  });
  return { registry, request: (route, status) => requests.inc({ route, status: String(status) }) };
}
