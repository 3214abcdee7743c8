import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The test-only door must stay shut for production code: run the project's dependency-cruiser
// config over a scratch tree where infra/ and actors/ reach for the door and the registry.
const root = join(__dirname, '../..');
let tree: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(tree, path)), { recursive: true });
  writeFileSync(join(tree, path), text);
}

function cruise(target: string) {
  return spawnSync(process.execPath, [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', join(root, '.dependency-cruiser.cjs'), target], {
    cwd: tree,
    encoding: 'utf8',
  });
}

beforeAll(() => {
  tree = mkdtempSync(join(tmpdir(), 'phalanet-door-'));
  write('enclave/leakRegistry.ts', 'export const held = 1;\n');
  write('enclave/testing/secretsForLeakScan.ts', "import { held } from '../leakRegistry';\nexport const door = held;\n");
  write('infra/leaky.ts', "import { door } from '../enclave/testing/secretsForLeakScan';\nexport const x = door;\n");
  write('actors/leaky.ts', "import { held } from '../enclave/leakRegistry';\nexport const y = held;\n");
  write('simulations/leakChecker.ts', "import { door } from '../enclave/testing/secretsForLeakScan';\nexport const z = door;\n");
  write('infra/leaky.test.ts', "import { door } from '../enclave/testing/secretsForLeakScan';\nexport const t = door;\n");
});
afterAll(() => rmSync(tree, { recursive: true, force: true }));

describe('the leak-scan door', () => {
  it('is refused to production code outside simulations/', () => {
    expect(cruise('infra/leaky.ts').stdout).toMatch(/enclave-testing-door/);
    expect(cruise('actors/leaky.ts').stdout).toMatch(/enclave-leak-registry/);
  });

  it('is open to simulation checkers and to tests', () => {
    expect(cruise('simulations/leakChecker.ts').stdout).toMatch(/no dependency violations/);
    expect(cruise('infra/leaky.test.ts').stdout).toMatch(/no dependency violations/);
  });
});
