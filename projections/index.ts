/** Read models folded from the ledger: the projection core, the stores' port and the first read models. */
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
import { accountsProjection } from './accounts.projection';
import { blocksProjection } from './blocks.projection';
import { eventsProjection } from './events.projection';
import type { Projection } from './projection';
import { rewardsProjection } from './rewards.projection';

/** Every read model, in the order the runner applies them. */
export const allProjections: readonly Projection[] = [blocksProjection, eventsProjection, accountsProjection, rewardsProjection];
