/**
 * One problem found in a scenario file, and how it is shown: a single line
 * `source: key.path: what is wrong (got X); what to do`.
 */
import type * as t from 'io-ts';

/** A problem in a scenario file */
export interface ScenarioError {
  /** the file name or label the text came from */
  readonly source: string;
  /** the key path (`topology.workerGroups[1].count`), empty for the whole file */
  readonly path: string;
  /** what is wrong, what was found and what to do */
  readonly message: string;
  /** the one line shown to a user */
  readonly text: string;
}

/** `a.b[2].c` from path segments */
export function keyPath(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** a short rendering of a found value */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  return String(value);
}

/** a ScenarioError with its line */
export function scenarioError(source: string, path: string, message: string): ScenarioError {
  return { source, path, message, text: path === '' ? `${source}: ${message}` : `${source}: ${path}: ${message}` };
}

/** the key path of an io-ts error: array elements as `[i]`, the root entry left out */
function pathOf(context: t.Context): (string | number)[] {
  const segments: (string | number)[] = [];
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!.actual;
    const key = context[i]!.key;
    const numeric = /^\d+$/.test(key);
    // io-ts `intersection` adds an entry per member ("0", "1") on the same object: not a key
    if (numeric && !Array.isArray(parent)) continue;
    segments.push(numeric ? Number(key) : key);
  }
  return segments;
}

/** io-ts errors as ScenarioErrors, one per distinct path and message */
export function fromValidationErrors(source: string, errors: t.Errors): ScenarioError[] {
  const out: ScenarioError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const base = e.message ?? `must be ${e.context[e.context.length - 1]?.type.name ?? 'something else'}`;
    const complete = base.includes('(got') || base.includes(';') || base.startsWith('unknown key') || base.startsWith('is required');
    const message = complete ? base : `${base} (got ${show(e.value)})`;
    const error = scenarioError(source, keyPath(pathOf(e.context)), message);
    if (!seen.has(error.text)) out.push(error);
    seen.add(error.text);
  }
  return out;
}
