/** The invariant checkers, in summary order (placeholder until the checkers land). */
import type { Checker } from './api';
export const createCheckers = (): Checker[] => [];
