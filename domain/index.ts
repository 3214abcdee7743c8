/**
 * The public surface of the domain. Acceptance tests import this file directly
 * (`import * as d from './domain/index'`, run with tsx).
 */
export * from './ports';
export * from './chain/pallets/wrappedBalances.pallet';
export * from './chain/pallets/basePool.pallet';
export * from './chain/pallets/poolStorage';
export * from './chain/pallets/computationApi';
export * from './chain/pallets/stakePoolV2';
export * from './chain/pallets/stakePoolV2.pallet';
export * from './chain/pallets/vault.pallet';
export * from './chain/pallets/stakePoolV2.events';
export * from './chain/pallets/stakePoolV2.workers';
