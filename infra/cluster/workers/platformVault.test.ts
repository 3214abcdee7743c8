import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLeft, isRight } from 'fp-ts/Either';
import { createAttestationVendor } from '../../../enclave/platform/attestationVendor';
import { measurementOf } from '../../../enclave/platform/measurement';
import { seededRandom } from '../../../simulations/seededRandom';
import { openPlatformVault } from './platformVault';

const vendor = createAttestationVendor(seededRandom(1n, 'vendor'));
const m = measurementOf('pruntime', '2.2.0');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'phalanet-vault-'));
  dirs.push(d);
  return join(d, 'vault');
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('platform vault', () => {
  it('gives every node opening the same directory the same platform, and no other directory can unseal', () => {
    const dir = tempDir();
    const sealed = openPlatformVault(dir, vendor, seededRandom(2n, 'a')).platform('worker-a').seal(m, new Uint8Array([1, 2, 3]));
    const again = openPlatformVault(dir, vendor, seededRandom(3n, 'b')).platform('worker-a');
    const opened = again.unseal(m, sealed);
    expect(isRight(opened) && [...opened.right]).toEqual([1, 2, 3]);
    expect(isLeft(openPlatformVault(dir, vendor, seededRandom(3n, 'b')).platform('worker-b').unseal(m, sealed))).toBe(true);
    expect(isLeft(openPlatformVault(tempDir(), vendor, seededRandom(3n, 'b')).platform('worker-a').unseal(m, sealed))).toBe(true);
  });

  it('keeps the secrets in 0600 files in a 0700 directory', () => {
    const dir = tempDir();
    openPlatformVault(dir, vendor, seededRandom(2n, 'a')).platform('worker-a');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'worker-a.secret')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'worker-a.secret')).size).toBe(32);
  });

  it('refuses a machine name that could leave the directory', () => {
    expect(() => openPlatformVault(tempDir(), vendor, seededRandom(2n, 'a')).platform('../x')).toThrow(/is not a machine name/);
  });
});
