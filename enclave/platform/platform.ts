import type * as E from 'fp-ts/Either';
import { type AttestationReport, assembleAttestationReport, pruntimeHashOf } from '../../domain/attestation/quote.codec';
import { blake2_256 } from '../../domain/crypto';
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
  /**
   * A vendor-signed quote (the chain's `AttestationReport`, `domain/attestation`) that build `m`
   * runs on this machine with `reportData` (64 bytes: the runtime info hash, then zeros).
   */
  quote(m: Measurement, reportData: Uint8Array, options: QuoteOptions): AttestationReport;
}

/** What a quote states besides the measurement and report data. */
export interface QuoteOptions {
  readonly timestampSecs: bigint;
  /** IAS `isvEnclaveQuoteStatus`; decides the confidence level the registry grants */
  readonly quoteStatus?: string;
  readonly advisoryIds?: readonly string[];
  readonly isvProdId?: number;
  readonly isvSvn?: number;
  /** MRSIGNER analogue, 32 bytes (default: zeros) */
  readonly mrSigner?: Uint8Array;
}

/**
 * A platform with the given hardware secret (a cluster node reads it from its 0600 file; a
 * simulation draws it from the seeded Random — reproducible, so insecure by design).
 */
export function platformFromHardwareSecret(hardwareSecret: Uint8Array, vendor: AttestationVendor, random: Random): Platform {
  if (hardwareSecret.length !== 32) throw new Error(`hardware secret must be 32 bytes, got ${hardwareSecret.length}`);
  const secret = Uint8Array.from(hardwareSecret);
  const nonces = random.fork('seal-nonces');
  // One sealing key per measurement, derived once (an HKDF per seal was waste) and recorded for the
  // leak scan like the hardware secret it comes from.
  const sealingKeys = new Map<string, Uint8Array>();
  const keyFor = (m: Measurement): Uint8Array => {
    const id = Buffer.from(m).toString('hex');
    let key = sealingKeys.get(id);
    if (key === undefined) {
      key = sealingKey(secret, m);
      sealingKeys.set(id, key);
      recordHeldSecret(platform, { kind: 'bytes', label: `sealing key for measurement ${id.slice(0, 16)}…`, bytes: key });
    }
    return key;
  };
  const platform: Platform = {
    machineId: blake2_256(Buffer.concat([new TextEncoder().encode('phalanet/machine-id'), secret])),
    vendor,
    seal: (m, data) => sealWithKey(keyFor(m), m, nonces.bytes(24), data),
    unseal: (m, blob) => unsealWithKey(keyFor(m), m, blob),
    quote: (m, reportData, o) => {
      if (reportData.length !== 64) throw new Error(`report data is 64 bytes, got ${reportData.length}`);
      const pruntimeHash = pruntimeHashOf({ measurement: m, isvProdId: o.isvProdId ?? 0, isvSvn: o.isvSvn ?? 0, mrSigner: o.mrSigner ?? new Uint8Array(32) });
      const body = { pruntimeHash, reportData, timestampSecs: o.timestampSecs, quoteStatus: o.quoteStatus ?? 'OK', advisoryIds: [...(o.advisoryIds ?? [])] };
      return assembleAttestationReport(body, vendor.publicKey, (bytes) => vendor.signQuoteBody(bytes));
    },
  };
  recordHeldSecret(platform, { kind: 'bytes', label: 'hardware secret', bytes: secret });
  return platform;
}

/** A platform whose hardware secret is drawn from `random`. */
export function createSimulatedPlatform(vendor: AttestationVendor, random: Random): Platform {
  return platformFromHardwareSecret(random.fork('hardware-secret').bytes(32), vendor, random.fork('platform'));
}
