import { sr25519Agree, waitReady } from '@polkadot/wasm-crypto';
import { sr25519Agreement } from '@polkadot/util-crypto';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { aesGcmDecrypt, aesGcmEncrypt } from './aead';
import { agree } from './ecdh';
import { decryptKeyFrom, encryptKeyTo } from './keyShare';
import { pairFromSeed } from './keys/sr25519Pair';

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const info = [new TextEncoder().encode('master_key_sharing')];

beforeAll(async () => {
  await waitReady();
});

describe('ECDH, AES-256-GCM and key sharing', () => {
  it('K1: agree(a, B) = agree(b, A), equal to polkadot-js sr25519Agreement and wasm sr25519Agree', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (sa, sb) => {
        const a = pairFromSeed(sa);
        const b = pairFromSeed(sb);
        const ab = hex(agree(a, b.publicKey));
        expect(hex(agree(b, a.publicKey))).toBe(ab);
        expect(hex(sr25519Agreement(a.secretKey, b.publicKey))).toBe(ab);
        expect(hex(sr25519Agree(b.publicKey, a.secretKey))).toBe(ab);
      }),
      { numRuns: 30 },
    );
  });

  it('K3: AES-256-GCM output is plaintext + 16 bytes, round-trips, and refuses bad keys and IVs', () => {
    fc.assert(
      fc.property(seedArb, fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.uint8Array({ maxLength: 200 }), (key, iv, pt) => {
        const ct = aesGcmEncrypt(key, iv, pt);
        expect(E.map((c: Uint8Array) => c.length)(ct)).toEqual(E.right(pt.length + 16));
        expect(E.flatMap(ct, (c) => aesGcmDecrypt(key, iv, c))).toEqual(E.right(pt));
      }),
      { numRuns: 50 },
    );
    expect(aesGcmEncrypt(new Uint8Array(31), new Uint8Array(12), new Uint8Array(1))).toEqual(E.left({ _tag: 'AeadInvalidKey', keyBytes: 31 }));
    expect(aesGcmEncrypt(new Uint8Array(32), new Uint8Array(16), new Uint8Array(1))).toEqual(E.left({ _tag: 'AeadInvalidIv', ivBytes: 16 }));
    expect(aesGcmDecrypt(new Uint8Array(32), new Uint8Array(12), new Uint8Array(15))).toEqual(E.left({ _tag: 'AeadDecryptError' }));
  });

  it('encryptKeyTo is deterministic and decryptKeyFrom recovers the secret; any flipped bit is refused', () => {
    fc.assert(
      fc.property(seedArb, seedArb, seedArb, fc.uint8Array({ minLength: 12, maxLength: 12 }), fc.nat(80 * 8 - 1), (s, r, k, iv, bit) => {
        const sender = pairFromSeed(s);
        const recipient = pairFromSeed(r);
        const secret = pairFromSeed(k).canonicalSecret;
        const shared = encryptKeyTo(sender, info, recipient.publicKey, secret, iv);
        expect(hex(encryptKeyTo(sender, info, recipient.publicKey, secret, iv).encryptedKey)).toBe(hex(shared.encryptedKey));
        expect(E.map(hex)(decryptKeyFrom(recipient, shared))).toEqual(E.right(hex(secret)));
        const tampered = Uint8Array.from(shared.encryptedKey);
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        expect(decryptKeyFrom(recipient, { ...shared, encryptedKey: tampered })).toEqual(E.left({ _tag: 'AeadDecryptError' }));
        expect(E.isLeft(decryptKeyFrom(sender, shared))).toBe(true); // only the recipient can open it
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a sender ECDH key that is not a point', () => {
    const recipient = pairFromSeed(new Uint8Array(32).fill(1));
    const shared = encryptKeyTo(pairFromSeed(new Uint8Array(32).fill(2)), info, recipient.publicKey, recipient.canonicalSecret, new Uint8Array(12));
    expect(decryptKeyFrom(recipient, { ...shared, ecdhPubkey: new Uint8Array(32).fill(0xff) })).toEqual(E.left({ _tag: 'EcdhInvalidPublicKey' }));
  });
});
