/**
 * `GET /metrics` of `phalanet node` (prom-client, a registry per node so that tests running
 * several nodes in one process never share counters): chain height, blocks produced, fenced
 * writes refused, lease acquisitions, and whether this node is the producer now.
 */
import { Counter, Gauge, Registry } from 'prom-client';

/** What the node reads at each scrape. */
export interface NodeGauges {
  /** last block applied locally, −1 before genesis */
  height(): number;
  /** blocks the ledger has beyond the local height (a standby's lag) */
  lag(): number;
  isProducer(): boolean;
}

/** A node's counters and its registry. */
export interface NodeMetrics {
  readonly registry: Registry;
  blockProduced(): void;
  fencedWriteRefused(): void;
  leaseAcquired(): void;
}

/** The node's metrics over `gauges`. */
export function nodeMetrics(gauges: NodeGauges): NodeMetrics {
  const registry = new Registry();
  const produced = new Counter({ name: 'phalanet_node_blocks_produced_total', help: 'blocks this node produced and appended to the ledger', registers: [registry] });
  const fenced = new Counter({ name: 'phalanet_node_fenced_writes_refused_total', help: 'appends refused by their fence (this node had lost the producer lease)', registers: [registry] });
  const acquired = new Counter({ name: 'phalanet_node_lease_acquisitions_total', help: 'times this node took the producer lease', registers: [registry] });
  new Gauge({
    name: 'phalanet_node_chain_height',
    help: 'last block applied by this node (-1: before genesis)',
    registers: [registry],
    collect() {
      this.set(gauges.height());
    },
  });
  new Gauge({
    name: 'phalanet_node_chain_lag_blocks',
    help: 'blocks in the ledger this node has not applied yet',
    registers: [registry],
    collect() {
      this.set(gauges.lag());
    },
  });
  new Gauge({
    name: 'phalanet_node_is_producer',
    help: '1 while this node holds the producer lease',
    registers: [registry],
    collect() {
      this.set(gauges.isProducer() ? 1 : 0);
    },
  });
  return { registry, blockProduced: () => produced.inc(), fencedWriteRefused: () => fenced.inc(), leaseAcquired: () => acquired.inc() };
}
