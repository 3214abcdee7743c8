import fc from 'fast-check';
import { challengeHit, workerPubkeyHash } from './challenge';
import { powTarget, U256_MAX } from './powTarget';

describe('pow_target (computation.rs test_pow_target, DOMAIN §13.1)', () => {
  it('V6: no workers → 0', () => {
    expect(powTarget(20, 0, 12)).toBe(0n);
  });

  it('capped at 2 per worker-hour: pow_target(20, 20, 12)', () => {
    expect(powTarget(20, 20, 12)).toBe(771946525395830978497002573683960742805751636319313395421818009383503547160n);
  });

  it('not capped: pow_target(20, 200000, 12)', () => {
    expect(powTarget(20, 200_000, 12)).toBe(11574228623567775471528085581038571683760509746329738253007553123311417715n);
  });

  it('V9: pow_target(20, 10000, 12) has frac 33554 → ≈ 19.9997 expected hits per block', () => {
    const frac = powTarget(20, 10_000, 12) / (U256_MAX >> 24n);
    expect(frac).toBe(33554n);
    expect(Math.abs((Number(frac) / 2 ** 24) * 10_000 - 19.9997)).toBeLessThan(1e-4);
  });

  it('N ≤ 3000 gives about 1/150 per worker per block (2 per hour)', () => {
    const frac = powTarget(20, 3000, 12) / (U256_MAX >> 24n);
    expect(Math.abs(Number(frac) / 2 ** 24 - 1 / 150)).toBeLessThan(1e-6);
  });

  it('rejects non-u32 input and a zero block time', () => {
    expect(() => powTarget(-1, 10, 12)).toThrow(/u32/);
    expect(() => powTarget(20, 10, 0)).toThrow(/positive/);
  });

  it('never exceeds U256::MAX and grows with the expected count up to the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 1_000_000 }), (tx, n) => {
        const t = powTarget(tx, n, 12);
        return t <= U256_MAX && t <= powTarget(tx + 1, n, 12);
      }),
    );
  });
});

describe('heartbeat challenge hit test', () => {
  it('hashes the pubkey bytes with blake2b-256, big-endian', () => {
    // blake2b-256 of 32 zero bytes (well-known: 89eb0d6a8a691dae2cd15ed0369931ce0a949ecafa5c3f93f8121833646e15c3)
    expect(workerPubkeyHash(`0x${'00'.repeat(32)}`)).toBe(0x89eb0d6a8a691dae2cd15ed0369931ce0a949ecafa5c3f93f8121833646e15c3n);
  });

  it('hits iff hash XOR seed ≤ target', () => {
    const h = workerPubkeyHash(`0x${'01'.repeat(32)}`);
    expect(challengeHit(h, h, 0n)).toBe(true);
    expect(challengeHit(h, h ^ 1n, 0n)).toBe(false);
    expect(challengeHit(h, h ^ 1n, 1n)).toBe(true);
    expect(challengeHit(h, 0n, U256_MAX)).toBe(true);
  });

  it('rejects malformed pubkeys', () => {
    expect(() => workerPubkeyHash(`0x${'AA'.repeat(32)}`)).toThrow(/lowercase hex/);
    expect(() => workerPubkeyHash('0x01')).toThrow(/64/);
  });
});
