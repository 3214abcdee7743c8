/**
 * The gatekeepers role's Prometheus series on the node's registry: partitions owned, gatekeeper
 * actors by state, their `Gatekeeper`-channel messages waiting for the chain, GK-role restarts,
 * and the partition host's fenced writes.
 */
import { Gauge, type Registry } from 'prom-client';
import type { GatekeepersRole } from './gatekeepersRole';

/** Registers the series; each reads `role()` at scrape time (nothing before the role starts). */
export function registerGatekeepersMetrics(registry: Registry, role: () => GatekeepersRole | undefined): void {
  const gauge = (name: string, help: string, read: (r: GatekeepersRole) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const r = role();
        this.set(r === undefined ? 0 : read(r));
      },
    });
  gauge('phalanet_node_gatekeeper_partitions_owned', 'partitions of phalanet.gatekeepers this node owns (claimed and restored)', (r) => r.status().partitions.length);
  new Gauge({
    name: 'phalanet_node_gatekeeper_actors',
    help: 'gatekeeper actors hosted by this node, by state of their pRuntime (syncing: no GK role yet; silent: dummy mode; active)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [state, n] of Object.entries(role()?.status().actorsByState ?? {})) this.set({ state }, n);
    },
  });
  gauge('phalanet_node_gatekeeper_pending_messages', 'Gatekeeper-channel messages of the hosted gatekeepers not accepted by the chain yet', (r) => r.status().gatekeepers.reduce((n, g) => n + g.pending, 0));
  gauge('phalanet_node_gatekeeper_role_restarts_total', 'GK-role restarts (after receiving the master key) since the partitions were restored', (r) => r.status().gatekeepers.reduce((n, g) => n + g.roleRestarts, 0));
  gauge('phalanet_node_gatekeeper_partition_fenced_total', 'fenced writes: gatekeeper transactions refused because another node had claimed the partition', (r) => r.status().stats.fenced);
}
