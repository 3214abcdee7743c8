/** The simulation scenario format: decode, check, resolve, and the built-in scenarios. */
export { builtInScenarioPath, type BuiltInScenarioName, listBuiltInScenarios, resolveScenarioRef, type ScenarioRef } from './builtIns';
export { scenarioJsonSchema, scenarioJsonSchemaText } from './jsonSchema';
export { loadScenario } from './loadScenario';
export { ResolvedScenario, type ResolvedScenarioJson } from './resolved.codec';
export { resolveScenario, type RunOptions } from './resolveScenario';
export { Scenario } from './scenario.codec';
export type { ScenarioError } from './scenarioError';
