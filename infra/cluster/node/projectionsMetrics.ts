/**
 * The projections role's Prometheus series: each projection's lag behind the ledger and the
 * blocks this node folded.
 */
import { Gauge, type Registry } from 'prom-client';
import type { ProjectionsRole } from './projectionsRole';

/** Registers the series; each reads `role()` at scrape time (nothing without the role). */
export function registerProjectionsMetrics(registry: Registry, role: () => ProjectionsRole | undefined): void {
  new Gauge({
    name: 'phalanet_node_projection_lag_blocks',
    help: 'blocks a projection trails the ledger by (projections role)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      this.reset();
      const r = role();
      if (r === undefined) return;
      for (const p of await r.status().catch(() => [])) this.set({ projection: p.name }, p.state === 'caught-up' ? 0 : p.lagBlocks);
    },
  });
  new Gauge({
    name: 'phalanet_node_projection_folded_blocks_total',
    help: 'blocks this node folded into the projections since it started (projections role)',
    registers: [registry],
    collect() {
      this.set(role()?.folded() ?? 0);
    },
  });
}
