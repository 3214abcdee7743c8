import { blake2b } from '@noble/hashes/blake2.js';

const HEX = /^0x([0-9a-fA-F]{2})*$/;

/** The raw bytes of a worker pubkey: `0x…` hex, otherwise its UTF-8 text. */
export const pubkeyBytes = (pubkey: string): Uint8Array => {
  if (!HEX.test(pubkey)) return new TextEncoder().encode(pubkey);
  const out = new Uint8Array((pubkey.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(pubkey.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
};

/**
 * `hashed_id = U256(blake2_256(pubkey))`, big-endian: a worker is challenged when
 * `hashed_id XOR seed <= online_target` (Phala `system/mod.rs` `WorkerState::new`).
 */
export const hashedId = (pubkey: string): bigint => {
  const h = blake2b(pubkeyBytes(pubkey), { dkLen: 32 });
  let x = 0n;
  for (const byte of h) x = (x << 8n) | BigInt(byte);
  return x;
};

/** OrdMap order of pubkeys (byte order for equal-length hex). */
export const byPubkey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
