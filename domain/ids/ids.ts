/**
 * Branded ids. Each type has a same-name companion holding its SCALE codec, its io-ts codec for
 * `0x` hex (or decimal) boundaries, and helpers. 32-byte ids are lowercase `0x` hex strings,
 * so they are usable as map keys and print as they do in Phala's tools.
 */
import * as t from 'io-ts';
import { fromHex, toHex } from '../codec/hex';
import { type Codec, createCodec, fixedBytes, u32, u64 } from '../codec/scale';

const HEX32 = /^0x[0-9a-f]{64}$/;

/** A 32-byte id type and its companion. */
export interface Hash32Companion<B extends string> {
  readonly name: string;
  /** SCALE `[u8; 32]` as the branded hex string. */
  readonly codec: Codec<B>;
  /** io-ts: accepts `0x` hex of 32 bytes (any case), yields lowercase. */
  readonly io: t.Type<B, string, unknown>;
  is(x: unknown): x is B;
  /** Parse `0x` hex (any case); throws a `TypeError` naming the id on bad input. */
  parse(hex: string): B;
  fromBytes(b: Uint8Array): B;
  toBytes(id: B): Uint8Array;
}

function hash32<B extends string>(name: string): Hash32Companion<B> {
  const is = (x: unknown): x is B => typeof x === 'string' && HEX32.test(x);
  const fromBytes = (b: Uint8Array): B => {
    if (b.length !== 32) throw new TypeError(`${name}: expected 32 bytes, got ${b.length}`);
    return toHex(b) as B;
  };
  const parse = (hex: string): B => fromBytes(fromHex(hex, name, 32));
  const toBytes = (id: B): Uint8Array => fromHex(id, name, 32);
  const raw = fixedBytes(32);
  const io = new t.Type<B, string, unknown>(
    name,
    is,
    (u, ctx) => {
      if (typeof u !== 'string') return t.failure(u, ctx, `${name} must be a 0x-prefixed hex string`);
      try {
        return t.success(parse(u));
      } catch (e) {
        return t.failure(u, ctx, e instanceof Error ? e.message : String(e));
      }
    },
    (b) => b,
  );
  return { name, codec: createCodec((id: B) => raw.enc(toBytes(id)), (b) => fromBytes(raw.dec(b))), io, is, parse, fromBytes, toBytes };
}

declare const h256Brand: unique symbol;
/** A 32-byte hash, `0x` lowercase hex. */
export type H256 = string & { readonly [h256Brand]: 'H256' };
/** Companion of `H256`. */
export const H256 = hash32<H256>('H256');

declare const workerPubkeyBrand: unique symbol;
/** A worker's sr25519 identity public key, `0x` lowercase hex. */
export type WorkerPubkey = string & { readonly [workerPubkeyBrand]: 'WorkerPubkey' };
/** Companion of `WorkerPubkey`. */
export const WorkerPubkey = hash32<WorkerPubkey>('WorkerPubkey');

declare const accountIdBrand: unique symbol;
/** An AccountId32, `0x` lowercase hex. */
export type AccountId = string & { readonly [accountIdBrand]: 'AccountId' };
/** Companion of `AccountId`. */
export const AccountId = hash32<AccountId>('AccountId');

declare const clusterIdBrand: unique symbol;
/** A Phat cluster id (`H256::from_low_u64_be(counter)`), `0x` lowercase hex. */
export type ClusterId = string & { readonly [clusterIdBrand]: 'ClusterId' };
/** Companion of `ClusterId`, plus `fromCounter`. */
export const ClusterId = {
  ...hash32<ClusterId>('ClusterId'),
  /** `H256::from_low_u64_be(n)`: the counter in the last 8 bytes, big-endian. */
  fromCounter(n: bigint): ClusterId {
    if (n < 0n || n >= 1n << 64n) throw new RangeError(`cluster counter out of range: ${n}`);
    const b = new Uint8Array(32);
    new DataView(b.buffer).setBigUint64(24, n, false);
    return toHex(b) as ClusterId;
  },
};

declare const contractIdBrand: unique symbol;
/** A contract id (`blake2_256(deployer ‖ code_hash ‖ cluster_id ‖ salt)`), `0x` lowercase hex. */
export type ContractId = string & { readonly [contractIdBrand]: 'ContractId' };
/** Companion of `ContractId`. */
export const ContractId = hash32<ContractId>('ContractId');

declare const blockNumberBrand: unique symbol;
/** A block number (u32). */
export type BlockNumber = number & { readonly [blockNumberBrand]: 'BlockNumber' };
const isBlockNumber = (x: unknown): x is BlockNumber => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffffffff;
/** Companion of `BlockNumber`. */
export const BlockNumber = {
  codec: createCodec((n: BlockNumber) => u32.enc(n), (b) => u32.dec(b) as BlockNumber),
  is: isBlockNumber,
  /** Throws unless `n` is an integer in u32 range. */
  of(n: number): BlockNumber {
    if (!isBlockNumber(n)) throw new RangeError(`BlockNumber must be an integer in [0, 2^32), got ${n}`);
    return n;
  },
  io: new t.Type<BlockNumber, number, unknown>(
    'BlockNumber',
    isBlockNumber,
    (u, ctx) => (isBlockNumber(u) ? t.success(u) : t.failure(u, ctx, 'BlockNumber must be an integer in [0, 2^32)')),
    (n) => n,
  ),
};

declare const poolIdBrand: unique symbol;
/** A stake pool / vault id (u64 from the shared `PoolCount`). */
export type PoolId = bigint & { readonly [poolIdBrand]: 'PoolId' };
const DECIMAL = /^(0|[1-9][0-9]*)$/;
const isPoolId = (x: unknown): x is PoolId => typeof x === 'bigint' && x >= 0n && x < 1n << 64n;
/** Companion of `PoolId`; io-ts accepts a safe integer number or a decimal string. */
export const PoolId = {
  codec: createCodec((n: PoolId) => u64.enc(n), (b) => u64.dec(b) as PoolId),
  is: isPoolId,
  /** Throws unless `n` is in u64 range. */
  of(n: bigint): PoolId {
    if (!isPoolId(n)) throw new RangeError(`PoolId must be in [0, 2^64), got ${String(n)}`);
    return n;
  },
  io: new t.Type<PoolId, string, unknown>(
    'PoolId',
    isPoolId,
    (u, ctx) => {
      const n =
        typeof u === 'number' && Number.isSafeInteger(u) ? BigInt(u) : typeof u === 'string' && DECIMAL.test(u) ? BigInt(u) : undefined;
      return n !== undefined && isPoolId(n) ? t.success(n) : t.failure(u, ctx, 'PoolId must be a u64 (number or decimal string)');
    },
    (n) => n.toString(),
  ),
};
