/**
 * Wiring of the gatekeepers role for `startNode`: the cluster database (fencing rows, outbox),
 * the scenario's gatekeepers (their identities from the scenario's seed: block 0 names them, a
 * simulation convenience) and the platform vault their sealed master keys open with.
 */
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import type { ResolvedScenario } from '../../../simulations/scenario';
import { osRandom } from '../../random/osRandom';
import type { StoreUrl } from '../../store';
import type { PostgresEventStore } from '../../store/postgresEventStore';
import { openClusterDatabase } from '../fencingSchema';
import type { VaultScopes } from '../placementSource';
import { GATEKEEPERS_PARTITIONS, GATEKEEPERS_TOPIC } from '../gatekeepers/gatekeeperPlacement';
import { type GatekeepersRole, startGatekeepersRole } from '../gatekeepers/gatekeepersRole';
import { openPlatformVault } from '../workers/platformVault';
import type { LocalChain } from './localChain';

/** The parts of the node's configuration the role reads. */
export interface GatekeepersConfig {
  readonly nodeId: string;
  readonly store: Extract<StoreUrl, { kind: 'postgres' }>;
  readonly scenario: ResolvedScenario;
  readonly kafka: readonly string[] | undefined;
  readonly kafkaProxy?: string | undefined;
  readonly vaultScope?: VaultScopes | undefined;
  readonly platformVault?: string | undefined;
}

/** Starts the gatekeepers role of `config` (which has `kafka` and `platformVault`: the flags check). */
export async function startGatekeepers(config: GatekeepersConfig, store: PostgresEventStore, local: LocalChain, log: (line: string) => void): Promise<GatekeepersRole> {
  if (config.kafka === undefined || config.platformVault === undefined) throw new Error('the gatekeepers role needs --kafka and --platform-vault');
  const genesis = scenarioGenesis(config.scenario);
  const vault = openPlatformVault(config.platformVault, genesis.env.vendor, osRandom());
  const db = await openClusterDatabase({ connectionString: config.store.connectionString, schema: config.store.schema, display: config.store.display });
  try {
    const role = await startGatekeepersRole({ nodeId: config.nodeId, brokers: config.kafka, kafkaProxy: config.kafkaProxy, pinned: config.vaultScope, store, db, seats: genesis.gatekeepers, vault, local, log });
    log(`node ${config.nodeId}: gatekeepers role: ${genesis.gatekeepers.length} gatekeepers of scenario ${config.scenario.name} placed on ${GATEKEEPERS_PARTITIONS} partitions of ${GATEKEEPERS_TOPIC}; platform vault ${vault.dir}`);
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
