/**
 * Wiring of the workers role for `startNode`: the cluster database (fencing rows, outbox), the
 * scenario's genesis workers and pRuntime build, the platform vault. The genesis workers' keys come
 * from the scenario's seed (block 0 names them: a simulation convenience); their platforms' secrets
 * come from the vault, so their sealed state opens only where the vault is.
 */
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import { osRandom } from '../../random/osRandom';
import type { PostgresEventStore } from '../../store/postgresEventStore';
import { openClusterDatabase } from '../fencingSchema';
import type { VaultScopes } from '../placementSource';
import { openPlatformVault } from '../workers/platformVault';
import { WORKERS_PARTITIONS } from '../workers/workerPlacement';
import type { WorkerSeat } from '../workers/workerShard';
import { startWorkersRole, type WorkersRole } from '../workers/workersRole';
import type { LocalChain } from './localChain';
import type { ResolvedScenario } from '../../../simulations/scenario';
import type { StoreUrl } from '../../store';

/** The parts of the node's configuration the role reads. */
export interface WorkersConfig {
  readonly nodeId: string;
  readonly store: Extract<StoreUrl, { kind: 'postgres' }>;
  readonly scenario: ResolvedScenario;
  readonly kafka: readonly string[] | undefined;
  readonly kafkaProxy?: string | undefined;
  readonly vaultScope?: VaultScopes | undefined;
  readonly platformVault?: string | undefined;
}

/** Starts the workers role of `config` (which has `kafka` and `platformVault`: the flags check). */
export async function startWorkers(config: WorkersConfig, store: PostgresEventStore, local: LocalChain, log: (line: string) => void): Promise<WorkersRole> {
  if (config.kafka === undefined || config.platformVault === undefined) throw new Error('the workers role needs --kafka and --platform-vault');
  const genesis = scenarioGenesis(config.scenario);
  // every worker of the scenario: those registered later sync from genesis like the others until
  // the workload role's operators register them; a gatekeeper's worker half runs in its whole
  // pRuntime, hosted by the gatekeepers role
  const hosts: readonly WorkerSeat[] = genesis.workers;
  const vault = openPlatformVault(config.platformVault, genesis.env.vendor, osRandom());
  const db = await openClusterDatabase({ connectionString: config.store.connectionString, schema: config.store.schema, display: config.store.display });
  try {
    const role = await startWorkersRole({ nodeId: config.nodeId, brokers: config.kafka, kafkaProxy: config.kafkaProxy, pinned: config.vaultScope, store, db, hosts, measurement: genesis.env.measurement, vault, local, log });
    log(`node ${config.nodeId}: workers role: ${hosts.length} workers of scenario ${config.scenario.name} placed on ${WORKERS_PARTITIONS} partitions; platform vault ${vault.dir}`);
    return {
      ...role,
      async stop() {
        await role.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
