import { getPublicKey } from '@scure/sr25519';

/** Compressed ristretto255 base point. */
const BASEPOINT = Uint8Array.from(Buffer.from('e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76', 'hex'));

/** @polkadot/wasm-crypto `sr25519Agree(publicKey, secretKey)`: scalar(secretKey) · publicKey. */
export type RawSr25519Agree = (publicKey: Uint8Array, secretKey: Uint8Array) => Uint8Array;

let wasmAgree: RawSr25519Agree | undefined;

/**
 * Lets {@link multiplyBase} use wasm-crypto's agreement (scalar · point in wasm, about twice as fast
 * as @scure's JS base multiplication). Called by `initWasmCrypto()`; results are identical.
 */
export function installWasmBaseMultiply(agree: RawSr25519Agree): void {
  wasmAgree = agree;
}

/**
 * `k · B`, compressed, for a scalar given in the ed25519 secret form (64 bytes: k·8 as 32
 * little-endian bytes, then 32 ignored bytes) — the form both @scure's `getPublicKey` and
 * schnorrkel's `from_ed25519_bytes` divide by the cofactor.
 */
export function multiplyBase(edFormScalar: Uint8Array): Uint8Array {
  return wasmAgree === undefined ? getPublicKey(edFormScalar) : wasmAgree(BASEPOINT, edFormScalar);
}
