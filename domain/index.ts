/**
 * The public surface of the domain. Acceptance tests import this file directly
 * (`import * as d from './domain/index'`, run with tsx).
 */
export * from './ports';
export * from './fixed';
export * from './economics';
export { createFastEconomics } from './economics/fast/fastEngine';
