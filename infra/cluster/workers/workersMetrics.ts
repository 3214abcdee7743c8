/**
 * The workers role's Prometheus series on the node's registry: partitions owned, worker actors by
 * state, consumer lag per owned partition (admin end offsets against PostgreSQL's applied offset),
 * and the partition host's counters (fenced writes, applied, skipped, claims).
 */
import { Gauge, type Registry } from 'prom-client';
import type { WorkersRole } from './workersRole';

/** Registers the series; each reads `role()` at scrape time (nothing before the role starts). */
export function registerWorkersMetrics(registry: Registry, role: () => WorkersRole | undefined): void {
  new Gauge({
    name: 'phalanet_node_worker_partitions_owned',
    help: 'partitions of phalanet.workers this node owns (claimed and restored)',
    registers: [registry],
    collect() {
      this.set(role()?.status().partitions.length ?? 0);
    },
  });
  new Gauge({
    name: 'phalanet_node_worker_actors',
    help: 'worker actors hosted by this node, by state of their pRuntime',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [state, n] of Object.entries(role()?.status().actorsByState ?? {})) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'phalanet_node_worker_partition_lag_messages',
    help: 'messages of an owned phalanet.workers partition not applied yet (end offset from the admin client minus applied offset + 1)',
    labelNames: ['partition'],
    registers: [registry],
    async collect() {
      this.reset();
      const r = role();
      if (r === undefined) return;
      const lag = await r.lag().catch(() => new Map<number, number>());
      for (const [partition, n] of lag) this.set({ partition: String(partition) }, n);
    },
  });
  const counters = ['fenced', 'applied', 'skipped', 'claims', 'undecodable'] as const;
  const help = {
    fenced: 'fenced writes: processing transactions refused because another node had claimed the partition',
    applied: 'inbox messages applied in a fenced transaction',
    skipped: 'inbox messages skipped as already applied (redeliveries)',
    claims: 'partition claims (each bumps the partition epoch)',
    undecodable: 'inbox messages dead-lettered as undecodable',
  };
  for (const name of counters) {
    new Gauge({
      name: `phalanet_node_worker_partition_${name}_total`,
      help: help[name],
      registers: [registry],
      collect() {
        this.set(role()?.status().stats[name] ?? 0);
      },
    });
  }
}
