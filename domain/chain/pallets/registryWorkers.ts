/**
 * Worker registration (`register_worker_v2`, `force_register_worker`; DOMAIN.md §4.2, §4.3,
 * §14 F2, F26, F28): attestation first, then parachain id, then the relay-chain genesis
 * allow-list, then the consensus-version bookkeeping, then the upsert and the two mq messages.
 */
import { type Either, isLeft, left, right } from 'fp-ts/Either';
import type { AttestationReport } from '../../attestation/quote.codec';
import { type AttestationError, type ConfidentialReport, verifyAttestation } from '../../attestation/verifyAttestation';
import { fromHex, toHex } from '../../codec/hex';
import { runtimeInfoHash, type WorkerRegistrationInfoV2 } from '../../codec/registration.codec';
import { SystemEventScale, type WorkerEvent } from '../../codec/systemEvents.codec';
import { topics } from '../../codec/topics';
import type { StorageReader } from '../../runtime/storage';
import { type DispatchContext, type DispatchError, dispatchError } from '../../runtime/types';
import { pushPalletMessage, type VerifySignature } from './mq.pallet';
import {
  BenchmarkDuration,
  emitRegistry,
  MaxKnownPRuntimeConsensusVersion,
  PRuntimeAllowList,
  REGISTRY,
  RegistryConfigValue,
  RelaychainGenesisBlockHashAllowList,
  type WorkerInfoV2,
  Workers,
} from './registryState';

const registryError = (error: string) => left(dispatchError(REGISTRY, error));

/** Pushes `SystemEvent::WorkerEvent{pubkey, event}` on `phala/system/event`. */
export function pushWorkerEvent(ctx: DispatchContext, palletName: string, pubkey: string, event: WorkerEvent): void {
  const payload = SystemEventScale.encode({ tag: 'WorkerEvent', value: { pubkey: fromHex(pubkey, 'worker pubkey', 32), event } });
  pushPalletMessage(ctx, palletName, topics.systemEvent, payload);
}

/** `From<AttestationError> for Error`: the registry error an attestation failure becomes. */
function attestationErrorName(e: AttestationError): string {
  return e.type;
}

function checkAttestation(s: StorageReader, info: WorkerRegistrationInfoV2, report: AttestationReport | undefined, nowSecs: bigint, verify: VerifySignature): Either<DispatchError, ConfidentialReport> {
  const cfg = RegistryConfigValue.get(s);
  const verdict = verifyAttestation({
    report,
    runtimeInfoHash: runtimeInfoHash(info),
    nowSecs,
    trustedVendorKeys: cfg.trustedVendorKeys,
    pruntimeAllowList: PRuntimeAllowList.get(s),
    verifyPRuntime: cfg.verifyPRuntime,
    noneAttestationEnabled: cfg.noneAttestationEnabled,
    verifySignature: verify,
  });
  return isLeft(verdict) ? registryError(attestationErrorName(verdict.left)) : right(verdict.right);
}

/** `MaxKnownPRuntimeConsensusVersion`: a higher version restarts the count at 1, an equal one counts, a lower one is ignored (§14 F28). */
function countConsensusVersion(ctx: DispatchContext, version: number): void {
  const known = MaxKnownPRuntimeConsensusVersion.get(ctx.storage);
  if (known.version < version) emitRegistry(ctx, { tag: 'ConsensusVersionCounted', value: { version, count: 1 } });
  else if (known.version === version) emitRegistry(ctx, { tag: 'ConsensusVersionCounted', value: { version, count: known.count + 1 } });
}

/** `register_worker_v2`. */
export function registerWorkerV2(ctx: DispatchContext, info: WorkerRegistrationInfoV2, report: AttestationReport | undefined, verify: VerifySignature): Either<DispatchError, void> {
  const s = ctx.storage;
  const now = BigInt(Math.floor(ctx.block.timestampMs / 1000));
  const attested = checkAttestation(s, info, report, now, verify);
  if (isLeft(attested)) return attested;
  const cfg = RegistryConfigValue.get(s);
  if (info.paraId !== cfg.parachainId) return registryError('ParachainIdMismatch');
  if (cfg.verifyRelaychainGenesisBlockHash && !RelaychainGenesisBlockHashAllowList.get(s).includes(toHex(info.genesisBlockHash))) {
    return registryError('GenesisBlockHashRejected');
  }
  countConsensusVersion(ctx, info.maxConsensusVersion);

  const { provider, confidenceLevel } = attested.right;
  const pubkey = toHex(info.pubkey);
  const operator = info.operator === undefined ? undefined : toHex(info.operator);
  const existing = Workers.get(s, pubkey);
  const fresh = { lastUpdated: now, operator, runtimeVersion: info.version, confidenceLevel, features: info.features };
  if (existing !== undefined) {
    // §14 F28: ecdh key, provider, initial score and WorkerAddedAt are kept
    emitRegistry(ctx, { tag: 'WorkerInfoStored', value: { info: { ...existing, ...fresh }, addedAt: undefined } });
    pushWorkerEvent(ctx, REGISTRY, pubkey, { tag: 'Registered', value: { confidenceLevel } });
    emitRegistry(ctx, { tag: 'WorkerUpdated', value: { pubkey, attestationProvider: provider, confidenceLevel } });
  } else {
    const record: WorkerInfoV2 = { pubkey, ecdhPubkey: toHex(info.ecdhPubkey), ...fresh, attestationProvider: provider, initialScore: undefined };
    emitRegistry(ctx, { tag: 'WorkerInfoStored', value: { info: record, addedAt: ctx.block.number } });
    pushWorkerEvent(ctx, REGISTRY, pubkey, { tag: 'Registered', value: { confidenceLevel } });
    emitRegistry(ctx, { tag: 'WorkerAdded', value: { pubkey, attestationProvider: provider, confidenceLevel } });
  }
  // re-benchmark on every registration; an unset duration is 0 (§14 F2)
  pushWorkerEvent(ctx, REGISTRY, pubkey, { tag: 'BenchStart', value: { duration: BenchmarkDuration.get(s) ?? 0 } });
  return right(undefined);
}

/** `force_register_worker` (root): a fresh Root-attested record at confidence 128, `WorkerAddedAt` = now; no benchmark. */
export function forceRegisterWorker(ctx: DispatchContext, pubkey: string, ecdhPubkey: string, operator: string | undefined): void {
  const info: WorkerInfoV2 = {
    pubkey,
    ecdhPubkey,
    runtimeVersion: 0,
    lastUpdated: 1n,
    operator,
    attestationProvider: 'Root',
    confidenceLevel: 128,
    initialScore: undefined,
    features: [1, 4],
  };
  emitRegistry(ctx, { tag: 'WorkerInfoStored', value: { info, addedAt: ctx.block.number } });
  pushWorkerEvent(ctx, REGISTRY, pubkey, { tag: 'Registered', value: { confidenceLevel: 128 } });
  emitRegistry(ctx, { tag: 'WorkerAdded', value: { pubkey, attestationProvider: 'Root', confidenceLevel: 128 } });
}
