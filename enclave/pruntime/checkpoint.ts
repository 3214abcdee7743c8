/**
 * A worker pRuntime's checkpoint: its vault (sealed by the vault itself), its replicated machine,
 * bench counter, egress channels (with the signed messages not yet purged) and the block it
 * reflects, SCALE-encoded and sealed with the platform's sealing for one measurement (Phala:
 * `runtime-data.seal` plus the `System` checkpoint of `crates/phactory/src/lib.rs`). Another
 * platform, another measurement or an edited byte refuses with the sealing error.
 */
import * as E from 'fp-ts/Either';
import { messageOriginCodec, originKey, signedMessageCodec } from '../../domain/codec/mq.codec';
import { bool, bytes, bytesEqual, type CodecType, DecodeError, decodeExact, fixedBytes, option, struct, u8, u32, u64, unit, variant, vec } from '../../domain/codec/scale';
import type { Random } from '../../domain/ports/random';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { UnsealError } from '../platform/sealing';
import type { KeyRef, RestoreVaultError } from '../vault/keyVault';
import type { EgressChannel } from './egressQueue';
import { restoreWorkerIdentity } from './workerIdentity';
import { type WorkerRuntime, workerRuntimeFrom } from './workerRuntime';

const CHECKPOINT_VERSION = 1;
const h256 = fixedBytes(32);

const keyRefCodec = variant('KeyRef', { identity: unit, master: unit, cluster: h256, contract: struct({ clusterId: h256, contractId: h256 }) });

const checkpointCodec = struct({
  version: u8,
  vault: bytes(),
  iterationsPer6s: u64,
  syncedBlock: option(u32),
  registered: bool,
  benchState: option(struct({ startBlock: u32, startTimeMs: u64, startIter: u64, duration: u32 })),
  workingState: option(struct({ sessionId: u32, paused: bool, startTimeMs: u64, startIter: u64 })),
  counterBase: u64,
  runningSinceMs: option(u64),
  channels: vec(struct({ origin: messageOriginCodec, key: keyRefCodec, sequence: u64, dummy: bool, messages: vec(signedMessageCodec) })),
  nClusters: u32,
  nContracts: u32,
});
type CheckpointRecord = CodecType<typeof checkpointCodec>;

/** Why a checkpoint could not be restored. */
export type CheckpointError = UnsealError | RestoreVaultError | { readonly _tag: 'CheckpointMalformed'; readonly detail: string };

function encodeKeyRef(key: KeyRef): CodecType<typeof keyRefCodec> {
  switch (key.kind) {
    case 'identity':
    case 'master':
      return { tag: key.kind, value: undefined };
    case 'cluster':
      return { tag: 'cluster', value: key.clusterId };
    case 'contract':
      return { tag: 'contract', value: { clusterId: key.clusterId, contractId: key.contractId } };
    default: {
      const never: never = key;
      throw new Error(`unknown key ref ${JSON.stringify(never)}`);
    }
  }
}

function decodeKeyRef(k: CodecType<typeof keyRefCodec>): KeyRef {
  switch (k.tag) {
    case 'identity':
    case 'master':
      return { kind: k.tag };
    case 'cluster':
      return { kind: 'cluster', clusterId: k.value };
    case 'contract':
      return { kind: 'contract', clusterId: k.value.clusterId, contractId: k.value.contractId };
    default: {
      const never: never = k;
      throw new Error(`unknown key ref ${JSON.stringify(never)}`);
    }
  }
}

/** Seals `rt` as of `syncedBlock` (the last block it processed) for (`platform`, `m`). */
export function checkpointWorker(rt: WorkerRuntime, platform: Platform, m: Measurement, syncedBlock: number | undefined): Uint8Array {
  const { machine, counter } = rt;
  const working = machine.workingState;
  const record: CheckpointRecord = {
    version: CHECKPOINT_VERSION,
    vault: rt.identity.sealVault(platform, m),
    iterationsPer6s: rt.cpu.iterationsPer6s,
    syncedBlock,
    registered: machine.registered,
    benchState: machine.benchState,
    workingState: working && { sessionId: working.sessionId, paused: working.state === 'Paused', startTimeMs: working.startTimeMs, startIter: working.startIter },
    counterBase: counter.base,
    runningSinceMs: counter.runningSinceMs,
    channels: [...rt.egress.values()].map((c) => ({ origin: c.origin, key: encodeKeyRef(c.key), sequence: c.sequence, dummy: c.dummy, messages: c.messages })),
    nClusters: rt.nClusters,
    nContracts: rt.nContracts,
  };
  return platform.seal(m, checkpointCodec.enc(record));
}

function decodeRecord(bytes: Uint8Array): E.Either<CheckpointError, CheckpointRecord> {
  try {
    const record = decodeExact(checkpointCodec, bytes, 'worker checkpoint');
    if (record.version !== CHECKPOINT_VERSION) return E.left({ _tag: 'CheckpointMalformed', detail: `unknown version ${record.version}` });
    return E.right(record);
  } catch (e) {
    if (e instanceof DecodeError) return E.left({ _tag: 'CheckpointMalformed', detail: e.message });
    throw e;
  }
}

function channelOf(c: CheckpointRecord['channels'][number]): EgressChannel {
  return { origin: c.origin, originHex: originKey(c.origin), key: decodeKeyRef(c.key), sequence: c.sequence, messages: c.messages, dummy: c.dummy };
}

/**
 * Resumes a worker from {@link checkpointWorker}'s blob. Pass the `random` the worker had (its
 * seeded fork) so that messages re-produced after the checkpoint are re-signed to the same bytes.
 */
export function restoreWorker(
  platform: Platform,
  m: Measurement,
  sealed: Uint8Array,
  random: Random,
): E.Either<CheckpointError, { readonly worker: WorkerRuntime; readonly syncedBlock: number | undefined }> {
  const opened = E.flatMap(platform.unseal(m, sealed), decodeRecord);
  if (E.isLeft(opened)) return opened;
  const r = opened.right;
  const identity = restoreWorkerIdentity(platform, m, r.vault, random);
  if (E.isLeft(identity)) return identity;
  const foreign = r.channels.find((c) => c.origin.tag === 'Worker' && !bytesEqual(c.origin.value, identity.right.publicKey));
  if (foreign !== undefined) return E.left({ _tag: 'CheckpointMalformed', detail: "a Worker channel of another worker's key" });
  const w = r.workingState;
  const worker = workerRuntimeFrom(identity.right, { iterationsPer6s: r.iterationsPer6s }, {
    machine: {
      registered: r.registered,
      benchState: r.benchState,
      workingState: w && { sessionId: w.sessionId, state: w.paused ? 'Paused' : 'Computing', startTimeMs: w.startTimeMs, startIter: w.startIter },
    },
    counter: { base: r.counterBase, runningSinceMs: r.runningSinceMs },
    channels: r.channels.map(channelOf),
    nClusters: r.nClusters,
    nContracts: r.nContracts,
  });
  return E.right({ worker, syncedBlock: r.syncedBlock });
}
