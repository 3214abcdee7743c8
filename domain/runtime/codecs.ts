/**
 * Small SCALE codecs the runtime's storage and events share. Byte strings are carried as `0x`
 * lowercase hex in TypeScript and as raw bytes in SCALE.
 */
import { enhanceCodec, type Codec } from 'scale-ts';
import { fixedBytes } from '../codec/scale';

const HEX = /^0x([0-9a-f]{2})*$/;

/** `0x` hex ↔ raw bytes of a fixed length (no length prefix in SCALE). */
export function fixedHex(length: number): Codec<string> {
  return enhanceCodec(
    // strict: a short input is a DecodeError, never a silently shorter value
    fixedBytes(length),
    (hex: string) => {
      if (!HEX.test(hex) || hex.length !== 2 + 2 * length) {
        throw new Error(`expected 0x + ${2 * length} lowercase hex digits, got ${hex.slice(0, 80)}`);
      }
      return Buffer.from(hex.slice(2), 'hex');
    },
    (bytes: Uint8Array) => `0x${Buffer.from(bytes).toString('hex')}`,
  );
}

/** A 32-byte account id as `0x` hex. */
export const AccountId = fixedHex(32);
