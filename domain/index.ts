/**
 * The public surface of the domain. Acceptance tests import this file directly
 * (`import * as d from './domain/index'`, run with tsx).
 */
export * from './ports';
export { createFastEconomics } from './economics/fast/fastEngine';
