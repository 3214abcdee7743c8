/**
 * The registry's mq handlers (`on_message_received`, `on_gk_message_received`; DOMAIN.md §4.5,
 * §7.2, §7.4, §14 F8, F9): benchmark reports and the first master pubkey from workers, rotated
 * master pubkeys from the gatekeepers. Their errors are swallowed by the mq (events emitted
 * before an error stay); a panic makes the carrying extrinsic invalid.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { GatekeeperLaunchScale } from '../../codec/gatekeeperEvents.codec';
import { fromHex, toHex } from '../../codec/hex';
import type { Message } from '../../codec/mq.codec';
import { DecodeError, type Scale } from '../../codec/scale';
import { GatekeeperRegistryEventScale, RegistryEventScale } from '../../codec/systemEvents.codec';
import { topics } from '../../codec/topics';
import { type DispatchContext, type DispatchError, dispatchError, type MessageHandler } from '../../runtime/types';
import { pushPalletMessage, releaseHeldMessages } from './mq.pallet';
import { pushWorkerEvent } from './registryWorkers';
import { emitRegistry, Gatekeeper, GatekeeperMasterPubkey, MasterKeyRotationLock, REGISTRY } from './registryState';
import { RuntimePanic } from './runtimePanic';

const registryError = (error: string) => left(dispatchError(REGISTRY, error));
const ok = right(undefined);
const MAX_SCORE = 6000n;
const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;

/** `try_dispatch`: decode the payload, or `MessageCodecError` (Phala's `DispatchError::Other`). */
export function decodePayload<T>(codec: Scale<T>, message: Message): Either<DispatchError, T> {
  try {
    return right(codec.decode(message.payload));
  } catch (e) {
    if (e instanceof DecodeError) return left(dispatchError('Other', 'MessageCodecError'));
    throw e;
  }
}

/**
 * The benchmark score (§4.5 with §14 F9's integer semantics): `iterations / ((now − start)/1000)`
 * on u64 (a zero divisor panics), `× 6` wrapping on u64, cast to u32 by truncation, then capped.
 */
export function benchmarkScore(nowMs: bigint, startTimeMs: bigint, iterations: bigint): number {
  const elapsedSecs = (nowMs - startTimeMs) / 1000n;
  if (elapsedSecs === 0n) throw new RuntimePanic('BenchmarkReportInvalid');
  const perSixSecs = ((iterations / elapsedSecs) * 6n) & U64;
  const score = perSixSecs & U32;
  return Number(score < MAX_SCORE ? score : MAX_SCORE);
}

function onBenchReport(ctx: DispatchContext, worker: string, startTime: bigint, iterations: bigint): Either<DispatchError, void> {
  const now = BigInt(ctx.block.timestampMs);
  if (now <= startTime) return registryError('InvalidBenchReport');
  const score = benchmarkScore(now, startTime, iterations);
  // emitted even for an unknown worker; the fold writes only a known one
  emitRegistry(ctx, { tag: 'InitialScoreSet', value: { pubkey: worker, initScore: score } });
  pushWorkerEvent(ctx, REGISTRY, worker, { tag: 'BenchScore', value: score });
  return ok;
}

function onMasterPubkey(ctx: DispatchContext, worker: string, masterPubkey: string): Either<DispatchError, void> {
  if (!Gatekeeper.get(ctx.storage).includes(worker)) return registryError('InvalidGatekeeper');
  const saved = GatekeeperMasterPubkey.get(ctx.storage);
  if (saved !== undefined) return saved === masterPubkey ? ok : registryError('MasterKeyMismatch');
  emitRegistry(ctx, { tag: 'GatekeeperMasterPubkeySet', value: { masterPubkey } });
  const payload = GatekeeperLaunchScale.encode({ tag: 'MasterPubkeyOnChain', value: { masterPubkey: fromHex(masterPubkey, 'master pubkey', 32) } });
  pushPalletMessage(ctx, REGISTRY, topics.gatekeeperLaunch, payload);
  // genesis messages held for the gatekeepers' economics go out right behind it (mq's genesis hold)
  releaseHeldMessages(ctx);
  emitRegistry(ctx, { tag: 'GatekeeperLaunched', value: undefined });
  return ok;
}

/** `^phala/registry/event`: only `Worker` senders; `BenchReport` or `MasterPubkey`. */
export const registryEventHandler: MessageHandler = {
  topic: topics.registryEvent,
  handle(ctx, message) {
    const decoded = decodePayload(RegistryEventScale, message);
    if (decoded._tag === 'Left') return decoded;
    if (message.sender.tag !== 'Worker') return registryError('InvalidSender');
    const worker = toHex(message.sender.value);
    const event = decoded.right;
    switch (event.tag) {
      case 'BenchReport':
        return onBenchReport(ctx, worker, event.value.startTime, event.value.iterations);
      case 'MasterPubkey':
        return onMasterPubkey(ctx, worker, toHex(event.value.masterPubkey));
      default: {
        const never: never = event;
        throw new Error(`unknown RegistryEvent ${String(never)}`);
      }
    }
  },
};

/** `^phala/registry/gk_event`: `RotatedMasterPubkey` from the gatekeepers (§7.4 step 4, K5). */
export const gatekeeperRegistryEventHandler: MessageHandler = {
  topic: topics.registryGatekeeperEvent,
  handle(ctx, message) {
    const decoded = decodePayload(GatekeeperRegistryEventScale, message);
    if (decoded._tag === 'Left') return decoded;
    if (message.sender.tag !== 'Gatekeeper') return registryError('InvalidSender');
    const { rotationId, masterPubkey } = decoded.right.value;
    const lock = MasterKeyRotationLock.get(ctx.storage);
    if (lock !== rotationId) {
      // the event stays although the handler fails (§14 F8)
      emitRegistry(ctx, { tag: 'MasterKeyRotationFailed', value: { rotationLock: lock, gatekeeperRotationId: rotationId } });
      return registryError('InvalidRotatedMasterPubkey');
    }
    emitRegistry(ctx, { tag: 'MasterKeyRotated', value: { rotationId, masterPubkey: toHex(masterPubkey) } });
    const payload = GatekeeperLaunchScale.encode({ tag: 'MasterPubkeyRotated', value: { masterPubkey } });
    pushPalletMessage(ctx, REGISTRY, topics.gatekeeperLaunch, payload);
    return ok;
  },
};
