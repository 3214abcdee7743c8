/**
 * Checks that need the whole scenario: names are unique and refer to something, pools and
 * clusters do not take more workers than their group has, faults name existing gatekeepers.
 */
import type { Scenario } from './scenario.codec';
import { keyPath } from './scenarioError';

/** a cross-section problem: where and what */
export interface ReferenceProblem {
  readonly path: string;
  readonly message: string;
}

type Problems = ReferenceProblem[];

function checkNames(s: Scenario, problems: Problems): Map<string, number> {
  const groups = new Map<string, number>();
  const seen = new Set<string>();
  const lists = [
    ['workerGroups', s.topology.workerGroups],
    ['pools', s.topology.pools ?? []],
    ['clusters', s.topology.clusters ?? []],
  ] as const;
  for (const [section, items] of lists) {
    items.forEach((item, i) => {
      if (seen.has(item.name)) problems.push({ path: keyPath(['topology', section, i, 'name']), message: `duplicate name "${item.name}"; give each group, pool set and cluster its own name` });
      seen.add(item.name);
    });
  }
  for (const g of s.topology.workerGroups) groups.set(g.name, g.count);
  return groups;
}

function checkGroupUse(s: Scenario, groups: Map<string, number>, problems: Problems): void {
  const used = new Map<string, number>();
  const refer = (path: (string | number)[], group: string, take: number, shared: boolean): void => {
    const size = groups.get(group);
    if (size === undefined) {
      problems.push({ path: keyPath(path), message: `no worker group named "${group}" (got ${JSON.stringify(group)}); use one of ${[...groups.keys()].join(', ')}` });
      return;
    }
    const total = (shared ? 0 : (used.get(group) ?? 0)) + take;
    if (!shared) used.set(group, total);
    if (total > size) problems.push({ path: keyPath(path.slice(0, -1)), message: `takes ${total} workers from group "${group}", which has ${size}; raise its count or take fewer` });
  };
  (s.topology.pools ?? []).forEach((p, i) => {
    refer(['topology', 'pools', i, 'workerGroup'], p.workerGroup, p.workersPerPool * (p.count ?? 1), false);
  });
  (s.topology.clusters ?? []).forEach((c, i) => {
    refer(['topology', 'clusters', i, 'workerGroup'], c.workerGroup, c.workers, true);
  });
  (s.faults?.workerCrashes ?? []).forEach((f, i) => {
    refer(['faults', 'workerCrashes', i, 'workerGroup'], f.workerGroup, f.count, true);
  });
  (s.faults?.unresponsiveWorkers ?? []).forEach((f, i) => {
    refer(['faults', 'unresponsiveWorkers', i, 'workerGroup'], f.workerGroup, f.count, true);
  });
}

/** every cross-section problem of a decoded scenario (none: an empty list) */
export function checkReferences(s: Scenario): ReferenceProblem[] {
  const problems: Problems = [];
  const groups = checkNames(s, problems);
  checkGroupUse(s, groups, problems);
  const gatekeepers = s.topology.gatekeepers.count + (s.topology.gatekeepers.joinAtBlocks?.length ?? 0);
  (s.faults?.gatekeeperCrashes ?? []).forEach((f, i) => {
    if (f.gatekeeper >= gatekeepers) {
      problems.push({ path: keyPath(['faults', 'gatekeeperCrashes', i, 'gatekeeper']), message: `must be a gatekeeper index below ${gatekeepers} (got ${f.gatekeeper}); gatekeepers are numbered from 0, joiners after the genesis ones` });
    }
  });
  return problems;
}
