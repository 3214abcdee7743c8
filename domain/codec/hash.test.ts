import { blake2AsU8a, cryptoWaitReady } from '@polkadot/util-crypto';
import { blake2b256 } from './hash';
import { toHexPlain } from './hex';

describe('blake2b256', () => {
  it('gives the same digest on the JS path (before wasm is ready) and the wasm path', async () => {
    const data = new TextEncoder().encode('abc');
    const beforeReady = toHexPlain(blake2b256(data));
    await cryptoWaitReady();
    expect(toHexPlain(blake2b256(data))).toBe(beforeReady);
    expect(toHexPlain(blake2AsU8a(data, 256, undefined, true))).toBe(beforeReady);
    // RFC 7693-style reference: blake2b-256("abc")
    expect(beforeReady).toBe('bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319');
  });

  it('hashes the concatenation of its parts', () => {
    const [a, b] = [Uint8Array.of(1, 2), Uint8Array.of(3)];
    expect(blake2b256(a, b)).toEqual(blake2b256(Uint8Array.of(1, 2, 3)));
    expect(blake2b256()).toEqual(blake2b256(new Uint8Array(0)));
  });
});
