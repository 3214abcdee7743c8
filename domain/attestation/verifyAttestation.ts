/**
 * Registry-side attestation verification, in Phala's IAS order (DOMAIN.md §14 F26,
 * `validate_ias_report`): vendor signature → parse → quote status → pRuntime allow-list →
 * freshness → report data. Error names are the registry pallet's (`InvalidUserDataHash` is
 * surfaced by the pallet as `InvalidRuntimeInfoHash`).
 */
import { type Either, left, right } from 'fp-ts/Either';
import { toHexPlain } from '../codec/hex';
import { bytesEqual, decodeExact } from '../codec/scale';
import { type AttestationReport, type QuoteBody, quoteBodyCodec } from './quote.codec';

/** Where a worker's attestation came from (`AttestationProvider`). */
export type AttestationProvider = 'Root' | 'Ias' | 'Dcap';

/** Why an attestation was refused. */
export type AttestationError =
  | { readonly type: 'InvalidIASSigningCert'; readonly detail: string }
  | { readonly type: 'InvalidReport'; readonly detail: string }
  | { readonly type: 'InvalidQuoteStatus'; readonly quoteStatus: string }
  | { readonly type: 'PRuntimeRejected'; readonly pruntimeHash: string }
  | { readonly type: 'OutdatedIASReport'; readonly ageSecs: bigint }
  | { readonly type: 'InvalidRuntimeInfoHash' }
  | { readonly type: 'NoneAttestationDisabled' };

/** An accepted attestation. `provider` undefined = the None attestation (Phala's `None`). */
export interface ConfidentialReport {
  readonly provider: AttestationProvider | undefined;
  /** 1–5, or 128 for the None attestation. */
  readonly confidenceLevel: number;
  /** The 68-byte pRuntime hash (empty for None). */
  readonly runtimeHash: Uint8Array;
}

/** Everything the check depends on; no clock, no crypto library of its own. */
export interface VerifyAttestationInput {
  /** `undefined` = no attestation submitted. */
  readonly report: AttestationReport | undefined;
  readonly runtimeInfoHash: Uint8Array;
  readonly nowSecs: bigint | number;
  readonly trustedVendorKeys: readonly Uint8Array[];
  readonly pruntimeAllowList: readonly Uint8Array[];
  /** `VerifyPRuntime` (true in production). */
  readonly verifyPRuntime: boolean;
  /** `NoneAttestationEnabled` (false in production). */
  readonly noneAttestationEnabled?: boolean;
  readonly verifySignature: (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean;
}

/** A report is stale when `now − timestamp ≥ 7200 s`. */
export const IAS_REPORT_MAX_AGE_SECS = 7200n;

/** Advisory ids that do not lower a level-3 quote to level 4 (`SGX_QUOTE_ADVISORY_ID_WHITELIST`). */
export const ADVISORY_ID_WHITELIST: readonly string[] = ['INTEL-SA-00334', 'INTEL-SA-00219', 'INTEL-SA-00381', 'INTEL-SA-00389'];

const LEVEL_BY_STATUS: ReadonlyMap<string, number> = new Map([
  ['OK', 1],
  ['SW_HARDENING_NEEDED', 2],
  ['CONFIGURATION_NEEDED', 3],
  ['CONFIGURATION_AND_SW_HARDENING_NEEDED', 3],
  ['GROUP_OUT_OF_DATE', 5],
]);

/** Confidence level of an IAS quote status, or `undefined` if the status is not accepted. */
export function confidenceLevelOf(quoteStatus: string, advisoryIds: readonly string[]): number | undefined {
  const level = LEVEL_BY_STATUS.get(quoteStatus);
  if (level === 3 && advisoryIds.some((id) => !ADVISORY_ID_WHITELIST.includes(id))) return 4;
  return level;
}

/** Verify a worker's attestation against its runtime info hash. */
export function verifyAttestation(input: VerifyAttestationInput): Either<AttestationError, ConfidentialReport> {
  const { report } = input;
  if (report === undefined) {
    return input.noneAttestationEnabled
      ? right({ provider: undefined, confidenceLevel: 128, runtimeHash: new Uint8Array(0) })
      : left({ type: 'NoneAttestationDisabled' });
  }
  switch (report.tag) {
    case 'SimulatedIas':
      return verifySimulatedIas(report.value, input);
    default: {
      const never: never = report.tag;
      throw new Error(`unknown attestation type ${String(never)}`);
    }
  }
}

function verifySimulatedIas(
  signed: Extract<AttestationReport, { tag: 'SimulatedIas' }>['value'],
  input: VerifyAttestationInput,
): Either<AttestationError, ConfidentialReport> {
  if (!input.trustedVendorKeys.some((k) => bytesEqual(k, signed.vendorPubkey))) {
    return left({ type: 'InvalidIASSigningCert', detail: `vendor key 0x${toHexPlain(signed.vendorPubkey)} is not trusted` });
  }
  if (!input.verifySignature(signed.report, signed.signature, signed.vendorPubkey)) {
    return left({ type: 'InvalidIASSigningCert', detail: 'vendor signature does not verify' });
  }
  let body: QuoteBody;
  try {
    body = decodeExact(quoteBodyCodec, signed.report, 'QuoteBody');
  } catch (e) {
    return left({ type: 'InvalidReport', detail: e instanceof Error ? e.message : String(e) });
  }
  const confidenceLevel = confidenceLevelOf(body.quoteStatus, body.advisoryIds);
  if (confidenceLevel === undefined) return left({ type: 'InvalidQuoteStatus', quoteStatus: body.quoteStatus });
  if (input.verifyPRuntime && !input.pruntimeAllowList.some((h) => bytesEqual(h, body.pruntimeHash))) {
    return left({ type: 'PRuntimeRejected', pruntimeHash: `0x${toHexPlain(body.pruntimeHash)}` });
  }
  const ageSecs = BigInt(input.nowSecs) - body.timestampSecs;
  if (ageSecs >= IAS_REPORT_MAX_AGE_SECS) return left({ type: 'OutdatedIASReport', ageSecs });
  if (!bytesEqual(body.reportData.subarray(0, 32), input.runtimeInfoHash)) return left({ type: 'InvalidRuntimeInfoHash' });
  return right({ provider: 'Ias', confidenceLevel, runtimeHash: body.pruntimeHash });
}
