/**
 * Derivation vectors. `contractId` and `poolSubAccount` are pinned to Phala's own tests
 * (`crates/phala-types/src/contract.rs` test_codecs, `pallets/phala/src/test.rs` test_pool_subaccount);
 * the others were computed independently with Python's hashlib.blake2b(digest_size=32) following
 * the Rust code (`(prefix: &[u8; n], hash).encode()` decoded as a zero-padded AccountId32).
 */
import { isLeft, isRight } from 'fp-ts/Either';
import * as d from '../index';

const rep = (byte: string) => `0x${byte.repeat(32)}`;

describe('account derivations (DOMAIN.md §8.2, §14 F33)', () => {
  it('contractId matches Phala test_codecs', () => {
    expect(d.contractId(rep('01'), '0x010203', rep('01'), '0x010203')).toBe('0x29a773373d12f21a9407333f6e1c9db09aed5c03d21e91060c2f34ac2b86ecb4');
    expect(d.contractId(rep('01').toUpperCase().replace('0X', '0x'), '0x010203', rep('01'), '0x010203')).toBe(
      '0x29a773373d12f21a9407333f6e1c9db09aed5c03d21e91060c2f34ac2b86ecb4',
    );
  });

  it('poolSubAccount matches Phala test_pool_subaccount', () => {
    expect(d.poolSubAccount(1n, rep('00'))).toBe('0x73706d2f02ab4d74c86ec3b3997a4fadf33e55e8279650c8539ea67e053c02dc');
  });

  it('poolSubAccount is b"spm/" ‖ blake2_256((pid u64, pubkey)) truncated to 32 bytes', () => {
    expect(d.poolSubAccount(1n, rep('02'))).toBe('0x73706d2f09ea00df921b55e0e1b23509e074888e5ed674997819bb5033ff21bf');
    expect(d.poolSubAccount(2n, rep('02'))).not.toBe(d.poolSubAccount(1n, rep('02')));
  });

  it('pool, owner-reward and lock accounts share one hash under different prefixes', () => {
    const owner = rep('03');
    expect(d.poolAccount(7n, owner)).toBe('0x62702f269cfa51b0b455c5b2faf2b1c2b4d3ee1c90b182628a9b9b03f3342b7d');
    expect(d.ownerRewardAccount(7n, owner)).toBe('0x736f2f269cfa51b0b455c5b2faf2b1c2b4d3ee1c90b182628a9b9b03f3342b7d');
    expect(d.lockAccount(7n, owner)).toBe('0x736c2f269cfa51b0b455c5b2faf2b1c2b4d3ee1c90b182628a9b9b03f3342b7d');
  });

  it('pallet-owned accounts are their ids zero-padded', () => {
    expect(d.SUBSIDY_POOL_ACCOUNT).toBe('0x6d6f646c7068616c612f70700000000000000000000000000000000000000000');
    expect(d.WPHA_ACCOUNT).toBe('0x777068612f000000000000000000000000000000000000000000000000000000');
    expect(d.NFT_ISSUER_ACCOUNT).toBe('0x62617365706f6f6c000000000000000000000000000000000000000000000000');
    expect(() => d.palletAccount('short')).toThrow(/8 bytes/);
  });

  it('cluster ids, cluster accounts and system contract ids', () => {
    const cluster = d.clusterIdOf(1n);
    expect(cluster).toBe(`0x${'00'.repeat(31)}01`);
    expect(d.clusterIdOf(0x0102n)).toBe(`0x${'00'.repeat(30)}0102`);
    expect(d.clusterAccount(cluster)).toBe('0x823c90daba0bd4ceb047034cc847b4e85c388c78153fac4f2855f82196f4d8e4');
    expect(d.systemContractId(rep('01'), rep('02'), cluster)).toBe(d.contractId(rep('01'), rep('02'), cluster, '0x'));
  });

  it('rejects bad hex with a clear message', () => {
    expect(() => d.poolSubAccount(1n, '0x12')).toThrow('worker pubkey: expected 32 bytes, got 1');
    expect(() => d.poolSubAccount(1n, rep('zz'))).toThrow(/worker pubkey: .* is not valid hex/);
    expect(() => d.poolSubAccount(1n, '02'.repeat(32))).toThrow(/not valid hex/);
    expect(() => d.poolSubAccount(-1n, rep('02'))).toThrow(/u64/);
    expect(() => d.contractId(rep('01'), '0x0', rep('01'), '0x')).toThrow(/code hash/);
    expect(() => d.contractId(rep('01'), '0x00', '0x01', '0x')).toThrow(/cluster id: expected 32 bytes/);
  });
});

describe('branded ids', () => {
  it('parse to lowercase and validate at io-ts boundaries', () => {
    expect(d.WorkerPubkey.parse(rep('AB'))).toBe(rep('ab'));
    expect(d.WorkerPubkey.is(rep('ab'))).toBe(true);
    expect(d.WorkerPubkey.is(rep('AB'))).toBe(false);
    const ok = d.AccountId.io.decode(rep('Cd'));
    expect(isRight(ok) && ok.right).toBe(rep('cd'));
    expect(isLeft(d.AccountId.io.decode('0x1234'))).toBe(true);
    expect(isLeft(d.AccountId.io.decode(42))).toBe(true);
  });

  it('encode as raw 32 bytes', () => {
    const id = d.H256.parse(rep('05'));
    expect(d.H256.codec.enc(id)).toEqual(new Uint8Array(32).fill(5));
    expect(d.decodeExact(d.H256.codec, new Uint8Array(32).fill(5), 'H256')).toBe(id);
  });

  it('BlockNumber and PoolId keep to u32 / u64', () => {
    expect(d.BlockNumber.of(7)).toBe(7);
    expect(() => d.BlockNumber.of(2 ** 32)).toThrow(RangeError);
    expect(isLeft(d.BlockNumber.io.decode(-1))).toBe(true);
    expect(d.PoolId.of(3n)).toBe(3n);
    const pid = d.PoolId.io.decode('18446744073709551615');
    expect(isRight(pid) && pid.right).toBe((1n << 64n) - 1n);
    expect(isLeft(d.PoolId.io.decode('18446744073709551616'))).toBe(true);
    expect(isLeft(d.PoolId.io.decode('01'))).toBe(true);
    expect(d.PoolId.io.encode(d.PoolId.of(9n))).toBe('9');
    expect(d.PoolId.codec.enc(d.PoolId.of(1n))).toEqual(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0));
  });
});
