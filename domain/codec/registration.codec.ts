/**
 * `WorkerRegistrationInfoV2<AccountId32>` (`crates/phala-types/src/lib.rs`) and the runtime info
 * hash an attestation commits to.
 */
import { blake2b256 } from './hash';
import { type CodecType, bytes, fixedBytes, option, scale, struct, u32, vec } from './scale';

const key32 = fixedBytes(32);

/** Field order as in Rust: version, machine_id, pubkey, ecdh_pubkey, genesis_block_hash, features, operator, para_id, max_consensus_version. */
export const workerRegistrationInfoV2Codec = struct({
  version: u32,
  machineId: bytes(),
  pubkey: key32,
  ecdhPubkey: key32,
  genesisBlockHash: key32,
  features: vec(u32),
  operator: option(key32),
  paraId: u32,
  maxConsensusVersion: u32,
});
/** What a pRuntime reports about itself when registering. */
export type WorkerRegistrationInfoV2 = CodecType<typeof workerRegistrationInfoV2Codec>;
/** Strict codec of `WorkerRegistrationInfoV2`. */
export const WorkerRegistrationInfoV2Scale = scale('WorkerRegistrationInfoV2', workerRegistrationInfoV2Codec);

/** `runtime_info_hash = blake2_256(SCALE(info))`: what the attestation's report data must carry. */
export function runtimeInfoHash(info: WorkerRegistrationInfoV2): Uint8Array {
  return blake2b256(workerRegistrationInfoV2Codec.enc(info));
}
