/**
 * The layer table of ARCHITECTURE.md §2 is enforced by dependency-cruiser in `npm run lint`.
 * Here the same config runs on a fixture tree in which domain/ imports infra/.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
const fixture = join(__dirname, 'fixtures', 'layering');
const depcruise = (target: string) =>
  spawnSync(process.execPath, [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), '--config', join(root, '.dependency-cruiser.cjs'), target], {
    cwd: fixture,
    encoding: 'utf8',
  });

describe('layer rules', () => {
  it('a domain/ file importing infra/ fails the lint', () => {
    const r = depcruise('domain/bad.ts');
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/domain-layer/);
  });
  it('a domain/ file importing nothing of ours passes', () => {
    const r = depcruise('domain/good.ts');
    expect(r.stdout + r.stderr).toMatch(/no dependency violations/);
    expect(r.status).toBe(0);
  });
});
