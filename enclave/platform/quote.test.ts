import { attestationQuoteCodec, verifyQuoteSignature } from '../../domain/crypto';
import { seededRandom } from '../../simulations/random';
import { createAttestationVendor } from './attestationVendor';
import { measurementOf } from './measurement';
import { createSimulatedPlatform } from './platform';

const r = seededRandom('quotes');
const vendor = createAttestationVendor(r.fork('intel'));
const rogue = createAttestationVendor(r.fork('rogue'));
const platform = createSimulatedPlatform(vendor, r.fork('cpu'));
const m = measurementOf('pruntime', '2.2.0');
const reportData = new Uint8Array(64).fill(0xab);

describe('attestation quotes', () => {
  it('the registry accepts a quote signed by a trusted vendor, also after a SCALE round trip', () => {
    const quote = platform.quote(m, reportData, 1_700_000_000_000n, 1);
    expect(verifyQuoteSignature(quote, [vendor.publicKey])).toBe(true);
    const decoded = attestationQuoteCodec.dec(attestationQuoteCodec.enc(quote));
    expect(verifyQuoteSignature(decoded, [rogue.publicKey, vendor.publicKey])).toBe(true);
  });

  it('refuses an untrusted vendor and any edited field', () => {
    const quote = platform.quote(m, reportData, 1_700_000_000_000n, 1);
    expect(verifyQuoteSignature(quote, [rogue.publicKey])).toBe(false);
    expect(verifyQuoteSignature(createSimulatedPlatform(rogue, r.fork('x')).quote(m, reportData, 1n, 1), [vendor.publicKey])).toBe(false);
    const edits = [
      { ...quote.body, measurement: measurementOf('pruntime', 'evil') },
      { ...quote.body, timestampMs: quote.body.timestampMs + 1n },
      { ...quote.body, confidenceLevel: 2 },
      { ...quote.body, reportData: new Uint8Array(64) },
    ];
    for (const body of edits) expect(verifyQuoteSignature({ body, signature: quote.signature }, [vendor.publicKey])).toBe(false);
    expect(() => platform.quote(m, new Uint8Array(32), 1n, 1)).toThrow(/64 bytes/);
  });
});
