import type { Sr25519Pair } from './keys/sr25519Pair';

/**
 * Bookkeeping of every secret an enclave object (vault, platform, vendor) has held, so the
 * simulation's "no secret leaked" checker can scan records, messages and logs for their bytes.
 * Read only through `enclave/testing/secretsForLeakScan.ts`; the dependency-cruiser rule
 * `enclave-leak-registry` keeps every module outside `enclave/` from importing this file, and
 * `enclave-testing-door` keeps production code away from the door. A WeakMap, so a dropped vault
 * takes its record with it.
 */
export type HeldSecret =
  | { readonly kind: 'sr25519'; readonly label: string; readonly pair: Sr25519Pair }
  | { readonly kind: 'bytes'; readonly label: string; readonly bytes: Uint8Array };

const held = new WeakMap<object, HeldSecret[]>();

/** Notes that `owner` now holds `secret`. */
export function recordHeldSecret(owner: object, secret: HeldSecret): void {
  const list = held.get(owner);
  if (list === undefined) held.set(owner, [secret]);
  else list.push(secret);
}

/** Every secret `owner` has held, in the order it got them. */
export function heldSecretsOf(owner: object): readonly HeldSecret[] {
  return held.get(owner) ?? [];
}
