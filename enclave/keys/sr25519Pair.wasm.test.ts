import fc from 'fast-check';
import { getPublicKey, secretFromSeed } from '@scure/sr25519';
import { initWasmCrypto } from '../wasmCrypto';
import { installWasmKeypairFromSeed, pairFromSeed } from './sr25519Pair';

describe('pairFromSeed on the wasm path', () => {
  beforeAll(() => initWasmCrypto());

  it('gives @scure/sr25519 bytes for every seed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pair = pairFromSeed(seed);
        const secretKey = secretFromSeed(seed);
        expect(Buffer.from(pair.secretKey)).toEqual(Buffer.from(secretKey));
        expect(Buffer.from(pair.publicKey)).toEqual(Buffer.from(getPublicKey(secretKey)));
      }),
      { numRuns: 40 },
    );
  });

  it('refuses an expansion that does not reproduce @scure/sr25519', () => {
    expect(() => installWasmKeypairFromSeed((seed) => new Uint8Array(96).fill(seed[0]!))).toThrow(/self-test/);
  });
});
