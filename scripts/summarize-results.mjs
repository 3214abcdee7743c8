// Prints the one plain totals line `N passed, N failed` over every tier: the jest JSON results
// (unit, int, sim, e2e) plus the static checks (build, typecheck, lint) as one test each.
// A run that produced no results counts as one failure, so it can never look green.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '.ci-results';
let passed = 0;
let failed = 0;
const checks = join(dir, 'checks.txt');
if (existsSync(checks)) {
  for (const line of readFileSync(checks, 'utf8').split('\n')) {
    if (line.startsWith('passed ')) passed++;
    else if (line.startsWith('failed ')) failed++;
  }
}
const jestFile = join(dir, 'jest.json');
if (existsSync(jestFile)) {
  try {
    const r = JSON.parse(readFileSync(jestFile, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    if (r.numTotalTests === 0) failed++;
  } catch {
    failed++;
  }
} else {
  failed++;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
