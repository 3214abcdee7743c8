import type { ContractProgram } from '../contractProgram';
import { type ProgramRegistry, createProgramRegistry } from '../programRegistry';
import { balancesProgram } from './balances';
import { guessNumberProgram } from './guessNumber';
import { secretBallotProgram } from './secretBallot';

/** The programs this pRuntime build ships. */
export const shippedPrograms: readonly ContractProgram[] = [balancesProgram, guessNumberProgram, secretBallotProgram];

/** A registry of {@link shippedPrograms}. */
export function shippedProgramRegistry(): ProgramRegistry {
  return createProgramRegistry(shippedPrograms);
}
