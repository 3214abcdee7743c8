import { cryptoWaitReady, sr25519PairFromSeed, sr25519Sign, sr25519Verify } from '@polkadot/util-crypto';
import { type Either, isLeft } from 'fp-ts/Either';
import { type AttestationReport, assembleAttestationReport, pruntimeHashOf, type QuoteBody, reportDataOf } from './quote.codec';
import { type AttestationError, type ConfidentialReport, confidenceLevelOf, verifyAttestation, type VerifyAttestationInput } from './verifyAttestation';

type Pair = ReturnType<typeof sr25519PairFromSeed>;
let vendor: Pair;
let rogue: Pair;
const NOW = 1_700_000_000n;
const infoHash = new Uint8Array(32).fill(0x11);
const pruntime = pruntimeHashOf({ measurement: new Uint8Array(32).fill(0xaa), isvProdId: 1, isvSvn: 0x0203, mrSigner: new Uint8Array(32).fill(0xbb) });

beforeAll(async () => {
  await cryptoWaitReady();
  vendor = sr25519PairFromSeed(new Uint8Array(32).fill(1));
  rogue = sr25519PairFromSeed(new Uint8Array(32).fill(2));
});

const body = (over: Partial<QuoteBody> = {}): QuoteBody => ({
  pruntimeHash: pruntime,
  reportData: reportDataOf(infoHash),
  timestampSecs: NOW - 60n,
  quoteStatus: 'OK',
  advisoryIds: [],
  ...over,
});
const signedBy = (pair: Pair, b: QuoteBody): AttestationReport => assembleAttestationReport(b, pair.publicKey, (m) => sr25519Sign(m, pair));
const input = (report: AttestationReport | undefined, over: Partial<VerifyAttestationInput> = {}): VerifyAttestationInput => ({
  report,
  runtimeInfoHash: infoHash,
  nowSecs: NOW,
  trustedVendorKeys: [vendor.publicKey],
  pruntimeAllowList: [pruntime],
  verifyPRuntime: true,
  verifySignature: (m, s, p) => sr25519Verify(m, s, p),
  ...over,
});
const errorOf = (r: Either<AttestationError, ConfidentialReport>): string => (isLeft(r) ? r.left.type : 'accepted');
const levelOf = (r: Either<AttestationError, ConfidentialReport>): number => {
  if (isLeft(r)) throw new Error(`rejected: ${r.left.type}`);
  return r.right.confidenceLevel;
};

describe('the simulated IAS quote', () => {
  it('lays out the pRuntime hash as measurement ‖ u16 BE prod id ‖ u16 BE svn ‖ mrSigner', () => {
    expect(pruntime.length).toBe(68);
    expect(Buffer.from(pruntime.subarray(32, 36)).toString('hex')).toBe('00010203');
    expect(() => pruntimeHashOf({ measurement: new Uint8Array(32), isvProdId: 0x10000, isvSvn: 0, mrSigner: new Uint8Array(32) })).toThrow(/u16/);
  });

  it('puts the runtime info hash in the first 32 bytes of the report data', () => {
    const data = reportDataOf(infoHash);
    expect(data.length).toBe(64);
    expect(data.subarray(0, 32)).toEqual(infoHash);
    expect(data.subarray(32)).toEqual(new Uint8Array(32));
  });
});

