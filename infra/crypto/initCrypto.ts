/**
 * The composition root's one-time crypto initialisation (ARCHITECTURE.md §2: async init happens
 * once, before any domain code runs): @polkadot/wasm-crypto for sr25519 verification and signing's
 * base multiplication, and util-crypto's wasm blake2. Until it resolves everything still works on
 * the pure-JS paths, with identical results.
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { initWasmCrypto } from '../../enclave/wasmCrypto';

let ready: Promise<void> | undefined;

/** Idempotent: every caller awaits the same initialisation. */
export function initCrypto(): Promise<void> {
  ready ??= Promise.all([initWasmCrypto(), cryptoWaitReady()]).then(() => undefined);
  return ready;
}
