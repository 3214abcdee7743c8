import { sr25519Verify as rawWasmVerify } from '@polkadot/wasm-crypto';
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import fc from 'fast-check';
import { initWasmCrypto } from '../../enclave/wasmCrypto';
import {
  currentSr25519VerifyPath,
  installWasmSr25519Verify,
  isWasmSr25519VerifyReady,
  selectSr25519VerifyPath,
  sr25519Verify,
  sr25519VerifyOn,
} from './sr25519Verify';
import { sr25519Verifier } from './verifier';

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const signed = fc.record({ seed: seedArb, message: fc.uint8Array({ maxLength: 200 }), nonce: seedArb }).map(({ seed, message, nonce }) => {
  const secret = secretFromSeed(seed);
  return { message, publicKey: getPublicKey(secret), signature: sign(secret, message, nonce) };
});

/** Both paths' verdicts; the test fails on any disagreement. */
function verdicts(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  const js = sr25519VerifyOn('js', message, signature, publicKey);
  const wasm = sr25519VerifyOn('wasm', message, signature, publicKey);
  expect({ js, wasm }).toEqual({ js: wasm, wasm: js });
  return js;
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[(bit >> 3) % out.length]! ^= 1 << (bit & 7);
  return out;
}

describe('sr25519 verification: the js and wasm paths agree on every verdict', () => {
  it('runs on js before initWasmCrypto and refuses to select wasm', () => {
    expect(isWasmSr25519VerifyReady()).toBe(false);
    expect(currentSr25519VerifyPath()).toBe('js');
    expect(() => selectSr25519VerifyPath('wasm')).toThrow(/initWasmCrypto/);
  });

  it('refuses to install a verifier that fails the self-test', () => {
    expect(() => installWasmSr25519Verify(() => true)).toThrow(/self-test/);
    expect(() => installWasmSr25519Verify(() => false)).toThrow(/self-test/);
    expect(isWasmSr25519VerifyReady()).toBe(false);
    expect(currentSr25519VerifyPath()).toBe('js');
  });

  describe('after initWasmCrypto', () => {
    beforeAll(async () => {
      await initWasmCrypto();
    });
    afterEach(() => selectSr25519VerifyPath('wasm'));

    it('switches the default path to wasm; selecting js still works', () => {
      expect(currentSr25519VerifyPath()).toBe('wasm');
      selectSr25519VerifyPath('js');
      expect(currentSr25519VerifyPath()).toBe('js');
    });

    it('valid signatures: true on both', () => {
      fc.assert(fc.property(signed, (s) => expect(verdicts(s.message, s.signature, s.publicKey)).toBe(true)), { numRuns: 60 });
    });

    it('tampered message: false on both', () => {
      fc.assert(
        fc.property(signed, fc.nat(), (s, bit) => {
          const message = s.message.length === 0 ? Uint8Array.of(0) : flipBit(s.message, bit);
          expect(verdicts(message, s.signature, s.publicKey)).toBe(false);
        }),
        { numRuns: 60 },
      );
    });

    it('tampered signature (any bit, including the schnorrkel marker): same verdict, never true', () => {
      fc.assert(
        fc.property(signed, fc.nat(511), (s, bit) => expect(verdicts(s.message, flipBit(s.signature, bit), s.publicKey)).toBe(false)),
        { numRuns: 120 },
      );
    });

    it('wrong public key (another key, or a bit flipped): same verdict, never true', () => {
      fc.assert(
        fc.property(signed, seedArb, fc.nat(255), (s, other, bit) => {
          expect(verdicts(s.message, s.signature, getPublicKey(secretFromSeed(other)))).toBe(false);
          expect(verdicts(s.message, s.signature, flipBit(s.publicKey, bit))).toBe(false);
        }),
        { numRuns: 60 },
      );
    });

    it('malformed input (wrong lengths, random bytes): same verdict, false, no exception', () => {
      fc.assert(
        fc.property(signed, fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ maxLength: 40 }), (s, sig, pub) => {
          expect(verdicts(s.message, sig, s.publicKey)).toBe(false);
          expect(verdicts(s.message, s.signature, pub)).toBe(false);
          expect(verdicts(s.message, sig, pub)).toBe(false);
        }),
        { numRuns: 120 },
      );
    });

    it('random 64-byte signatures and random 32-byte keys (valid and invalid points): same verdict', () => {
      fc.assert(
        fc.property(signed, fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (s, sig, pub) => {
          const marked = Uint8Array.from(sig);
          marked[63]! |= 0x80;
          expect(verdicts(s.message, marked, s.publicKey)).toBe(false);
          expect(verdicts(s.message, s.signature, pub)).toBe(false);
          verdicts(s.message, marked, pub);
        }),
        { numRuns: 150 },
      );
    });

    it('malleated s + ℓ (non-canonical scalar) is refused on both paths', () => {
      const order = 2n ** 252n + 27742317777372353535851937790883648493n;
      fc.assert(
        fc.property(signed, (s) => {
          const sig = Uint8Array.from(s.signature);
          sig[63]! &= 0x7f;
          let scalar = 0n;
          for (let i = 63; i >= 32; i--) scalar = (scalar << 8n) | BigInt(sig[i]!);
          let malleated = scalar + order;
          for (let i = 32; i < 64; i++, malleated >>= 8n) sig[i] = Number(malleated & 0xffn);
          sig[63]! |= 0x80;
          expect(verdicts(s.message, sig, s.publicKey)).toBe(false);
        }),
        { numRuns: 30 },
      );
    });

    it('refuses signatures under the identity public key on both paths, where raw schnorrkel accepts them', () => {
      const scalar = 123456789n;
      const sig = new Uint8Array(64);
      // R = s·B: @scure's getPublicKey multiplies the base point by (key bytes >> 3)
      const shifted = new Uint8Array(64);
      for (let i = 0, x = scalar << 3n; i < 32; i++, x >>= 8n) shifted[i] = Number(x & 0xffn);
      sig.set(getPublicKey(shifted), 0);
      for (let i = 0, x = scalar; i < 32; i++, x >>= 8n) sig[32 + i] = Number(x & 0xffn);
      sig[63]! |= 0x80;
      const identity = new Uint8Array(32);
      const message = Uint8Array.of(1, 2, 3);
      expect(rawWasmVerify(sig, message, identity)).toBe(true); // the disagreement the guard removes
      expect(verdicts(message, sig, identity)).toBe(false);
    });

    it('the default-path function and the Verifier give the same verdicts', () => {
      fc.assert(
        fc.property(fc.array(signed, { minLength: 1, maxLength: 4 }), fc.nat(3), (items, bad) => {
          const i = bad % items.length;
          const batch = items.map((it, j) => (j === i ? { ...it, message: Uint8Array.of(...it.message, 1) } : it));
          for (const path of ['js', 'wasm'] as const) {
            const verifier = sr25519Verifier(path);
            const each = verifier.verifyEach(batch);
            expect(each).toEqual(batch.map((_, j) => j !== i));
            expect(verifier.verifyAll(batch)).toBe(false);
            expect(verifier.verifyAll(items)).toBe(true);
            selectSr25519VerifyPath(path);
            expect(batch.map((it) => sr25519Verify(it.message, it.signature, it.publicKey))).toEqual(each);
            expect(sr25519Verifier().verifyEach(batch)).toEqual(each);
          }
        }),
        { numRuns: 15 },
      );
    });
  });
});
