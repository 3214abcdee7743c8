/**
 * The built-in scenarios in `simulations/scenarios/` and how a `--scenario` argument is read:
 * containing `/` or ending in `.yaml`/`.yml` → a path; anything else → a built-in name.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { join } from 'node:path';
import { suggestKey } from './combinators';

/** names of the built-in scenarios, in the order the CLI lists them */
const builtIns = ['quickstart', 'khala-day', 'gatekeeper-rotation', 'worker-churn', 'byzantine'] as const;

/** A built-in scenario's name */
export type BuiltInScenarioName = (typeof builtIns)[number];

/** the directory holding the built-in YAML files (copied beside the compiled code by the build) */
export const builtInScenarioDir = join(__dirname, '..', 'scenarios');

/** The built-in scenario names */
export function listBuiltInScenarios(): readonly BuiltInScenarioName[] {
  return builtIns;
}

/** The file of a built-in scenario */
export function builtInScenarioPath(name: BuiltInScenarioName): string {
  return join(builtInScenarioDir, `${name}.yaml`);
}

/** What a `--scenario` argument names */
export type ScenarioRef = { readonly kind: 'path'; readonly path: string } | { readonly kind: 'builtIn'; readonly name: BuiltInScenarioName; readonly path: string };

function isBuiltIn(name: string): name is BuiltInScenarioName {
  return (builtIns as readonly string[]).includes(name);
}

/** Read a `--scenario` argument as a path or a built-in name; an unknown name lists the built-ins */
export function resolveScenarioRef(arg: string): Either<string, ScenarioRef> {
  if (arg.includes('/') || /\.ya?ml$/.test(arg)) return right({ kind: 'path', path: arg });
  if (isBuiltIn(arg)) return right({ kind: 'builtIn', name: arg, path: builtInScenarioPath(arg) });
  const hint = suggestKey(arg, builtIns);
  const mean = hint === undefined ? '' : ` (did you mean "${hint}"?)`;
  return left(`unknown scenario "${arg}"${mean}; built-in scenarios: ${builtIns.join(', ')} (or give a path to a .yaml file)`);
}
