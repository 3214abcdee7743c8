/**
 * Pallet-controlled accounts of the stake pools (DOMAIN.md §8.2): a short prefix followed by
 * blake2_256(SCALE(pid: u64, 32-byte account or worker key)), cut to 32 bytes, and the
 * zero-padded pallet ids. Private helpers until `domain/ids/` provides the shared derivations.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import type { AccountIdHex } from '../../runtime/types';

const ascii = (s: string) => new TextEncoder().encode(s);
const toHex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** Zero-pads (or cuts) bytes to a 32-byte account id (Substrate `TrailingZeroInput`). */
function padded(bytes: Uint8Array): AccountIdHex {
  const out = new Uint8Array(32);
  out.set(bytes.subarray(0, 32));
  return toHex(out);
}

/** `prefix ‖ blake2_256(SCALE(pid u64, who))`, the first 32 bytes. */
export function subAccount(prefix: string, pid: bigint, who: AccountIdHex): AccountIdHex {
  const input = new Uint8Array(40);
  new DataView(input.buffer).setBigUint64(0, pid, true);
  input.set(Buffer.from(who.slice(2), 'hex'), 8);
  const hash = blake2b(input, { dkLen: 32 });
  const p = ascii(prefix);
  const out = new Uint8Array(p.length + hash.length);
  out.set(p, 0);
  out.set(hash, p.length);
  return padded(out);
}

/** Pool (free stake) account `bp/…`. */
export const poolAccount = (pid: bigint, owner: AccountIdHex) => subAccount('bp/', pid, owner);
/** Owner reward account `so/…`. */
export const ownerRewardAccount = (pid: bigint, owner: AccountIdHex) => subAccount('so/', pid, owner);
/** Lock account (stake in workers) `sl/…`. */
export const lockAccount = (pid: bigint, owner: AccountIdHex) => subAccount('sl/', pid, owner);
/** Worker session sub-account `spm/…`. */
export const sessionAccount = (pid: bigint, worker: AccountIdHex) => subAccount('spm/', pid, worker);

/** `WrappedBalancesAccountId`: `"wpha/"` zero-padded; holds every wrapped PHA. */
export const WPHA_ACCOUNT: AccountIdHex = padded(ascii('wpha/'));

/** The computation pallet's subsidy pool, `PalletId(*b"phala/pp")`: `"modl" ‖ id`, zero-padded. */
export const SUBSIDY_POOL_ACCOUNT: AccountIdHex = padded(ascii('modlphala/pp'));
