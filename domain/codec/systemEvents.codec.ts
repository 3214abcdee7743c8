/**
 * Payloads of the system, computation and registry topics, byte-exact with
 * `crates/phala-types/src/lib.rs` (`messaging`) and `pallets/phala/src/registry.rs`.
 * U64F64 numbers travel as their raw u128 bits (bigint); `U256` as bigint.
 */
import { type CodecType, fixedBytes, scale, struct, u32, u64, u128, u256, unit, u8, variant, vec } from './scale';

const pubkey = fixedBytes(32);

/** `WorkerEvent` (pallet → worker), in declaration order. */
export const workerEventCodec = variant('WorkerEvent', {
  Registered: struct({ confidenceLevel: u8 }),
  BenchStart: struct({ duration: u32 }),
  BenchScore: u32,
  Started: struct({ sessionId: u32, initV: u128, initP: u32 }),
  Stopped: unit,
  EnterUnresponsive: unit,
  ExitUnresponsive: unit,
});
/** A worker lifecycle event addressed to one worker. */
export type WorkerEvent = CodecType<typeof workerEventCodec>;

/** `WorkerEventWithKey { pubkey, event }`. */
export const workerEventWithKeyCodec = struct({ pubkey, event: workerEventCodec });
/** A `WorkerEvent` with the worker it is for. */
export type WorkerEventWithKey = CodecType<typeof workerEventWithKeyCodec>;

/** `HeartbeatChallenge { seed: U256, online_target: U256 }`. */
export const heartbeatChallengeCodec = struct({ seed: u256, onlineTarget: u256 });
/** The per-block heartbeat lottery parameters. */
export type HeartbeatChallenge = CodecType<typeof heartbeatChallengeCodec>;

/** `SystemEvent` on `phala/system/event`. */
export const systemEventCodec = variant('SystemEvent', {
  WorkerEvent: workerEventWithKeyCodec,
  HeartbeatChallenge: heartbeatChallengeCodec,
});
/** Payload of `phala/system/event`. */
export type SystemEvent = CodecType<typeof systemEventCodec>;
/** Strict codec of `SystemEvent`. */
export const SystemEventScale = scale('SystemEvent', systemEventCodec);

const heartbeatFields = { sessionId: u32, challengeBlock: u32, challengeTime: u64, iterations: u64 };

/** `WorkingReportEvent` on `phala/mining/report`. */
export const workingReportEventCodec = variant('WorkingReportEvent', {
  Heartbeat: struct(heartbeatFields),
  HeartbeatV2: struct({ ...heartbeatFields, nClusters: u32, nContracts: u32 }),
});
/** A worker's heartbeat. */
export type WorkingReportEvent = CodecType<typeof workingReportEventCodec>;
/** Strict codec of `WorkingReportEvent`. */
export const WorkingReportEventScale = scale('WorkingReportEvent', workingReportEventCodec);

/** `SettleInfo { pubkey, v, payout, treasury }` (U64F64 bits). */
export const settleInfoCodec = struct({ pubkey, v: u128, payout: u128, treasury: u128 });
/** One worker's settlement in a GK report. */
export type SettleInfoRecord = CodecType<typeof settleInfoCodec>;

/** `WorkingInfoUpdateEvent<u32>` on `^phala/mining/update`. */
export const workingInfoUpdateEventCodec = struct({
  blockNumber: u32,
  timestampMs: u64,
  offline: vec(pubkey),
  recoveredToOnline: vec(pubkey),
  settle: vec(settleInfoCodec),
});
/** The gatekeepers' per-block computation report. */
export type WorkingInfoUpdateEvent = CodecType<typeof workingInfoUpdateEventCodec>;
/** Strict codec of `WorkingInfoUpdateEvent`. */
export const WorkingInfoUpdateEventScale = scale('WorkingInfoUpdateEvent', workingInfoUpdateEventCodec);

/** `RegistryEvent` on `^phala/registry/event`. */
export const registryEventCodec = variant('RegistryEvent', {
  BenchReport: struct({ startTime: u64, iterations: u64 }),
  MasterPubkey: struct({ masterPubkey: pubkey }),
});
/** Worker → registry: benchmark report, or the first master pubkey. */
export type RegistryEvent = CodecType<typeof registryEventCodec>;
/** Strict codec of `RegistryEvent`. */
export const RegistryEventScale = scale('RegistryEvent', registryEventCodec);

/** `GatekeeperRegistryEvent` on `^phala/registry/gk_event`. */
export const gatekeeperRegistryEventCodec = variant('GatekeeperRegistryEvent', {
  RotatedMasterPubkey: struct({ rotationId: u64, masterPubkey: pubkey }),
});
/** Gatekeeper → registry: a rotated master pubkey. */
export type GatekeeperRegistryEvent = CodecType<typeof gatekeeperRegistryEventCodec>;
/** Strict codec of `GatekeeperRegistryEvent`. */
export const GatekeeperRegistryEventScale = scale('GatekeeperRegistryEvent', gatekeeperRegistryEventCodec);
