/**
 * The heartbeat lottery as every worker and every GK replica decides it
 * (`crates/phactory/src/system/mod.rs` `handle_heartbeat_challenge`, DOMAIN.md §5.5): a worker is
 * hit when `blake2_256(pubkey)` read as a big-endian U256, XOR the block's seed, is ≤ the target.
 */
import { blake2_256 } from '../crypto/hashing';

const PUBKEY = /^0x[0-9a-f]{64}$/;

/** Throws unless `pubkey` is `0x` + 64 lowercase hex digits (a 32-byte sr25519 public key). */
export function assertWorkerPubkey(pubkey: string): string {
  if (typeof pubkey !== 'string' || !PUBKEY.test(pubkey)) {
    throw new TypeError(`worker pubkey must be 0x followed by 64 lowercase hex digits, got ${JSON.stringify(pubkey)}`);
  }
  return pubkey;
}

/** `blake2_256(pubkey bytes)` as a big-endian U256 (`WorkerState::hashed_id`). */
export function workerPubkeyHash(pubkey: string): bigint {
  const digest = blake2_256(Buffer.from(assertWorkerPubkey(pubkey).slice(2), 'hex'));
  return BigInt(`0x${Buffer.from(digest).toString('hex')}`);
}

/** The hit test: `hashed_id XOR seed ≤ online_target` (all U256). */
export function challengeHit(pubkeyHash: bigint, seed: bigint, onlineTarget: bigint): boolean {
  return (pubkeyHash ^ seed) <= onlineTarget;
}
