import type * as E from 'fp-ts/Either';
import { type AttestationQuote, blake2_256, quoteSigningBytes } from '../../domain/crypto';
import type { Random } from '../../domain/ports/random';
import { recordHeldSecret } from '../leakRegistry';
import type { AttestationVendor } from './attestationVendor';
import type { Measurement } from './measurement';
import { type UnsealError, sealWithKey, sealingKey, unsealWithKey } from './sealing';

/**
 * A simulated CPU (ARCHITECTURE.md §5): a hardware secret that never leaves this closure and the
 * vendor that signs its quotes. Sealed data opens only on the same platform under the same
 * measurement (Gramine's MRENCLAVE policy in Phala).
 */
export interface Platform {
  /** public id of the machine (blake2_256 of a tag and the secret; reveals nothing of it) */
  readonly machineId: Uint8Array;
  readonly vendor: AttestationVendor;
  /** Seals `data` for the pRuntime build `m`; the nonce comes from the platform's Random. */
  seal(m: Measurement, data: Uint8Array): Uint8Array;
  /** Opens a sealed blob as the pRuntime build `m`. */
  unseal(m: Measurement, blob: Uint8Array): E.Either<UnsealError, Uint8Array>;
  /** A vendor-signed quote that build `m` runs on this machine with `reportData` (64 bytes). */
  quote(m: Measurement, reportData: Uint8Array, timestampMs: bigint, confidenceLevel: number): AttestationQuote;
}

/**
 * A platform with the given hardware secret (a cluster node reads it from its 0600 file; a
 * simulation draws it from the seeded Random — reproducible, so insecure by design).
 */
export function platformFromHardwareSecret(hardwareSecret: Uint8Array, vendor: AttestationVendor, random: Random): Platform {
  if (hardwareSecret.length !== 32) throw new Error(`hardware secret must be 32 bytes, got ${hardwareSecret.length}`);
  const secret = Uint8Array.from(hardwareSecret);
  const nonces = random.fork('seal-nonces');
  const platform: Platform = {
    machineId: blake2_256(Buffer.concat([new TextEncoder().encode('phalanet/machine-id'), secret])),
    vendor,
    seal: (m, data) => sealWithKey(sealingKey(secret, m), m, nonces.bytes(24), data),
    unseal: (m, blob) => unsealWithKey(sealingKey(secret, m), m, blob),
    quote: (m, reportData, timestampMs, confidenceLevel) => {
      if (reportData.length !== 64) throw new Error(`report data is 64 bytes, got ${reportData.length}`);
      const body = { measurement: m, reportData, timestampMs, confidenceLevel, machineId: platform.machineId };
      return { body, signature: vendor.signQuoteBody(quoteSigningBytes(body)) };
    },
  };
  recordHeldSecret(platform, { kind: 'bytes', label: 'hardware secret', bytes: secret });
  return platform;
}

/** A platform whose hardware secret is drawn from `random`. */
export function createSimulatedPlatform(vendor: AttestationVendor, random: Random): Platform {
  return platformFromHardwareSecret(random.fork('hardware-secret').bytes(32), vendor, random.fork('platform'));
}
