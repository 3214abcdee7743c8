/**
 * Test kit for the computation pallet: a runtime of Balances, PhalaMq, PhalaRegistry,
 * PhalaComputation and a `PoolProbe` pallet that stands where the stake pool will be. The probe
 * drives the `ComputationApi` through calls (so every transition runs under the decider spec's
 * "state = fold of events" check), records the `onReward` / `onUnbound` hooks as its own events,
 * and can deliver any mq message (`deliver`, like `dispatch_message` from another pallet).
 */
import { type Either, right } from 'fp-ts/Either';
import { Struct, type CodecType } from 'scale-ts';
import { fromHex } from '../../../codec/hex';
import { type Message, messageCodec } from '../../../codec/mq.codec';
import { bool, u128, variant, vec } from '../../../codec/scale';
import { topicBytes } from '../../../codec/topics';
import type { TokenomicParameters } from '../../../economics/tokenomicParameters';
import { SUBSIDY_POOL_ACCOUNT } from '../../../ids/accounts';
import { AccountId } from '../../../runtime/codecs';
import { createRuntime } from '../../../runtime/runtime';
import type { Storage } from '../../../runtime/storage';
import { type DispatchContext, type DispatchError, definePallet, type Origin, type RuntimeEvent, unreachable } from '../../../runtime/types';
import { Accounts, balancesPallet } from '../balances.pallet';
import { createComputationPallet } from '../computation.pallet';
import type { SettleEntry } from '../computationApi';
import { buildComputationGenesis } from './computationGenesis';
import { COMPUTATION, type ComputationEvent } from '../computationState';
import { createMqPallet } from '../mq.pallet';
import { createRegistryPallet, registryMessageKey } from '../registry.pallet';
import { buildRegistryGenesis } from './registryGenesis';
import { GatekeeperLaunchedAt, type PhalaRegistryEvent, REGISTRY } from '../registryState';

/** The stand-in stake pool's pallet name. */
export const PROBE = 'PoolProbe';

const ProbeEvent = variant('PoolProbeEvent', {
  Rewarded: Struct({ entries: vec(Struct({ pubkey: AccountId, payoutBits: u128 })) }),
  Unbound: Struct({ worker: AccountId, force: bool }),
  Reclaimed: Struct({ originalStake: u128, slashed: u128 }),
});
type ProbeEvent = CodecType<typeof ProbeEvent>;

const sw = Struct({ session: AccountId, worker: AccountId });
const ProbeCall = variant('PoolProbeCall', {
  deliver: Struct({ message: messageCodec }),
  bind: sw,
  start: Struct({ session: AccountId, stake: u128 }),
  stop: Struct({ session: AccountId }),
  reclaim: Struct({ session: AccountId, checkCooldown: bool }),
  unbind_session: Struct({ session: AccountId, notify: bool }),
});
type ProbeCall = CodecType<typeof ProbeCall>;

const probeEmit = (ctx: DispatchContext, e: ProbeEvent) => ctx.emit(PROBE, e);
const { pallet: computation, api } = createComputationPallet({
  onReward: (ctx, settle: readonly SettleEntry[]) => probeEmit(ctx, { tag: 'Rewarded', value: { entries: [...settle] } }),
  onUnbound: (ctx, worker, force) => probeEmit(ctx, { tag: 'Unbound', value: { worker, force } }),
});
/** The kit's `ComputationApi`, wired to the probe's hooks. */
export const computationKitApi = api;

function probeDispatch(ctx: DispatchContext, _origin: Origin, call: ProbeCall): Either<DispatchError, void> {
  switch (call.tag) {
    case 'deliver':
      ctx.push(call.value.message);
      return right(undefined);
    case 'bind':
      return api.bind(ctx, call.value.session, call.value.worker);
    case 'start':
      return api.startComputing(ctx, call.value.session, call.value.stake);
    case 'stop':
      return api.stopComputing(ctx, call.value.session);
    case 'reclaim': {
      const r = api.reclaim(ctx, call.value.session, call.value.checkCooldown);
      if (r._tag === 'Left') return r;
      probeEmit(ctx, { tag: 'Reclaimed', value: r.right });
      return right(undefined);
    }
    case 'unbind_session':
      return api.unbindSession(ctx, call.value.session, call.value.notify);
    default:
      return unreachable(call);
  }
}

