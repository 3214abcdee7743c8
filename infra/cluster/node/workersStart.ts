/**
 * Wiring of the workers role for `startNode`: every worker of the scenario (their keys come from
 * the scenario's seed: block 0 and the workload role name them, a simulation convenience; their
 * platforms' secrets come from the vault, so their sealed state opens only where the vault is).
 * Workers registered later sync from genesis like the others until the workload role's operators
 * register them; a gatekeeper's worker half runs in its whole pRuntime, hosted by the gatekeepers
 * role.
 */
import type { PostgresEventStore } from '../../store/postgresEventStore';
import { WORKERS_PARTITIONS } from '../workers/workerPlacement';
import { startWorkersRole, type WorkersRole } from '../workers/workersRole';
import type { LocalChain } from './localChain';
import { type PlacedRoleConfig, startPlacedRole } from './placedRoleStart';

/** Starts the workers role of `config` (which has `kafka` and `platformVault`: the flags check). */
export function startWorkers(config: PlacedRoleConfig, store: PostgresEventStore, local: LocalChain, log: (line: string) => void): Promise<WorkersRole> {
  return startPlacedRole('workers', config, async ({ genesis, vault, db, brokers }) => {
    const hosts = genesis.workers;
    const role = await startWorkersRole({ nodeId: config.nodeId, brokers, kafkaProxy: config.kafkaProxy, pinned: config.vaultScope, store, db, hosts, measurement: genesis.env.measurement, vault, local, log });
    log(`node ${config.nodeId}: workers role: ${hosts.length} workers of scenario ${config.scenario.name} placed on ${WORKERS_PARTITIONS} partitions; platform vault ${vault.dir}`);
    return role;
  });
}
