import { getPublicKey, sign as scureSign } from '@scure/sr25519';
import fc from 'fast-check';
import { sr25519VerifyOn } from '../../domain/crypto';
import { initWasmCrypto } from '../wasmCrypto';
import { multiplyBase } from './baseMultiply';
import { preparedSigner } from './sr25519Signer';
import { pairFromSeed } from './sr25519Pair';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('preparedSigner (own Merlin transcript, precomputed prefix)', () => {
  it('is byte-identical to @scure/sr25519 sign(secretKey, message, random), before and after initWasmCrypto', async () => {
    const property = fc.property(bytes32, fc.uint8Array({ maxLength: 400 }), bytes32, (seed, message, random) => {
      const pair = pairFromSeed(seed);
      expect(hex(preparedSigner(pair)(message, random))).toBe(hex(scureSign(pair.secretKey, message, random)));
    });
    fc.assert(property, { numRuns: 30 }); // JS base multiplication
    await initWasmCrypto();
    fc.assert(property, { numRuns: 30 }); // wasm base multiplication
  });

  it('wasm and JS base multiplication agree', async () => {
    await initWasmCrypto();
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 252n }), (k) => {
        const scalar = new Uint8Array(64);
        for (let i = 0, x = k << 3n; i < 32; i++, x >>= 8n) scalar[i] = Number(x & 0xffn);
        expect(hex(multiplyBase(scalar))).toBe(hex(getPublicKey(scalar)));
      }),
      { numRuns: 30 },
    );
  });

  it('signs many messages with one prepared key (no state leaks between calls), verifiable on both paths', () => {
    const pair = pairFromSeed(new Uint8Array(32).fill(8));
    const sign = preparedSigner(pair);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), bytes32, (message, random) => {
        const sig = sign(message, random);
        expect(hex(sig)).toBe(hex(scureSign(pair.secretKey, message, random)));
        expect(sr25519VerifyOn('wasm', message, sig, pair.publicKey)).toBe(true);
        expect(sr25519VerifyOn('js', message, sig, pair.publicKey)).toBe(true);
      }),
      { numRuns: 30 },
    );
    expect(() => sign(new Uint8Array(1), new Uint8Array(31))).toThrow(/32 random bytes/);
  });
});
