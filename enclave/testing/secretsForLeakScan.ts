import { heldSecretsOf } from '../leakRegistry';
import type { AttestationVendor } from '../platform/attestationVendor';
import type { Platform } from '../platform/platform';
import type { KeyVault } from '../vault/keyVault';

/** One secret in every byte form it could leak in. */
export interface LeakScanSecret {
  readonly label: string;
  /** raw: the seed a key was expanded from, or the raw secret bytes (hardware secret) */
  readonly forms: ReadonlyArray<{ readonly form: 'seed' | 'raw' | 'polkadot-js' | 'canonical'; readonly bytes: Uint8Array }>;
}

/**
 * TEST-ONLY DOOR. Lists every secret an enclave object (vault, platform, vendor) has ever held —
 * including keys it dropped, such as a rotation candidate that lost — in raw/seed, polkadot-js
 * (ed25519) and canonical forms, so a leak scan can search records, bus messages, projection rows
 * and log lines for them. Only `*.test.ts` files and `simulations/` checkers may import this file
 * (dependency-cruiser rule `enclave-testing-door`); production code has no way to read a secret.
 * `from` skips the first secrets (an owner's list only grows: a scanner that read n asks from n).
 */
export function secretsForLeakScan(owner: KeyVault | Platform | AttestationVendor, from = 0): LeakScanSecret[] {
  return heldSecretsOf(owner).slice(from).map((held): LeakScanSecret => {
    switch (held.kind) {
      case 'bytes':
        return { label: held.label, forms: [{ form: 'raw', bytes: held.bytes }] };
      case 'sr25519': {
        const forms: Array<LeakScanSecret['forms'][number]> = [
          { form: 'polkadot-js', bytes: held.pair.secretKey },
          { form: 'canonical', bytes: held.pair.canonicalSecret },
        ];
        if (held.pair.seed !== undefined) forms.unshift({ form: 'seed', bytes: held.pair.seed });
        return { label: held.label, forms };
      }
      default: {
        const unknown: never = held;
        throw new Error(`unknown held secret ${JSON.stringify(unknown)}`);
      }
    }
  });
}