const probe = definePallet<ProbeCall, ProbeEvent>({ name: PROBE, calls: ProbeCall, events: ProbeEvent, dispatch: probeDispatch, evolve: () => {} });

/** Balances, PhalaMq, PhalaRegistry, PhalaComputation and the probe, in Phala's routing order. */
export const kitRuntime = createRuntime([balancesPallet, createMqPallet({ messageKey: registryMessageKey() }), createRegistryPallet(), computation, probe]);

/** 690 M PHA in the subsidy pool, as Phala's mock genesis. */
export const SUBSIDY_POOL_BALANCE = 690_000_000n * 10n ** 12n;

/** Genesis like Phala's mock: GK launched at (block 0, 0 s), default parameters, funded subsidy pool. */
export function kitGenesis(opts: { tokenomic?: TokenomicParameters; subsidy?: bigint; launched?: boolean } = {}) {
  return (s: Storage): void => {
    buildRegistryGenesis(s, { config: { parachainId: 0, noneAttestationEnabled: true, verifyPRuntime: false } });
    buildComputationGenesis(s, opts.tokenomic === undefined ? {} : { tokenomicParameters: opts.tokenomic });
    if (opts.launched ?? true) GatekeeperLaunchedAt.set(s, [0, 0n]);
    Accounts.set(s, SUBSIDY_POOL_ACCOUNT, { nonce: 0, free: opts.subsidy ?? SUBSIDY_POOL_BALANCE });
  };
}

/** `worker_pubkey(i)` of Phala's mock: 30 zero bytes, 1, i. */
export const workerPubkey = (i: number): string => `0x${'00'.repeat(30)}01${i.toString(16).padStart(2, '0')}`;
/** A session account (the mock uses small integer accounts). */
export const sessionAccount = (i: number): string => `0x${'00'.repeat(31)}${i.toString(16).padStart(2, '0')}`;
/** The operator account of Phala's `setup_workers` (account 1). */
export const OPERATOR = sessionAccount(1);

/** A registered, benchmarked worker added at block 1 (after the GK launch). */
export function workerRegistered(pubkey: string, score: number | undefined, confidenceLevel = 128, addedAt = 1): RuntimeEvent {
  const info = { pubkey, ecdhPubkey: pubkey, runtimeVersion: 0, lastUpdated: 1n, operator: OPERATOR, attestationProvider: 'Root' as const, confidenceLevel, initialScore: score, features: [1, 4] };
  const e: PhalaRegistryEvent = { tag: 'WorkerInfoStored', value: { info, addedAt } };
  return { tag: REGISTRY, value: e };
}

/** A computation event as a runtime event. */
export const ce = (e: ComputationEvent): RuntimeEvent => ({ tag: COMPUTATION, value: e });
/** A probe event as a runtime event. */
export const pe = (e: ProbeEvent): RuntimeEvent => ({ tag: PROBE, value: e });
/** A probe call. */
export const probeCall = (tag: ProbeCall['tag'], value: unknown): RuntimeEvent => ({ tag: PROBE, value: { tag, value } });
/** A computation call. */
export const computationCall = (tag: string, value: unknown): RuntimeEvent => ({ tag: COMPUTATION, value: { tag, value } });

/** `deliver` of an mq message from a worker or the gatekeepers on `topic`. */
export function deliver(sender: 'Gatekeeper' | string, topic: string, payload: Uint8Array): RuntimeEvent {
  const origin: Message['sender'] = sender === 'Gatekeeper' ? { tag: 'Gatekeeper', value: undefined } : { tag: 'Worker', value: fromHex(sender, 'worker', 32) };
  return probeCall('deliver', { message: { sender: origin, destination: topicBytes(topic), payload } });
}

/** Events of a bound, started session (`bind` then `start_computing`) with the given init values. */
export function started(session: string, worker: string, stake: bigint, initV: bigint, initP: number): RuntimeEvent[] {
  return [
    ce({ tag: 'SessionBound', value: { session, worker } }),
    ce({ tag: 'StakeRecorded', value: { session, stake } }),
    ce({ tag: 'WorkerStarted', value: { session, initV, initP } }),
  ];
}
