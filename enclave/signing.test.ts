import { sr25519Verify as utilCryptoVerify } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { sr25519VerifyOn } from '../domain/crypto';
import { seededRandom } from '../simulations/seededRandom';
import { pairFromSeed } from './keys/sr25519Pair';
import { signWith } from './signing';
import { initWasmCrypto } from './wasmCrypto';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const pair = pairFromSeed(new Uint8Array(32).fill(3));
const message = new TextEncoder().encode('heartbeat challenge 42');

beforeAll(async () => {
  await initWasmCrypto();
});

describe('signing with nonces from the Random port', () => {
  it('same seed ⇒ same signature bytes; different seed ⇒ different bytes', () => {
    const a = signWith(pair, message, seededRandom(1).fork('signer'));
    const b = signWith(pair, message, seededRandom(1).fork('signer'));
    const c = signWith(pair, message, seededRandom(2).fork('signer'));
    expect(hex(a)).toBe(hex(b));
    expect(hex(a)).not.toBe(hex(c));
  });

  it('a stream advances: two signatures of one message from one stream differ, and replay identically', () => {
    const r1 = seededRandom(9);
    const r2 = seededRandom(9);
    const first = [signWith(pair, message, r1), signWith(pair, message, r1)].map(hex);
    expect(first[0]).not.toBe(first[1]);
    expect([signWith(pair, message, r2), signWith(pair, message, r2)].map(hex)).toEqual(first);
  });

  it('verifies on the js and wasm domain paths and with @polkadot/util-crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 100 }), fc.nat(), (seed, msg, s) => {
        const p = pairFromSeed(seed);
        const sig = signWith(p, msg, seededRandom(s));
        expect(sr25519VerifyOn('js', msg, sig, p.publicKey)).toBe(true);
        expect(sr25519VerifyOn('wasm', msg, sig, p.publicKey)).toBe(true);
        expect(utilCryptoVerify(msg, sig, p.publicKey)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});
