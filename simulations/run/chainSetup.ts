/**
 * What the simulated chain trusts and expects of a registering worker: the parachain id, the
 * relay-chain genesis hash it syncs from, and the allow-listed pRuntime build. The chain config
 * itself is `genesisConfigOf` (genesis workers, pools and gatekeepers included).
 */
import { pruntimeHashOf } from '../../domain/attestation/quote.codec';
import { blake2_256 } from '../../domain/crypto/hashing';
import type { HostEnvironment } from './hosts';
import { PRUNTIME_BUILD } from './hosts';

/** Parachain id every worker registers with (Phala's). */
export const PARA_ID = 2035;

/** The relay-chain genesis hash the simulated workers sync from (on the registry's allow-list). */
export const relaychainGenesisHash = (chainName: string): Uint8Array => blake2_256(new TextEncoder().encode(`phalanet-relaychain:${chainName}`));

/** The allow-listed pRuntime hash of the run's build. */
export function pruntimeHash(env: HostEnvironment): Uint8Array {
  return pruntimeHashOf({ measurement: env.measurement, isvProdId: PRUNTIME_BUILD.isvProdId, isvSvn: PRUNTIME_BUILD.isvSvn, mrSigner: env.mrSigner });
}
