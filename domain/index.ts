/**
 * The public surface of the domain. Acceptance tests import this file directly
 * (`import * as d from './domain/index'`, run with tsx).
 */
export * from './attestation';
export * as chain from './chain';
export * from './codec';
export * from './crypto';
export * from './economics';
export { createFastEconomics } from './economics/fast/fastEngine';
export * from './fixed';
export * from './ids';
export * from './ports';
export * as runtime from './runtime';
export * from './stateRoot';
