/** Scenario text → a decoded, checked `Scenario`, or every problem as one line each. */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import { LineCounter, parseDocument } from 'yaml';
import { checkReferences } from './checkReferences';
import { Scenario } from './scenario.codec';
import { fromValidationErrors, type ScenarioError, scenarioError } from './scenarioError';

function syntaxErrors(text: string, source: string): ScenarioError[] | { readonly value: unknown } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length === 0) return { value: doc.toJS({ maxAliasCount: 1000 }) };
  const lines = new Set<number>();
  const errors: ScenarioError[] = [];
  for (const e of doc.errors) {
    const at = lineCounter.linePos(e.pos[0]);
    // one error per line: the parser often reports a single mistake several ways
    if (lines.has(at.line)) continue;
    lines.add(at.line);
    const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    errors.push(scenarioError(`${source}:${at.line}:${at.col}`, '', `YAML syntax error: ${what}; fix the YAML at line ${at.line}`));
  }
  return errors;
}

/**
 * Parse and decode a scenario file. Nothing runs before this succeeds: an unknown key, a wrong
 * type, an impossible value or a reference to nothing is refused, each as one line naming the key
 * path (`quickstart.yaml: topology.workerGroups[1].count: must be a non-negative integer (got -3)`).
 */
export function loadScenario(text: string, source: string): Either<ScenarioError[], Scenario> {
  const parsed = syntaxErrors(text, source);
  if (Array.isArray(parsed)) return left(parsed);
  const { value } = parsed;
  if (value === null || value === undefined) return left([scenarioError(source, '', 'the file is empty; start from a built-in scenario such as quickstart')]);
  const decoded = Scenario.decode(value);
  if (isLeft(decoded)) return left(fromValidationErrors(source, decoded.left));
  const problems = checkReferences(decoded.right);
  if (problems.length > 0) return left(problems.map((p) => scenarioError(source, p.path, p.message)));
  return right(decoded.right);
}
