import { readFileSync } from 'node:fs';
import { isRight } from 'fp-ts/Either';
import { announceSignature, knownVerdict, sr25519Verify, sr25519VerifyOn } from '../../domain/crypto';
import { pairFromSeed } from '../../enclave/keys/sr25519Pair';
import { signWith } from '../../enclave/signing';
import { seededRandom } from '../../simulations/seededRandom';
import { runSimulation } from '../../simulations/run/runSimulation';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../../simulations/scenario';
import { memoryEventStore } from '../store/memoryEventStore';
import { initCrypto } from './initCrypto';
import { startVerifyPool, type VerifyPool } from './verifyPool';

const text = (s: string) => new TextEncoder().encode(s);

describe('verify pool (speculative sr25519 verification on worker threads)', () => {
  let pool: VerifyPool | undefined;
  beforeAll(() => initCrypto());
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('answers the verification of every announced signature with the verdict the wasm path gives', async () => {
    pool = await startVerifyPool(1);
    const random = seededRandom(3n);
    const pairs = [1, 2, 3].map((k) => pairFromSeed(new Uint8Array(32).fill(k)));
    const signed = Array.from({ length: 60 }, (_, i) => {
      const pair = pairs[i % 3]!;
      const message = text(`message ${i}`);
      return { message, signature: signWith(pair, message, random), publicKey: pair.publicKey };
    });
    // a signature announced but invalid (another key's): the worker's verdict must be "invalid" too
    const forged = { message: text('forged'), signature: signWith(pairs[0]!, text('forged'), random), publicKey: pairs[1]!.publicKey };
    announceSignature(forged.message, forged.signature, forged.publicKey);
    pool.drain();
    for (const s of signed) expect(sr25519Verify(s.message, s.signature, s.publicKey)).toBe(true);
    expect(sr25519Verify(forged.message, forged.signature, forged.publicKey)).toBe(false);
    expect(sr25519VerifyOn('wasm', forged.message, forged.signature, forged.publicKey)).toBe(false);
    // all 61 + the forged signature's own announcement by signWith (under pairs[0]) were posted
    expect(pool.stats()).toEqual({ posted: 62, answered: 61, claimed: 0 });
  });

  it('never answers for other bytes than those announced, and answers each signature once', async () => {
    pool = await startVerifyPool(1);
    const pair = pairFromSeed(new Uint8Array(32).fill(9));
    const signature = signWith(pair, text('pay 10'), seededRandom(1n));
    pool.drain();
    expect(knownVerdict(text('pay 99'), signature, pair.publicKey)).toBeUndefined(); // message differs
    expect(knownVerdict(text('pay 10'), signature, pairFromSeed(new Uint8Array(32).fill(8)).publicKey)).toBeUndefined(); // key differs
    expect(sr25519Verify(text('pay 99'), signature, pair.publicKey)).toBe(false); // verified inline
    expect(knownVerdict(text('pay 10'), signature, pair.publicKey)).toBe(true);
    expect(knownVerdict(text('pay 10'), signature, pair.publicKey)).toBeUndefined(); // consumed
    expect(sr25519Verify(text('pay 10'), signature, pair.publicKey)).toBe(true); // inline again
  });

  it('claims a job the worker has not started and verifies it inline; close() uninstalls the source', async () => {
    pool = await startVerifyPool(1);
    const pair = pairFromSeed(new Uint8Array(32).fill(4));
    const random = seededRandom(2n);
    // Many announcements at once: the last ones are still queued when asked for.
    const signed = Array.from({ length: 40 }, (_, i) => ({ message: text(`m${i}`), signature: signWith(pair, text(`m${i}`), random) }));
    for (const s of signed.reverse()) expect(sr25519Verify(s.message, s.signature, pair.publicKey)).toBe(true);
    const { posted, answered, claimed } = pool.stats();
    expect([posted, answered + claimed]).toEqual([40, 40]);
    await pool.close();
    pool = undefined;
    const late = signWith(pair, text('late'), random);
    expect(knownVerdict(text('late'), late, pair.publicKey)).toBeUndefined();
  });

  it('leaves a simulation byte-identical: the same seed gives the same head with or without the pool', async () => {
    const loaded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart');
    if (!isRight(loaded)) throw new Error('quickstart does not load');
    const run = () => runSimulation({ scenario: resolveScenario(loaded.right, { seed: 5n, blocks: 30 }), store: memoryEventStore() });
    const without = await run();
    pool = await startVerifyPool(1);
    const withPool = await run();
    expect(withPool.head).toEqual(without.head);
    expect(pool.stats().answered + pool.stats().claimed).toBeGreaterThan(50);
  }, 120_000);

  it('refuses a thread count that is not an integer from 0 to 64; 0 installs nothing', async () => {
    await expect(startVerifyPool(-1)).rejects.toThrow(/threads must be an integer from 0 to 64, got -1/);
    await expect(startVerifyPool(1.5)).rejects.toThrow(/got 1.5/);
    pool = await startVerifyPool(0);
    const pair = pairFromSeed(new Uint8Array(32).fill(6));
    const signature = signWith(pair, text('x'), seededRandom(1n));
    expect(knownVerdict(text('x'), signature, pair.publicKey)).toBeUndefined();
  });
});
