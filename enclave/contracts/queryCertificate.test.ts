import * as E from 'fp-ts/Either';
import { toHex } from '../../domain/codec/hex';
import { seededRandom } from '../../simulations/seededRandom';
import { pairFromSeed } from '../keys/sr25519Pair';
import { signWith } from '../signing';
import { type QuerySignature, certificateBodyCodec, verifyQuerySignature, wrapBytes } from './queryCertificate';

describe('query certificates', () => {
  const r = seededRandom(5);
  const account = pairFromSeed(r.bytes(32));
  const message = new TextEncoder().encode('encoded encrypted data');
  const cert = { encodedBody: certificateBodyCodec.enc({ pubkey: account.publicKey, ttl: 10, configBits: 0 }), signature: undefined };

  it('Sr25519WrapBytes verifies a signature over <Bytes>msg</Bytes> (what polkadot-js extensions sign)', () => {
    const wrapped: QuerySignature = { signedBy: cert, signatureType: 'Sr25519WrapBytes', signature: signWith(account, wrapBytes(message), r) };
    expect(verifyQuerySignature(wrapped, message, 10)).toEqual(E.right([toHex(account.publicKey)]));
    expect(verifyQuerySignature({ ...wrapped, signatureType: 'Sr25519' }, message, 10)).toEqual(E.left({ _tag: 'InvalidSignature' }));
  });

  it('refuses a missing certificate, an undecodable body and a key that is not 32 bytes', () => {
    const sig = signWith(account, message, r);
    expect(verifyQuerySignature({ signedBy: undefined, signatureType: 'Sr25519', signature: sig }, message, 1)).toEqual(E.left({ _tag: 'CertificateMissing' }));
    expect(verifyQuerySignature({ signedBy: { encodedBody: Uint8Array.of(1), signature: undefined }, signatureType: 'Sr25519', signature: sig }, message, 1)).toMatchObject(
      E.left({ _tag: 'DecodeFailed' }),
    );
    const shortKey = { encodedBody: certificateBodyCodec.enc({ pubkey: Uint8Array.of(1, 2), ttl: 10, configBits: 0 }), signature: undefined };
    expect(verifyQuerySignature({ signedBy: shortKey, signatureType: 'Sr25519', signature: sig }, message, 1)).toEqual(E.left({ _tag: 'InvalidPublicKey' }));
  });
});
