import type { Random } from '../../domain/ports/random';
import { pairFromSeed } from '../keys/sr25519Pair';
import { recordHeldSecret } from '../leakRegistry';
import { signWith } from '../signing';

/**
 * The simulated attestation root (Intel IAS / DCAP in Phala): an sr25519 key whose public half the
 * chain's registry trusts. Many platforms share one vendor. The secret never leaves this closure.
 */
export interface AttestationVendor {
  readonly publicKey: Uint8Array;
  /** Signs a quote body on behalf of one of its platforms (enclave-internal use). */
  signQuoteBody(body: Uint8Array): Uint8Array;
}

/**
 * A vendor whose key comes from `random` (seeded in a simulation — reproducible and therefore
 * insecure by design; OS randomness in a cluster).
 */
export function createAttestationVendor(random: Random): AttestationVendor {
  const pair = pairFromSeed(random.bytes(32));
  const signingRandom = random.fork('quote-signatures');
  const vendor: AttestationVendor = {
    publicKey: pair.publicKey,
    signQuoteBody: (body) => signWith(pair, body, signingRandom),
  };
  recordHeldSecret(vendor, { kind: 'sr25519', label: 'vendor attestation key', pair });
  return vendor;
}
