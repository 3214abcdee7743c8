/**
 * Account and id derivations (DOMAIN.md §8.2, §9.2, §14 F33), following Phala's code:
 * Substrate "decode an AccountId32 from a zero-padded input" (`TrailingZeroInput`) keeps the first
 * 32 bytes of the SCALE encoding of `(prefix: &[u8; n], hash)` — fixed arrays carry no length
 * prefix, so the account is `prefix ‖ hash` truncated to 32 bytes (or padded with zeros).
 */
import { blake2b256 } from '../codec/hash';
import { fromHex, toHex } from '../codec/hex';
import { concatBytes, u64 } from '../codec/scale';
import { AccountId, ClusterId, ContractId } from './ids';

const utf8 = new TextEncoder();

/** `prefix ‖ rest`, zero-padded or truncated to 32 bytes, as an AccountId. */
function truncatingAccount(...parts: Uint8Array[]): AccountId {
  const out = new Uint8Array(32);
  const all = concatBytes(...parts);
  out.set(all.subarray(0, 32));
  return AccountId.fromBytes(out);
}

function pidKeyHash(pid: bigint, key32: Uint8Array): Uint8Array {
  return blake2b256(u64.enc(pid), key32);
}

function checkPid(pid: bigint): bigint {
  if (typeof pid !== 'bigint' || pid < 0n || pid >= 1n << 64n) throw new RangeError(`pool id must be a u64 bigint, got ${String(pid)}`);
  return pid;
}

/** Stake pool free-stake account: `b"bp/" ‖ blake2_256(SCALE((pid u64, owner)))` (`generate_staker_account`). */
export function poolAccount(pid: bigint, owner: string): AccountId {
  return truncatingAccount(utf8.encode('bp/'), pidKeyHash(checkPid(pid), fromHex(owner, 'owner', 32)));
}

/** Owner reward account: `b"so/" ‖ blake2_256(SCALE((pid, owner)))`. */
export function ownerRewardAccount(pid: bigint, owner: string): AccountId {
  return truncatingAccount(utf8.encode('so/'), pidKeyHash(checkPid(pid), fromHex(owner, 'owner', 32)));
}

/** Lock account (stake held by computing workers): `b"sl/" ‖ blake2_256(SCALE((pid, owner)))`. */
export function lockAccount(pid: bigint, owner: string): AccountId {
  return truncatingAccount(utf8.encode('sl/'), pidKeyHash(checkPid(pid), fromHex(owner, 'owner', 32)));
}

/**
 * The worker session (sub-)account bound to a worker in a pool:
 * `b"spm/" ‖ blake2_256(SCALE((pid u64, worker_pubkey)))`, truncated to 32 bytes.
 * `workerPubkey` is `0x` hex of 32 bytes; returns `0x` lowercase hex.
 */
export function poolSubAccount(pid: bigint, workerPubkey: string): string {
  return truncatingAccount(utf8.encode('spm/'), pidKeyHash(checkPid(pid), fromHex(workerPubkey, 'worker pubkey', 32)));
}

/** The base pool NFT issuer: `b"basepool"` zero-padded. */
export const NFT_ISSUER_ACCOUNT: AccountId = truncatingAccount(utf8.encode('basepool'));

/** The W-PHA reserve account: `b"wpha/"` zero-padded. */
export const WPHA_ACCOUNT: AccountId = truncatingAccount(utf8.encode('wpha/'));

/** `PalletId(id).into_account_truncating()`: `b"modl" ‖ id(8 bytes)`, zero-padded. */
export function palletAccount(palletId: string): AccountId {
  const id = utf8.encode(palletId);
  if (id.length !== 8) throw new RangeError(`a PalletId is 8 bytes, "${palletId}" is ${id.length}`);
  return truncatingAccount(utf8.encode('modl'), id);
}

/** The computation subsidy pool, `PalletId(*b"phala/pp")`. */
export const SUBSIDY_POOL_ACCOUNT: AccountId = palletAccount('phala/pp');

/** Cluster account: `blake2_256(b"cluster:" ‖ cluster_id)` (`phat.rs` `cluster_account`). */
export function clusterAccount(clusterId: string): AccountId {
  return AccountId.fromBytes(blake2b256(utf8.encode('cluster:'), fromHex(clusterId, 'cluster id', 32)));
}

/**
 * Contract id: `blake2_256(deployer ‖ code_hash ‖ cluster_id ‖ salt)` (`contract_id_preimage`).
 * deployer and cluster id are 32 bytes; code hash and salt any length. Hex in, `0x` hex out.
 */
export function contractId(deployer: string, codeHash: string, clusterId: string, salt: string): string {
  const preimage = concatBytes(
    fromHex(deployer, 'deployer', 32),
    fromHex(codeHash, 'code hash'),
    fromHex(clusterId, 'cluster id', 32),
    fromHex(salt, 'salt'),
  );
  return ContractId.fromBytes(blake2b256(preimage));
}

/** A cluster's system contract id: `contractId(owner, pinkSystemCodeHash, cluster, empty salt)` (§14 F33). */
export function systemContractId(owner: string, systemCodeHash: string, clusterId: string): ContractId {
  return ContractId.parse(contractId(owner, systemCodeHash, clusterId, '0x'));
}

/** The id of the n-th cluster (`H256::from_low_u64_be(n)`; 0 is reserved). */
export function clusterIdOf(counter: bigint): ClusterId {
  return ClusterId.fromCounter(counter);
}

/** `0x` hex of raw bytes (re-exported for callers deriving ids from bytes). */
export const hexOf = toHex;
