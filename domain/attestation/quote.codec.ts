/**
 * The simulated IAS-like attestation quote. A platform vendor key (the stand-in for Intel's IAS
 * signing certificate) signs the SCALE bytes of a quote body; the registry verifies it with the
 * same check order as Phala's IAS path (`pallets/phala/src/utils/attestation.rs`).
 */
import { bytes, type CodecType, concatBytes, fixedBytes, scale, str, struct, u64, variant, vec } from '../codec/scale';

/** IAS `isvEnclaveQuoteStatus` values. Only the first five are accepted (levels 1, 2, 3, 5). */
export const IAS_QUOTE_STATUSES = [
  'OK',
  'SW_HARDENING_NEEDED',
  'CONFIGURATION_NEEDED',
  'CONFIGURATION_AND_SW_HARDENING_NEEDED',
  'GROUP_OUT_OF_DATE',
  'GROUP_REVOKED',
  'SIGNATURE_INVALID',
  'SIGNATURE_REVOKED',
  'KEY_REVOKED',
  'SIGRL_VERSION_MISMATCH',
] as const;
/** One IAS quote status. */
export type IasQuoteStatus = (typeof IAS_QUOTE_STATUSES)[number];

/**
 * Quote body: `pruntimeHash` = measurement(32) ‖ isvProdId (u16 BE) ‖ isvSvn (u16 BE) ‖ mrSigner(32);
 * `reportData` carries the runtime info hash in its first 32 bytes. `quoteStatus` is free text on
 * the wire (as in IAS JSON), so a signed report with an unknown status is rejected by the checks,
 * not by the decoder.
 */
export const quoteBodyCodec = struct({
  pruntimeHash: fixedBytes(68),
  reportData: fixedBytes(64),
  timestampSecs: u64,
  quoteStatus: str,
  advisoryIds: vec(str),
});
/** The attested facts, before the vendor signature. */
export type QuoteBody = CodecType<typeof quoteBodyCodec>;
/** Strict codec of `QuoteBody`. */
export const QuoteBodyScale = scale('QuoteBody', quoteBodyCodec);

/** `SimulatedIas { report: SCALE(QuoteBody), signature, vendorPubkey }` — the report is kept as bytes: the signature is checked before it is parsed. */
export const attestationReportCodec = variant('AttestationReport', {
  SimulatedIas: struct({ report: bytes(), signature: bytes(), vendorPubkey: fixedBytes(32) }),
});
/** An attestation as submitted with `register_worker_v2`. */
export type AttestationReport = CodecType<typeof attestationReportCodec>;
/** Strict codec of `AttestationReport`. */
export const AttestationReportScale = scale('AttestationReport', attestationReportCodec);

/** What identifies a pRuntime build. */
export interface PRuntimeIdentity {
  /** MRENCLAVE-like measurement, 32 bytes. */
  readonly measurement: Uint8Array;
  readonly isvProdId: number;
  readonly isvSvn: number;
  /** MRSIGNER-like signer hash, 32 bytes. */
  readonly mrSigner: Uint8Array;
}

/** The 68-byte pRuntime hash the allow-list holds (`extend_mrenclave`; u16s big-endian). */
export function pruntimeHashOf(id: PRuntimeIdentity): Uint8Array {
  if (id.measurement.length !== 32 || id.mrSigner.length !== 32) throw new RangeError('measurement and mrSigner are 32 bytes');
  for (const n of [id.isvProdId, id.isvSvn]) {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff) throw new RangeError(`isvProdId/isvSvn must be u16, got ${n}`);
  }
  const ids = new Uint8Array(4);
  const view = new DataView(ids.buffer);
  view.setUint16(0, id.isvProdId, false);
  view.setUint16(2, id.isvSvn, false);
  return concatBytes(id.measurement, ids, id.mrSigner);
}

/** `reportData` with `runtimeInfoHash` in the first 32 bytes and zeros after. */
export function reportDataOf(runtimeInfoHash: Uint8Array): Uint8Array {
  if (runtimeInfoHash.length !== 32) throw new RangeError('runtime info hash is 32 bytes');
  const out = new Uint8Array(64);
  out.set(runtimeInfoHash);
  return out;
}

/**
 * Build a signed report. `sign` is the vendor's signer (it lives in the enclave layer); this
 * function only fixes what is signed: the SCALE bytes of the body.
 */
export function assembleAttestationReport(
  body: QuoteBody,
  vendorPubkey: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
): AttestationReport {
  const report = quoteBodyCodec.enc(body);
  return { tag: 'SimulatedIas', value: { report, signature: sign(report), vendorPubkey: vendorPubkey.slice() } };
}
