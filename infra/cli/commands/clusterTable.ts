/**
 * The table `phalanet cluster up` and `cluster status` print: one row per node with its roles,
 * pid, state (dead, paused, ready, not-ready), producer role, height, worker partitions owned, and its health and metrics
 * URLs. `--json` prints the same rows as one object.
 */
import { type NodeHealth, probeNode } from '../../cluster/local/clusterNodes';
import { type ClusterState, nodeProcessState } from '../../cluster/local/clusterState';

/** One row. */
export interface ClusterRow {
  readonly node: string;
  readonly roles: readonly string[];
  readonly pid: number;
  /** dead and paused come from the OS; ready / not-ready from `/readyz` */
  readonly state: 'dead' | 'paused' | 'ready' | 'not-ready';
  /** leader, standby, stopped; null without the producer role or when the node does not answer */
  readonly producer: string | null;
  readonly height: number | null;
  /** partitions of `phalanet.workers` owned (workers role), else null */
  readonly partitions: number | null;
  readonly health: string;
  readonly metrics: string;
  readonly log: string;
  /** why a running node does not answer */
  readonly error: string | null;
}

const unknown: NodeHealth = { ready: false, producer: undefined, height: undefined, partitions: undefined, error: undefined };

/** Looks at every node of `state` (in parallel: a paused node costs one probe timeout, not one each). */
export async function clusterRows(state: ClusterState): Promise<ClusterRow[]> {
  return Promise.all(
    state.nodes.map(async (n) => {
      const osState = nodeProcessState(n.pid, n.id);
      const health = osState === 'running' ? await probeNode(n.url) : unknown;
      return {
        node: n.id,
        roles: n.roles,
        pid: n.pid,
        state: osState === 'running' ? (health.ready ? 'ready' : 'not-ready') : osState,
        producer: health.producer ?? null,
        height: health.height ?? null,
        partitions: health.partitions ?? null,
        health: `${n.url}readyz`,
        metrics: `${n.url}metrics`,
        log: n.log,
        error: health.error ?? null,
      } satisfies ClusterRow;
    }),
  );
}

/** The rows as an aligned text table (header first). */
export function renderTable(rows: readonly ClusterRow[]): string[] {
  const cells = [
    ['NODE', 'ROLES', 'PID', 'STATE', 'PRODUCER', 'HEIGHT', 'PARTITIONS', 'HEALTH', 'METRICS'],
    ...rows.map((r) => [r.node, r.roles.join(','), String(r.pid), r.state, r.producer ?? '-', r.height === null ? '-' : String(r.height), r.partitions === null ? '-' : String(r.partitions), r.health, r.metrics]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}
