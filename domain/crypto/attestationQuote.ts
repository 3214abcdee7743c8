import { Bytes, Struct, u8, u64 } from 'scale-ts';
import { sr25519Verify } from './sr25519Verify';

/**
 * The simulated attestation quote (the stand-in for an IAS report / DCAP quote, DOMAIN.md §4.3,
 * ARCHITECTURE.md §5): the platform's vendor signs (measurement, report data, timestamp,
 * confidence level, machine id). The registry checks the signature against the vendor keys it
 * trusts, then the measurement allow-list, freshness and `reportData[0..32] == runtime_info_hash`.
 */
export const attestationQuoteBodyCodec = Struct({
  /** pRuntime build (MRENCLAVE analogue), 32 bytes */
  measurement: Bytes(32),
  /** 64 bytes like SGX report data; the first 32 are blake2_256(SCALE(runtime info)) */
  reportData: Bytes(64),
  /** when the vendor produced the quote, unix ms */
  timestampMs: u64,
  /** the quote status mapped to Phala's level: 1..5 */
  confidenceLevel: u8,
  /** the simulated CPU that produced it */
  machineId: Bytes(32),
});

/** The signed fields of a quote. */
export type AttestationQuoteBody = ReturnType<(typeof attestationQuoteBodyCodec)['dec']>;

/** A quote: body plus the vendor's sr25519 signature over {@link quoteSigningBytes}. */
export const attestationQuoteCodec = Struct({ body: attestationQuoteBodyCodec, signature: Bytes(64) });

/** A signed quote. */
export type AttestationQuote = ReturnType<(typeof attestationQuoteCodec)['dec']>;

const DOMAIN_TAG = new TextEncoder().encode('phalanet/attestation-quote/v1');

/** What the vendor signs: a domain tag, so no other signed message can pass for a quote, then SCALE(body). */
export function quoteSigningBytes(body: AttestationQuoteBody): Uint8Array {
  const encoded = attestationQuoteBodyCodec.enc(body);
  const out = new Uint8Array(DOMAIN_TAG.length + encoded.length);
  out.set(DOMAIN_TAG, 0);
  out.set(encoded, DOMAIN_TAG.length);
  return out;
}

/** True if one of the trusted vendor keys signed this quote. */
export function verifyQuoteSignature(quote: AttestationQuote, trustedVendorKeys: readonly Uint8Array[]): boolean {
  const bytes = quoteSigningBytes(quote.body);
  return trustedVendorKeys.some((key) => sr25519Verify(bytes, quote.signature, key));
}
