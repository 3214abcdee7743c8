import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { agree } from '../ecdh';
import { gkIv, nextRandomNumber } from '../gkDeterminism';
import { decryptKeyFrom, encryptKeyTo } from '../keyShare';
import { clusterKeyOf, contractKeyOf, derivePair } from './derivationTree';
import { type Sr25519Pair, deriveSr25519Pair, pairFromCanonicalSecret, pairFromSeed } from './sr25519Pair';

// Output of enclave/testing/phalaVectors (schnorrkel + ring + dalek, the crates Phala uses).
const vectors = new Map(
  readFileSync(join(__dirname, '../testing/phalaVectors/vectors.txt'), 'utf8')
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('rc='))
    .map((l) => {
      const at = l.lastIndexOf(' ');
      return [l.slice(0, at), l.slice(at + 1)] as const;
    }),
);
const v = (name: string) => {
  const value = vectors.get(name);
  if (value === undefined) throw new Error(`no vector ${name}`);
  return value;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);

const key0 = pairFromSeed(utf8('12345678901234567890123456789012'));
const key1 = pairFromSeed(utf8('12345678901234567890123456789013'));

function expectPair(name: string, pair: Sr25519Pair) {
  expect({ name, public: hex(pair.publicKey), canonical: hex(pair.canonicalSecret), ed25519: hex(pair.secretKey) }).toEqual({
    name,
    public: v(`${name}.public`),
    canonical: v(`${name}.canonical`),
    ed25519: v(`${name}.ed25519`),
  });
}

describe('bit-exact against Phala’s crypto crates', () => {
  it('Pair::from_seed: public key, canonical secret (dump_secret_key) and ed25519 form', () => {
    expectPair('key0', key0);
    expectPair('key1', key1);
    expectPair('key0', pairFromCanonicalSecret(bytes(v('key0.canonical'))));
  });

  it('derive_sr25519_pair over the derivation tree (HKDF on canonical bytes)', () => {
    expectPair('key0/test+test', deriveSr25519Pair(key0, [utf8('test'), utf8('test')]));
    expectPair('key0/random_number', derivePair(key0, { kind: 'random_number' }));
    expectPair('key0/iv_generator', derivePair(key0, { kind: 'iv_generator' }));
    expectPair('key0/master_key_sharing', derivePair(key0, { kind: 'master_key_sharing' }));
    const cluster = clusterKeyOf(key0, new Uint8Array(32).fill(7));
    expectPair('key0/cluster_key[7;32]', cluster);
    expectPair('key0/cluster_key[7;32]/contract_key[9;32]', contractKeyOf(cluster, new Uint8Array(32).fill(9)));
  });

  it('a derivation that hashed the polkadot-js (ed25519-form) bytes would not match', () => {
    const wrongForm = { ...key0, canonicalSecret: key0.secretKey };
    expect(hex(deriveSr25519Pair(wrongForm, [utf8('test'), utf8('test')]).publicKey)).not.toBe(v('key0/test+test.public'));
  });

  it('K1: ecdh::agree is symmetric and bit-exact', () => {
    const derived = deriveSr25519Pair(key0, [utf8('test'), utf8('test')]);
    expect(hex(agree(derived, key1.publicKey))).toBe(v('agree(key0/test+test, key1)'));
    expect(hex(agree(key1, derived.publicKey))).toBe(v('agree(key1, key0/test+test)'));
  });

  it('K2: key_share::it_works, bit-exact ciphertext, and the round trip gives [1u8; 64]', () => {
    const iv = utf8('12345678901234567890123456789012').slice(0, 12); // aead::generate_iv
    const shared = encryptKeyTo(key0, [utf8('test'), utf8('test')], key1.publicKey, new Uint8Array(64).fill(1), iv);
    expect(hex(shared.ecdhPubkey)).toBe(v('k2.ecdh_pubkey'));
    expect(hex(shared.encryptedKey)).toBe(v('k2.encrypted_key'));
    expect(shared.encryptedKey).toHaveLength(64 + 16); // K3
    expect(decryptKeyFrom(key1, shared)).toEqual(E.right(new Uint8Array(64).fill(1)));
  });

  it('GK master key sharing with a deterministic IV: bit-exact, and key1 recovers key0', () => {
    const iv = gkIv(key0, 100, 3n);
    expect(hex(iv)).toBe(v('gk_iv(key0,100,3)'));
    const shared = encryptKeyTo(key0, [utf8('master_key_sharing')], key1.publicKey, key0.canonicalSecret, iv);
    expect(hex(shared.ecdhPubkey)).toBe(v('share(key0->key1).ecdh_pubkey'));
    expect(hex(shared.encryptedKey)).toBe(v('share(key0->key1).encrypted_key'));
    expect(E.map(hex)(decryptKeyFrom(key1, shared))).toEqual(E.right(v('key0.canonical')));
  });

  it('GK random beacon: next_random_number bit-exact', () => {
    expect(hex(nextRandomNumber(key0, 105, new Uint8Array(32).fill(5)))).toBe(v('random(key0,105,[5;32])'));
  });
});
