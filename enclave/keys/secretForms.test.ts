import { sr25519KeypairFromSeed, waitReady } from '@polkadot/wasm-crypto';
import { sr25519PairFromSeed } from '@polkadot/util-crypto';
import { secretFromSeed } from '@scure/sr25519';
import fc from 'fast-check';
import { CURVE_ORDER, isCanonicalSecret, toCanonicalSecret, toEd25519FormSecret } from './secretForms';

const seedArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const le = (b: Uint8Array) => b.reduceRight((n, x) => (n << 8n) | BigInt(x), 0n);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

beforeAll(async () => {
  await waitReady();
});

describe('sr25519 secret forms', () => {
  it('polkadot-js, @scure/sr25519 and wasm-crypto give identical (ed25519-form) secrets for a seed', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const scure = hex(secretFromSeed(seed));
        expect(hex(sr25519PairFromSeed(seed).secretKey)).toBe(scure);
        expect(hex(sr25519KeypairFromSeed(seed).slice(0, 64))).toBe(scure);
      }),
      { numRuns: 50 },
    );
  });

  it('ed25519 form = canonical × 8 exactly (no reduction), same nonce; canonical < ℓ', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const ed = secretFromSeed(seed);
        const canonical = toCanonicalSecret(ed);
        expect(le(ed.subarray(0, 32))).toBe(le(canonical.subarray(0, 32)) * 8n);
        expect(hex(canonical.subarray(32))).toBe(hex(ed.subarray(32)));
        expect(le(canonical.subarray(0, 32)) < CURVE_ORDER).toBe(true);
        expect(hex(toEd25519FormSecret(canonical))).toBe(hex(ed));
      }),
      { numRuns: 50 },
    );
  });

  it('canonical → ed25519 → canonical round-trips any canonical scalar, not only clamped ones', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: CURVE_ORDER - 1n }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (k, nonce) => {
        const canonical = new Uint8Array(64);
        for (let i = 0, x = k; i < 32; i++, x >>= 8n) canonical[i] = Number(x & 0xffn);
        canonical.set(nonce, 32);
        expect(hex(toCanonicalSecret(toEd25519FormSecret(canonical)))).toBe(hex(canonical));
      }),
    );
  });

  it('refuses malformed secrets', () => {
    const zero = new Uint8Array(64);
    expect(isCanonicalSecret(zero)).toBe(false);
    expect(isCanonicalSecret(new Uint8Array(64).fill(0xff))).toBe(false);
    expect(isCanonicalSecret(new Uint8Array(63).fill(1))).toBe(false);
    expect(() => toEd25519FormSecret(new Uint8Array(64).fill(0xff))).toThrow(/canonical/);
    const notMultipleOf8 = secretFromSeed(new Uint8Array(32));
    notMultipleOf8[0]! |= 1;
    expect(() => toCanonicalSecret(notMultipleOf8)).toThrow(/cofactor/);
    expect(() => toCanonicalSecret(new Uint8Array(32))).toThrow(/64 bytes/);
  });
});
