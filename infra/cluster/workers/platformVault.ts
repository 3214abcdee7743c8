/**
 * The platform vault of `phalanet node --platform-vault DIR` (issue 8 item 4, a documented
 * simulation convenience): the simulated CPUs' hardware secrets, one 0600 file per machine, shared
 * by the nodes of one host so that any of them can unseal a worker's checkpoint after a failover.
 * A secret comes from the OS CSPRNG the first time a machine is needed; the file is created
 * exclusively, so two nodes racing for the same machine end up with the one secret written first.
 * The secret never leaves this file and the platform's closure (the leak scan looks for it).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Random } from '../../../domain/ports/random';
import type { AttestationVendor } from '../../../enclave/platform/attestationVendor';
import { type Platform, platformFromHardwareSecret } from '../../../enclave/platform/platform';

/** A directory of hardware secrets. */
export interface PlatformVault {
  readonly dir: string;
  /** the platform of `machine` (a stable name such as the worker's pubkey), created on first use */
  platform(machine: string): Platform;
}

const SECRET_BYTES = 32;

function readSecret(file: string): Uint8Array {
  const bytes = readFileSync(file);
  if (bytes.length !== SECRET_BYTES) throw new Error(`platform vault: ${file} holds ${bytes.length} bytes, not a ${SECRET_BYTES}-byte hardware secret: remove it only if no sealed state depends on it`);
  return new Uint8Array(bytes);
}

function secretOf(dir: string, machine: string): Uint8Array {
  if (!/^[A-Za-z0-9_.-]{1,128}$/.test(machine)) throw new Error(`platform vault: "${machine}" is not a machine name`);
  const file = join(dir, `${machine}.secret`);
  try {
    writeFileSync(file, randomBytes(SECRET_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (!(typeof error === 'object' && error !== null && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  return readSecret(file);
}

/** Opens (creating) the vault directory, mode 0700. */
export function openPlatformVault(dir: string, vendor: AttestationVendor, random: Random): PlatformVault {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  const platforms = new Map<string, Platform>();
  return {
    dir,
    platform(machine) {
      let p = platforms.get(machine);
      if (p === undefined) {
        p = platformFromHardwareSecret(secretOf(dir, machine), vendor, random.fork(`platform/${machine}`));
        platforms.set(machine, p);
      }
      return p;
    },
  };
}
