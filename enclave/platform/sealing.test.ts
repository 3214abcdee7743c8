import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { seededRandom } from '../../simulations/seededRandom';
import { createAttestationVendor } from './attestationVendor';
import { measurementOf } from './measurement';
import { createSimulatedPlatform } from './platform';
import { describeUnsealError } from './sealing';

const root = seededRandom(5150);
const vendor = createAttestationVendor(root.fork('vendor'));
const platformA = createSimulatedPlatform(vendor, root.fork('a'));
const platformB = createSimulatedPlatform(vendor, root.fork('b'));
const v1 = measurementOf('pruntime', '1.0.0');
const v2 = measurementOf('pruntime', '1.0.1');
const data = new TextEncoder().encode('identity key and master key history');

describe('sealing', () => {
  it('round-trips on the same platform and measurement; two seals of the same data differ (fresh nonce)', () => {
    const blob = platformA.seal(v1, data);
    expect(platformA.unseal(v1, blob)).toEqual(E.right(data));
    expect(Buffer.from(platformA.seal(v1, data)).equals(Buffer.from(blob))).toBe(false);
  });

  it('another platform cannot unseal: SealIntegrityFailure', () => {
    const result = platformB.unseal(v1, platformA.seal(v1, data));
    expect(result).toEqual(E.left({ _tag: 'SealIntegrityFailure' }));
    if (E.isLeft(result)) expect(describeUnsealError(result.left)).toMatch(/another platform, or tampered/);
  });

  it('another measurement cannot unseal: SealedForAnotherMeasurement naming both builds', () => {
    const result = platformA.unseal(v2, platformA.seal(v1, data));
    expect(result).toEqual(E.left({ _tag: 'SealedForAnotherMeasurement', sealedFor: Uint8Array.from(v1), current: Uint8Array.from(v2) }));
    if (E.isLeft(result)) expect(describeUnsealError(result.left)).toMatch(/handover/);
  });

  it('a blob relabelled with the new measurement still fails (the key and the AAD bind it)', () => {
    const blob = platformA.seal(v1, data);
    blob.set(v2, 1);
    expect(platformA.unseal(v2, blob)).toEqual(E.left({ _tag: 'SealIntegrityFailure' }));
  });

  it('any flipped bit is refused with a typed error', () => {
    const blob = platformA.seal(v1, data);
    fc.assert(
      fc.property(fc.nat(blob.length * 8 - 1), (bit) => {
        const tampered = Uint8Array.from(blob);
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        const result = platformA.unseal(v1, tampered);
        expect(E.isLeft(result)).toBe(true);
        if (E.isLeft(result)) expect(['SealIntegrityFailure', 'SealedForAnotherMeasurement', 'SealedBlobMalformed']).toContain(result.left._tag);
      }),
      { numRuns: 200 },
    );
  });

  it('truncated or unknown-version blobs are malformed', () => {
    const blob = platformA.seal(v1, data);
    expect(platformA.unseal(v1, blob.slice(0, 40))).toMatchObject(E.left({ _tag: 'SealedBlobMalformed' }));
    const other = Uint8Array.from(blob);
    other[0] = 9;
    expect(platformA.unseal(v1, other)).toMatchObject(E.left({ _tag: 'SealedBlobMalformed' }));
  });

  it('a platform rebuilt from the same seed unseals (simulation restart), and has the same machine id', () => {
    const again = createSimulatedPlatform(createAttestationVendor(seededRandom(5150).fork('vendor')), seededRandom(5150).fork('a'));
    expect(again.unseal(v1, platformA.seal(v1, data))).toEqual(E.right(data));
    expect(Buffer.from(again.machineId).equals(Buffer.from(platformA.machineId))).toBe(true);
    expect(Buffer.from(platformB.machineId).equals(Buffer.from(platformA.machineId))).toBe(false);
  });
});
