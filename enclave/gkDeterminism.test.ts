import { blake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { gkIv, nextRandomNumber } from './gkDeterminism';
import { derivePair } from './keys/derivationTree';
import { pairFromSeed } from './keys/sr25519Pair';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('deterministic GK IVs and the random beacon', () => {
  it('IV = blake2_256(derived("iv_generator").canonical ‖ u32be block ‖ u64be seq)[0..12]; every input matters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(2 ** 32 - 2), fc.bigInt({ min: 0n, max: 2n ** 64n - 2n }), (seed, block, seq) => {
        const master = pairFromSeed(seed);
        const buf = Buffer.alloc(76);
        Buffer.from(derivePair(master, { kind: 'iv_generator' }).canonicalSecret).copy(buf, 0);
        buf.writeUInt32BE(block, 64);
        buf.writeBigUInt64BE(seq, 68);
        const iv = gkIv(master, block, seq);
        expect(hex(iv)).toBe(hex(blake2b(buf, { dkLen: 32 }).slice(0, 12)));
        expect(hex(gkIv(master, block, seq + 1n))).not.toBe(hex(iv));
        expect(hex(gkIv(master, block + 1, seq))).not.toBe(hex(iv));
      }),
      { numRuns: 20 },
    );
  });

  it('random number = blake2_256(last ‖ u32be block ‖ derived("random_number").canonical); chains', () => {
    const master = pairFromSeed(new Uint8Array(32).fill(4));
    const r5 = nextRandomNumber(master, 5, new Uint8Array(32));
    const r10 = nextRandomNumber(master, 10, r5);
    expect(r5).toHaveLength(32);
    expect(hex(r10)).not.toBe(hex(r5));
    expect(hex(nextRandomNumber(master, 10, r5))).toBe(hex(r10));
    expect(hex(nextRandomNumber(pairFromSeed(new Uint8Array(32).fill(5)), 5, new Uint8Array(32)))).not.toBe(hex(r5));
    expect(() => nextRandomNumber(master, 5, new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => gkIv(master, -1, 0n)).toThrow(/u32/);
  });
});
