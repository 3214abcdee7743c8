/**
 * Wiring of the gatekeepers role for `startNode`: the scenario's gatekeepers (their identities from
 * the scenario's seed: the chain names them, a simulation convenience) and the platform vault their
 * sealed master keys open with.
 */
import type { PostgresEventStore } from '../../store/postgresEventStore';
import { GATEKEEPERS_PARTITIONS, GATEKEEPERS_TOPIC } from '../gatekeepers/gatekeeperPlacement';
import { type GatekeepersRole, startGatekeepersRole } from '../gatekeepers/gatekeepersRole';
import type { LocalChain } from './localChain';
import { type PlacedRoleConfig, startPlacedRole } from './placedRoleStart';

/** Starts the gatekeepers role of `config` (which has `kafka` and `platformVault`: the flags check). */
export function startGatekeepers(config: PlacedRoleConfig, store: PostgresEventStore, local: LocalChain, log: (line: string) => void): Promise<GatekeepersRole> {
  return startPlacedRole('gatekeepers', config, async ({ genesis, vault, db, brokers }) => {
    const role = await startGatekeepersRole({ nodeId: config.nodeId, brokers, kafkaProxy: config.kafkaProxy, pinned: config.vaultScope, store, db, seats: genesis.gatekeepers, vault, local, log });
    log(`node ${config.nodeId}: gatekeepers role: ${genesis.gatekeepers.length} gatekeepers of scenario ${config.scenario.name} placed on ${GATEKEEPERS_PARTITIONS} partitions of ${GATEKEEPERS_TOPIC}; platform vault ${vault.dir}`);
    return role;
  });
}
