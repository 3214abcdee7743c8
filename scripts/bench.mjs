// Runs every benchmark in bench/ (compiled by swc on the fly through @swc-node is avoided:
// benchmarks are TypeScript run with tsx) and prints their figures.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv[2];
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)));
if (files.length === 0) {
  process.stderr.write(only ? `no benchmark matches "${only}" in bench/\n` : 'no benchmarks in bench/ yet\n');
  process.exit(only ? 2 : 0);
}
let status = 0;
for (const f of files) {
  process.stdout.write(`\n== ${f}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', f)], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) status = 1;
}
process.exit(status);
