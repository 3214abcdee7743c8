import { type Sr25519VerifyPath, sr25519Verify, sr25519VerifyOn } from './sr25519Verify';

/** One signature to check: `signature` by `publicKey` over `message`. */
export interface SignedItem {
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
  readonly publicKey: Uint8Array;
}

/**
 * Signature verification as a value, so hot paths (a block's mq messages, a GK report batch) can
 * be handed one verifier and check many items in one call. A faster batch algorithm (schnorrkel's
 * `verify_batch`) can replace the loop behind the same interface without touching callers.
 */
export interface Verifier {
  /** True if the one signature is valid. */
  verify(item: SignedItem): boolean;
  /** One verdict per item, in order (never short-circuits: callers need to know which failed). */
  verifyEach(items: readonly SignedItem[]): boolean[];
  /** True if every item is valid; stops at the first failure. */
  verifyAll(items: readonly SignedItem[]): boolean;
}

/**
 * An sr25519 {@link Verifier}. Without `path` it follows the module default (wasm after
 * `initWasmCrypto()`, js before); with `path` it is pinned to that path.
 */
export function sr25519Verifier(path?: Sr25519VerifyPath): Verifier {
  const one =
    path === undefined
      ? (item: SignedItem) => sr25519Verify(item.message, item.signature, item.publicKey)
      : (item: SignedItem) => sr25519VerifyOn(path, item.message, item.signature, item.publicKey);
  return {
    verify: one,
    verifyEach: (items) => items.map(one),
    verifyAll: (items) => items.every(one),
  };
}
