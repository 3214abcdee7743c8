/**
 * Placeholder for the simulation driver, which the integrator writes against `api.ts` and which
 * replaces this file: until then `phalanet simulate` fails with this one line.
 */
import type { RunSimulation } from './api';

/** Runs a resolved scenario (not merged yet). */
export const runSimulation: RunSimulation = async () => {
  throw new Error('simulation driver not merged yet');
};
