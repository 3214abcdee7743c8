import { getPublicKey, verify as scureVerify } from '@scure/sr25519';
import fc from 'fast-check';
import { sr25519VerifyOn } from '../../domain/crypto';
import { initWasmCrypto } from '../wasmCrypto';
import { multiplyBase } from './baseMultiply';
import { preparedSigner } from './sr25519Signer';
import { pairFromSeed } from './sr25519Pair';

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('preparedSigner (own Merlin transcript, precomputed prefix, nonce key from the witness seed)', () => {
  it('signs what @scure/sr25519 and wasm-crypto verify, with the same bytes before and after initWasmCrypto', async () => {
    const cases = fc.sample(fc.tuple(bytes32, fc.uint8Array({ maxLength: 400 }), bytes32), { numRuns: 25, seed: 7 });
    const jsSigs = cases.map(([seed, message, random]) => hex(preparedSigner(pairFromSeed(seed))(message, random))); // JS expansion
    await initWasmCrypto();
    cases.forEach(([seed, message, random], i) => {
      const pair = pairFromSeed(seed);
      const sig = preparedSigner(pair)(message, random); // wasm expansion
      expect(hex(sig)).toBe(jsSigs[i]);
      expect(scureVerify(message, sig, pair.publicKey)).toBe(true);
      expect(sr25519VerifyOn('wasm', message, sig, pair.publicKey)).toBe(true);
      expect(sr25519VerifyOn('js', message, sig, pair.publicKey)).toBe(true);
    });
  });

  it('draws its nonce from (key, message, randomness): each one changes R, none repeats it', () => {
    const pair = pairFromSeed(new Uint8Array(32).fill(8));
    const other = pairFromSeed(new Uint8Array(32).fill(9));
    const msg = new Uint8Array([1, 2, 3]);
    const rnd = new Uint8Array(32).fill(5);
    const bigR = (sig: Uint8Array) => hex(sig.subarray(0, 32));
    const base = preparedSigner(pair)(msg, rnd);
    expect(hex(preparedSigner(pair)(msg, rnd))).toBe(hex(base)); // deterministic
    expect(bigR(preparedSigner(pair)(new Uint8Array([1, 2, 4]), rnd))).not.toBe(bigR(base));
    expect(bigR(preparedSigner(pair)(msg, new Uint8Array(32).fill(6)))).not.toBe(bigR(base));
    expect(bigR(preparedSigner(other)(msg, rnd))).not.toBe(bigR(base));
  });

  it('keeps its signatures byte-stable (seeded simulations replay the same ledger bytes)', () => {
    const sig = preparedSigner(pairFromSeed(new Uint8Array(32).fill(8)))(new TextEncoder().encode('phalanet'), new Uint8Array(32).fill(1));
    expect(hex(sig)).toBe('1a5e5349bc685af2d7aae930f05db4c2207d77de005ec10f5dc4c7ad6c29a976034bba52830384573749776c36c5a1d11db0dbe6bbbecf2db43c7c9ca18df58d');
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
        expect(hex(sig)).toBe(hex(preparedSigner(pair)(message, random)));
        expect(sr25519VerifyOn('wasm', message, sig, pair.publicKey)).toBe(true);
        expect(sr25519VerifyOn('js', message, sig, pair.publicKey)).toBe(true);
      }),
      { numRuns: 30 },
    );
    expect(() => sign(new Uint8Array(1), new Uint8Array(31))).toThrow(/32 random bytes/);
  });
});
