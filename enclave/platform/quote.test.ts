import { isLeft, isRight } from 'fp-ts/Either';
import { pruntimeHashOf, reportDataOf } from '../../domain/attestation/quote.codec';
import { verifyAttestation } from '../../domain/attestation/verifyAttestation';
import { sr25519Verify } from '../../domain/crypto';
import { seededRandom } from '../../simulations/seededRandom';
import { createAttestationVendor } from './attestationVendor';
import { measurementOf } from './measurement';
import { createSimulatedPlatform } from './platform';

const r = seededRandom(11);
const vendor = createAttestationVendor(r.fork('intel'));
const rogue = createAttestationVendor(r.fork('rogue'));
const platform = createSimulatedPlatform(vendor, r.fork('cpu'));
const m = measurementOf('pruntime', '2.2.0');
const infoHash = new Uint8Array(32).fill(0xab);
const allowed = pruntimeHashOf({ measurement: m, isvProdId: 0, isvSvn: 0, mrSigner: new Uint8Array(32) });
const verify = (report: ReturnType<typeof platform.quote>, trusted = [vendor.publicKey], nowSecs = 1_700_000_100) =>
  verifyAttestation({ report, runtimeInfoHash: infoHash, nowSecs, trustedVendorKeys: trusted, pruntimeAllowList: [allowed], verifyPRuntime: true, verifySignature: sr25519Verify });

describe('attestation quotes from a simulated platform', () => {
  it('the registry accepts a fresh quote of an allowed build signed by a trusted vendor', () => {
    const r1 = verify(platform.quote(m, reportDataOf(infoHash), { timestampSecs: 1_700_000_000n }));
    expect(isRight(r1) && r1.right.confidenceLevel).toBe(1);
    const r5 = verify(platform.quote(m, reportDataOf(infoHash), { timestampSecs: 1_700_000_000n, quoteStatus: 'GROUP_OUT_OF_DATE' }));
    expect(isRight(r5) && r5.right.confidenceLevel).toBe(5);
  });

  it('refuses an untrusted vendor, another build, stale quotes and a wrong runtime info hash', () => {
    const reason = (x: ReturnType<typeof verify>) => (isLeft(x) ? x.left.type : 'accepted');
    const quote = (mm = m, timestampSecs = 1_700_000_000n, data = reportDataOf(infoHash)) => platform.quote(mm, data, { timestampSecs });
    expect(reason(verify(quote(), [rogue.publicKey]))).toBe('InvalidIASSigningCert');
    expect(reason(verify(createSimulatedPlatform(rogue, r.fork('x')).quote(m, reportDataOf(infoHash), { timestampSecs: 1_700_000_000n })))).toBe('InvalidIASSigningCert');
    expect(reason(verify(quote(measurementOf('pruntime', 'evil'))))).toBe('PRuntimeRejected');
    expect(reason(verify(quote(m, 1_700_000_100n - 7200n)))).toBe('OutdatedIASReport');
    expect(reason(verify(quote(m, 1_700_000_000n, reportDataOf(new Uint8Array(32)))))).toBe('InvalidRuntimeInfoHash');
    expect(() => platform.quote(m, new Uint8Array(32), { timestampSecs: 1n })).toThrow(/64 bytes/);
  });
});
