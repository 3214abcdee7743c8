/**
 * Issue 2 item 10: a TypeScript file at the repository root can `import * as d from './domain/index'`
 * and run with tsx, whatever module system the project uses. The file is written at the root for
 * the duration of the test, exactly as an acceptance test would be.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

it('a root-level TypeScript file imports domain/index and runs with tsx', () => {
  const file = join(root, `.acceptance-${randomUUID()}.ts`);
  writeFileSync(
    file,
    `import * as d from './domain/index';
const p = d.defaultTokenomicParameters;
console.log(JSON.stringify({
  budget: d.fixedToDecimal(p.budgetPerBlock),
  one: d.fixedFromDecimal('1').toString(),
  target: d.powTarget(20, 0, 12).toString(),
  hasEngine: typeof d.createEconomics(p).processBlock,
}));
`,
  );
  try {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), file], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ budget: '100', one: (1n << 64n).toString(), target: '0', hasEngine: 'function' });
    expect(r.status).toBe(0);
  } finally {
    rmSync(file, { force: true });
  }
});
