/** The chain: block record, chain spec, executive and the runtime pallets. */
export * from './block';
export * from './chainSpec';
export * from './executive';
export * from './extrinsic';
export * as balances from './pallets/balances.pallet';
export * as sudo from './pallets/sudo.pallet';
export * as wrappedBalances from './pallets/wrappedBalances.pallet';
export * as basePool from './pallets/basePool.pallet';
export * as poolStorage from './pallets/poolStorage';
export * as computationApi from './pallets/computationApi';
export * as stakePool from './pallets/stakePoolV2.pallet';
export * as stakePoolLogic from './pallets/stakePoolV2';
export * as stakePoolEvents from './pallets/stakePoolV2.events';
export * as stakePoolWorkers from './pallets/stakePoolV2.workers';
export * as vault from './pallets/vault.pallet';
