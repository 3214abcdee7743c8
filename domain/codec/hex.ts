/** Hex text ↔ bytes at the edges (`0x`-prefixed, lowercase out; strict in). */

const HEX = /^0x([0-9a-fA-F]{2})*$/;
const DIGITS = '0123456789abcdef';

/** Lowercase hex of `b` without prefix. */
export function toHexPlain(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const x = b[i] ?? 0;
    s += DIGITS[x >> 4]! + DIGITS[x & 15]!;
  }
  return s;
}

/** `0x`-prefixed lowercase hex of `b`. */
export function toHex(b: Uint8Array): string {
  return `0x${toHexPlain(b)}`;
}

/**
 * Parse `0x`-prefixed hex; `what` names the value in the error, `length` (bytes) is checked when
 * given. Throws a `TypeError` with a one-line reason.
 */
export function fromHex(hex: string, what: string, length?: number): Uint8Array {
  if (typeof hex !== 'string') throw new TypeError(`${what}: expected a 0x-prefixed hex string, got ${typeof hex}`);
  if (!HEX.test(hex)) {
    const shown = hex.length > 20 ? `${hex.slice(0, 20)}…` : hex;
    throw new TypeError(`${what}: "${shown}" is not valid hex (expected 0x then an even number of hex digits)`);
  }
  const n = (hex.length - 2) / 2;
  if (length !== undefined && n !== length) throw new TypeError(`${what}: expected ${length} bytes, got ${n}`);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}
