/**
 * What starting a placed role (workers, gatekeepers) of `startNode` shares: the scenario's genesis
 * (the machines' identities), the platform vault their sealed state opens with, and a cluster
 * database (fencing rows, outbox) that lives as long as the role.
 */
import { scenarioGenesis, type ScenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import type { ResolvedScenario } from '../../../simulations/scenario';
import { osRandom } from '../../random/osRandom';
import type { StoreUrl } from '../../store';
import { type ClusterDatabase, openClusterDatabase } from '../fencingSchema';
import type { VaultScopes } from '../placementSource';
import { openPlatformVault, type PlatformVault } from '../workers/platformVault';

/** The parts of the node's configuration a placed role reads. */
export interface PlacedRoleConfig {
  readonly nodeId: string;
  readonly store: Extract<StoreUrl, { kind: 'postgres' }>;
  readonly scenario: ResolvedScenario;
  readonly kafka: readonly string[] | undefined;
  readonly kafkaProxy?: string | undefined;
  readonly vaultScope?: VaultScopes | undefined;
  readonly platformVault?: string | undefined;
}

/** What the role's own start gets. */
export interface PlacedRoleDeps {
  readonly genesis: ScenarioGenesis;
  readonly vault: PlatformVault;
  readonly db: ClusterDatabase;
  readonly brokers: readonly string[];
}

/** Opens what `start` needs, runs it, and closes the database when the role stops (or fails to start). */
export async function startPlacedRole<R extends { stop(): Promise<void> }>(role: string, config: PlacedRoleConfig, start: (deps: PlacedRoleDeps) => Promise<R>): Promise<R> {
  if (config.kafka === undefined || config.platformVault === undefined) throw new Error(`the ${role} role needs --kafka and --platform-vault`);
  const genesis = scenarioGenesis(config.scenario);
  const vault = openPlatformVault(config.platformVault, genesis.env.vendor, osRandom());
  const db = await openClusterDatabase({ connectionString: config.store.connectionString, schema: config.store.schema, display: config.store.display });
  try {
    const started = await start({ genesis, vault, db, brokers: config.kafka });
    return {
      ...started,
      async stop() {
        await started.stop();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
