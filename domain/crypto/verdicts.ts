/**
 * Speculative verification hooks (issue 5 item 1: "use worker threads if that is what it takes").
 * A signer announces each signature it makes; a verdict source — installed by the composition
 * root, e.g. `infra/crypto/verifyPool.ts`, whose worker threads verify the announced signatures on
 * the other cores while this thread goes on — may answer {@link sr25519Verify} before it verifies.
 * A source only ever answers with the verdict a real verification of exactly those bytes gave
 * (or nothing), so verdicts never change, only where the work runs. Without a source installed
 * both hooks cost one function call.
 */

/** A finished verification of `(message, signature, publicKey)`, or `undefined` when there is none. */
export type VerdictSource = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => boolean | undefined;
/** Hears of a signature as it is made. */
export type SignatureObserver = (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array) => void;

let source: VerdictSource | undefined;
let observer: SignatureObserver | undefined;

/** Installs (or, with `undefined`, removes) the verdict source and the observer that feeds it. */
export function installVerdictSource(next: { readonly source: VerdictSource; readonly observer: SignatureObserver } | undefined): void {
  source = next?.source;
  observer = next?.observer;
}

/** Called by signers right after signing: the signature may be verified ahead of need. */
export function announceSignature(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): void {
  observer?.(message, signature, publicKey);
}

/** The verdict already reached for exactly these bytes, if any. */
export function knownVerdict(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean | undefined {
  return source?.(message, signature, publicKey);
}
