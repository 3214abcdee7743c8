/**
 * Read models folded from the ledger: the projection core, the stores' port and the read models
 * (blocks, events, accounts, rewards, workers, finance, gatekeepers, pools, clusters, contracts),
 * each with its row codec and query functions — the API `query` and `serve` answer from.
 */
export * from './store';
export * from './projection';
export * from './decodedBlock';
export * from './runner';
export * from './timeTravel';
export * from './memoryStore';
export * from './rows';
export * from './blocks.projection';
export * from './events.projection';
export * from './accounts.projection';
export * from './rewards.projection';
export * from './workers.projection';
export * from './finance.projection';
export * from './gatekeepers.projection';
export * from './pools.projection';
export * from './clusters.projection';
export * from './contracts.projection';
import { accountsProjection } from './accounts.projection';
import { blocksProjection } from './blocks.projection';
import { eventsProjection } from './events.projection';
import type { Projection } from './projection';
import { rewardsProjection } from './rewards.projection';
import { workersProjection } from './workers.projection';
import { financeProjection } from './finance.projection';
import { gatekeepersProjection } from './gatekeepers.projection';
import { poolsProjection } from './pools.projection';
import { clustersProjection } from './clusters.projection';
import { contractsProjection } from './contracts.projection';

/** Every read model, in the order the runner applies them. */
export const allProjections: readonly Projection[] = [
  blocksProjection,
  eventsProjection,
  accountsProjection,
  rewardsProjection,
  workersProjection,
  financeProjection,
  gatekeepersProjection,
  poolsProjection,
  clustersProjection,
  contractsProjection,
];
