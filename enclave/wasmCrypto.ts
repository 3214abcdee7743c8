import { sr25519Agree, sr25519KeypairFromSeed, sr25519Verify as wasmSr25519Verify, waitReady } from '@polkadot/wasm-crypto';
import { installWasmSr25519Verify } from '../domain/crypto';
import { installWasmBaseMultiply } from './keys/baseMultiply';
import { installWasmKeypairFromSeed } from './keys/sr25519Pair';

/**
 * Loads @polkadot/wasm-crypto and switches the domain's sr25519 verification and the enclave's
 * base-point multiplication (inside signing) and seed expansion (key generation) to it. Call once from
 * the composition root (infra/cli) before any domain code runs; until it resolves the domain
 * verifies on the slower `js` path, which gives the same verdicts. Idempotent.
 */
export async function initWasmCrypto(): Promise<void> {
  const ready = await waitReady();
  if (!ready) throw new Error('@polkadot/wasm-crypto failed to initialise (no WebAssembly support?)');
  installWasmSr25519Verify(wasmSr25519Verify);
  installWasmBaseMultiply(sr25519Agree);
  installWasmKeypairFromSeed(sr25519KeypairFromSeed);
}
