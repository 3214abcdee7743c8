// Transpiles every non-test TypeScript source to CommonJS under dist/ with swc.
// Type checking is a separate step (`npm run typecheck`); this keeps `npm ci` fast.
import { transformFileSync } from '@swc/core';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['domain', 'enclave', 'actors', 'projections', 'infra', 'simulations'];
const out = join(root, 'dist');
// tests and test-only doors (any testing/ directory) never reach dist/, except the doors the
// built simulation itself uses: the "no secret leaked" checker (simulations/checks/leakScanner.ts)
// reads the enclave's secrets through this one (dependency-cruiser rule `enclave-testing-door`).
// What the door imports lies outside testing/ and is built anyway.
const shippedDoors = new Set(['enclave/testing/secretsForLeakScan.ts']);
const isTest = (f) =>
  /\.test\.ts$/.test(f) || (/[/\\]testing[/\\]/.test(f) && !shippedDoors.has(relative(root, f).split('\\').join('/')));

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}

rmSync(out, { recursive: true, force: true });
let count = 0;
for (const top of sources) {
  const dir = join(root, top);
  try { statSync(dir); } catch { continue; }
  for (const file of walk(dir)) {
    const rel = relative(root, file);
    const target = join(out, rel);
    if (file.endsWith('.ts') && !file.endsWith('.d.ts') && !isTest(file)) {
      const { code, map } = transformFileSync(file, {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: true,
      });
      mkdirSync(dirname(target), { recursive: true });
      const js = target.replace(/\.ts$/, '.js');
      writeFileSync(js, `${code}\n//# sourceMappingURL=${js.split('/').pop()}.map\n`);
      if (map) writeFileSync(`${js}.map`, map);
      count++;
    } else if (/\.(json|yaml|yml|html|css|sql)$/.test(file) && !isTest(file)) {
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(file, target);
    }
  }
}
process.stderr.write(`build: ${count} files -> dist/\n`);