describe('verifyAttestation', () => {
  it('accepts a good report as provider Ias with its level and pRuntime hash', () => {
    const r = verifyAttestation(input(signedBy(vendor, body())));
    expect(r).toEqual({ _tag: 'Right', right: { provider: 'Ias', confidenceLevel: 1, runtimeHash: pruntime } });
  });

  it.each([
    ['OK', [], 1],
    ['SW_HARDENING_NEEDED', [], 2],
    ['CONFIGURATION_NEEDED', [], 3],
    ['CONFIGURATION_AND_SW_HARDENING_NEEDED', ['INTEL-SA-00334', 'INTEL-SA-00219'], 3],
    ['CONFIGURATION_NEEDED', ['INTEL-SA-00615'], 4], // DOMAIN §13.5 B6
    ['CONFIGURATION_NEEDED', ['INTEL-SA-00381', 'INTEL-SA-00615'], 4],
    ['SW_HARDENING_NEEDED', ['INTEL-SA-00615'], 2], // level 4 comes only from level 3
    ['GROUP_OUT_OF_DATE', ['INTEL-SA-00615'], 5],
  ] as const)('status %s with advisories %j gives level %d', (quoteStatus, advisoryIds, level) => {
    expect(levelOf(verifyAttestation(input(signedBy(vendor, body({ quoteStatus, advisoryIds: [...advisoryIds] })))))).toBe(level);
    expect(confidenceLevelOf(quoteStatus, advisoryIds)).toBe(level);
  });

  it.each(['GROUP_REVOKED', 'SIGNATURE_INVALID', 'KEY_REVOKED', 'UpToDate', ''])('rejects quote status %j as InvalidQuoteStatus', (quoteStatus) => {
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ quoteStatus })))))).toBe('InvalidQuoteStatus');
  });

  it('rejects an untrusted vendor and a bad signature as InvalidIASSigningCert', () => {
    expect(errorOf(verifyAttestation(input(signedBy(rogue, body()))))).toBe('InvalidIASSigningCert');
    const forged = signedBy(vendor, body());
    const tampered: AttestationReport = { tag: 'SimulatedIas', value: { ...forged.value, report: signedBy(vendor, body({ quoteStatus: 'GROUP_OUT_OF_DATE' })).value.report } };
    expect(errorOf(verifyAttestation(input(tampered)))).toBe('InvalidIASSigningCert');
  });

  it('rejects signed garbage as InvalidReport', () => {
    const garbage = Uint8Array.of(1, 2, 3);
    const report: AttestationReport = { tag: 'SimulatedIas', value: { report: garbage, signature: sr25519Sign(garbage, vendor), vendorPubkey: vendor.publicKey } };
    expect(errorOf(verifyAttestation(input(report)))).toBe('InvalidReport');
  });

  it('rejects a pRuntime not on the allow-list only when VerifyPRuntime is on', () => {
    const other = pruntimeHashOf({ measurement: new Uint8Array(32).fill(0xcc), isvProdId: 1, isvSvn: 0x0203, mrSigner: new Uint8Array(32).fill(0xbb) });
    const report = signedBy(vendor, body({ pruntimeHash: other }));
    expect(errorOf(verifyAttestation(input(report)))).toBe('PRuntimeRejected');
    expect(errorOf(verifyAttestation(input(report, { verifyPRuntime: false })))).toBe('accepted');
  });

  it('rejects reports 7200 s old or older as OutdatedIASReport (DOMAIN §13.5 B5)', () => {
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ timestampSecs: NOW - 7200n })))))).toBe('OutdatedIASReport');
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ timestampSecs: NOW - 7199n })))))).toBe('accepted');
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ timestampSecs: NOW - 7200n })), { nowSecs: Number(NOW) })))).toBe('OutdatedIASReport');
    // like Phala (`now as i64 - ts >= 7200`), a report stamped in the future is not stale
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ timestampSecs: NOW + 600n })))))).toBe('accepted');
  });

  it('rejects a report for another runtime info as InvalidRuntimeInfoHash', () => {
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ reportData: reportDataOf(new Uint8Array(32).fill(0x22)) })))))).toBe('InvalidRuntimeInfoHash');
    const tail = reportDataOf(infoHash);
    tail[40] = 1; // only the first 32 bytes are compared
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ reportData: tail })))))).toBe('accepted');
  });

  it("checks in Phala's IAS order: signature, parse, status, allow-list, freshness, report data", () => {
    const stale = NOW - 10_000n;
    const badHash = reportDataOf(new Uint8Array(32).fill(0x22));
    const notAllowed = new Uint8Array(68).fill(9);
    const everything = body({ timestampSecs: stale, reportData: badHash, pruntimeHash: notAllowed, quoteStatus: 'GROUP_REVOKED' });
    expect(errorOf(verifyAttestation(input(signedBy(rogue, everything))))).toBe('InvalidIASSigningCert');
    expect(errorOf(verifyAttestation(input(signedBy(vendor, everything))))).toBe('InvalidQuoteStatus');
    expect(errorOf(verifyAttestation(input(signedBy(vendor, { ...everything, quoteStatus: 'OK' }))))).toBe('PRuntimeRejected');
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ timestampSecs: stale, reportData: badHash })))))).toBe('OutdatedIASReport');
    expect(errorOf(verifyAttestation(input(signedBy(vendor, body({ reportData: badHash })))))).toBe('InvalidRuntimeInfoHash');
  });

  it('accepts the None attestation at level 128 only when enabled', () => {
    expect(errorOf(verifyAttestation(input(undefined)))).toBe('NoneAttestationDisabled');
    const r = verifyAttestation(input(undefined, { noneAttestationEnabled: true }));
    expect(r).toEqual({ _tag: 'Right', right: { provider: undefined, confidenceLevel: 128, runtimeHash: new Uint8Array(0) } });
  });
});
