import { verify as scureVerify } from '@scure/sr25519';
import { knownVerdict } from './verdicts';

/**
 * sr25519 signature verification with two interchangeable paths that must agree on every verdict
 * (ARCHITECTURE.md §3): `js` (@scure/sr25519, always available) and `wasm`
 * (@polkadot/wasm-crypto's schnorrkel, several times faster, but its module loads asynchronously).
 *
 * Domain code stays synchronous and may not import the wasm package, so the wasm function is
 * handed in by the composition root: `initWasmCrypto()` in `enclave/wasmCrypto.ts` awaits the wasm
 * module, then calls {@link installWasmSr25519Verify}, which also switches the default path to
 * `wasm`. Until then every verification runs on the `js` path. The switch is module state on
 * purpose: it only changes speed, never a verdict.
 */
export type Sr25519VerifyPath = 'js' | 'wasm';

/** A raw verification function in @polkadot/wasm-crypto's argument order. */
export type RawSr25519Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

let wasmVerify: RawSr25519Verify | undefined;
let defaultPath: Sr25519VerifyPath = 'js';

/** Length of an sr25519 public key (a compressed Ristretto point). */
export const SR25519_PUBLIC_KEY_BYTES = 32;
/** Length of an sr25519 signature (R ‖ s with the schnorrkel marker bit). */
export const SR25519_SIGNATURE_BYTES = 64;

const hexBytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => Number.parseInt(b, 16)));
// A fixed signature (made once with @scure/sr25519) that any correct verifier accepts.
const SELF_TEST = {
  message: new TextEncoder().encode('phalanet: wasm verifier self-test'),
  publicKey: hexBytes('7a2f2f257038180325754182d08f41b3613bc6332943cb8cd4143cd29fa54f49'),
  signature: hexBytes(
    'a23f123df57f7f101c8356acfe764bede8ef3bb3c0c575cfb70551f118133d0675e6377a5c1f36254b93bf999f65f23316f1256dbf7819f97a39d7f422f28986',
  ),
};

/**
 * Registers the wasm verifier (called once by `initWasmCrypto`, after the wasm is ready) and makes
 * `wasm` the default path. The function must accept a known signature and refuse it for another
 * message, or it is not installed: a wrong function here would change verdicts silently.
 */
export function installWasmSr25519Verify(verify: RawSr25519Verify): void {
  const { message, publicKey, signature } = SELF_TEST;
  if (!verify(signature, message, publicKey) || verify(signature, Uint8Array.of(...message, 0), publicKey)) {
    throw new Error('the wasm sr25519 verifier failed its self-test; not installed');
  }
  wasmVerify = verify;
  defaultPath = 'wasm';
}

/** Chooses the default path; `wasm` requires {@link installWasmSr25519Verify} first. */
export function selectSr25519VerifyPath(path: Sr25519VerifyPath): void {
  if (path === 'wasm' && wasmVerify === undefined) {
    throw new Error('sr25519 wasm path selected before initWasmCrypto() completed');
  }
  defaultPath = path;
}

/** The path {@link sr25519Verify} uses now. */
export function currentSr25519VerifyPath(): Sr25519VerifyPath {
  return defaultPath;
}

/** True once the wasm verifier is installed. */
export function isWasmSr25519VerifyReady(): boolean {
  return wasmVerify !== undefined;
}

// The ristretto255 identity encodes as 32 zero bytes (encodings are canonical). schnorrkel accepts
// any (R = s·B, s) as a signature under it, @scure/sr25519 refuses it; no key expanded from a seed
// can be the identity, so refusing it on both paths costs nothing and keeps the verdicts equal.
function isIdentityPoint(publicKey: Uint8Array): boolean {
  for (let i = 0; i < publicKey.length; i++) if (publicKey[i] !== 0) return false;
  return true;
}

/**
 * Verifies an sr25519 signature (substrate signing context) on the given path. Malformed input
 * (wrong lengths, bad point encodings, a missing schnorrkel marker, a non-canonical scalar) is
 * `false`, never an exception.
 */
export function sr25519VerifyOn(
  path: Sr25519VerifyPath,
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  if (signature.length !== SR25519_SIGNATURE_BYTES || publicKey.length !== SR25519_PUBLIC_KEY_BYTES) return false;
  if (isIdentityPoint(publicKey)) return false;
  switch (path) {
    case 'js':
      try {
        return scureVerify(message, signature, publicKey);
      } catch {
        // @scure/sr25519 throws on undecodable points and scalars: that is a refusal.
        return false;
      }
    case 'wasm':
      if (wasmVerify === undefined) throw new Error('sr25519 wasm path used before initWasmCrypto() completed');
      return wasmVerify(signature, message, publicKey);
    default: {
      const unknownPath: never = path;
      throw new Error(`unknown sr25519 verify path ${String(unknownPath)}`);
    }
  }
}

/**
 * Verifies an sr25519 signature on the current default path (see {@link sr25519VerifyOn}), or
 * takes the verdict a speculative verification of exactly these bytes already reached
 * (`verdicts.ts`).
 */
export function sr25519Verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  return knownVerdict(message, signature, publicKey) ?? sr25519VerifyOn(defaultPath, message, signature, publicKey);
}
