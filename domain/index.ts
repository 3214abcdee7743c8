/**
 * The public surface of the domain. Acceptance tests import this file directly
 * (`import * as d from './domain/index'`, run with tsx).
 */
export * from './attestation';
export * as chain from './chain';
export * from './codec';
export * from './crypto';
export * from './economics';
export * from './fixed';
export * from './ids';
export * from './ports';
export * as runtime from './runtime';
export * from './stateRoot';
export * from './chain/pallets/runtimePanic';
export * from './chain/pallets/mq.pallet';
export * from './chain/pallets/registry.pallet';
export * from './chain/pallets/registryGenesis';
export * from './chain/pallets/registryState';
export * from './chain/pallets/computationApi';
export * from './chain/pallets/computation.pallet';
export * from './chain/pallets/computationGenesis';
export * from './chain/pallets/computationSessions';
export * from './chain/pallets/computationState';
