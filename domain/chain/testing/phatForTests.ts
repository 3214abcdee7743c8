/**
 * Fixtures for the Phat contracts pallet's specs: a runtime (Balances + a message injector +
 * Phat), accounts, registered workers, and event/call builders. Test-only.
 *
 * `TestMq.inject` (root) pushes any message through `ctx.push`, standing in for the mq pallet's
 * `sync_offchain_message` after its signature check, so that the on-chain handlers run exactly
 * as the runtime routes them.
 */
import { right } from 'fp-ts/Either';
import { blake2b } from '@noble/hashes/blake2.js';
import { type Message, messageCodec } from '../../codec/mq.codec';
import { topicBytes } from '../../codec/topics';
import { unit, variant } from '../../codec/scale';
import { systemContractId } from '../../ids/accounts';
import { AccountId, ClusterId, H256, WorkerPubkey } from '../../ids/ids';
import { createRuntime, type Runtime } from '../../runtime/runtime';
import { decider } from '../../runtime/testing/deciderSpec';
import { definePallet, type Origin, type RuntimeEvent, type Tagged } from '../../runtime/types';
import { balancesPallet } from '../pallets/balances.pallet';
import { createPhatPallet, PHAT, type PhatDeps } from '../pallets/phat.pallet';

const hex32 = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;

export const alice = AccountId.parse(hex32(0xaa));
export const bob = AccountId.parse(hex32(0xbb));
export const treasury = AccountId.parse(hex32(0x77));
export const w1 = WorkerPubkey.parse(hex32(0x01));
export const w2 = WorkerPubkey.parse(hex32(0x02));
export const w3 = WorkerPubkey.parse(hex32(0x03));
/** not registered */
export const stranger = WorkerPubkey.parse(hex32(0x0f));
/** the ECDH key registered for a worker: its pubkey with the first byte flipped */
export const ecdhOf = (w: string) => `0x${(Number.parseInt(w.slice(2, 4), 16) ^ 0xff).toString(16).padStart(2, '0')}${w.slice(4)}`;
export const c1 = ClusterId.fromCounter(1n);
export const c2 = ClusterId.fromCounter(2n);
export const SYSTEM_CODE = new TextEncoder().encode('pink-system v1');
export const SYSTEM_CODE_HASH = H256.fromBytes(blake2b(SYSTEM_CODE, { dkLen: 32 }));

export const signed = (who: string): Origin => ({ type: 'Signed', who });
export const ROOT: Origin = { type: 'Root' };

const registered = new Set<string>([w1, w2, w3]);
/** The registry lookup the pallet is given: w1..w3 are registered. */
export const testDeps: PhatDeps = { registeredWorker: (_s, w) => (registered.has(w) ? { ecdhPubkey: ecdhOf(w) } : undefined) };

const InjectCall = variant('TestMqCall', { inject: messageCodec });
const NoEvent = variant('TestMqEvent', { Never: unit });
/** Root pushes a message as if the mq pallet had accepted it. */
const testMq = definePallet<{ tag: 'inject'; value: Message }, { tag: 'Never'; value: undefined }>({
  name: 'TestMq',
  calls: InjectCall,
  events: NoEvent,
  dispatch: (ctx, _origin, call) => {
    ctx.push(call.value);
    return right(undefined);
  },
  evolve: () => {},
});

/** Balances, TestMq, Phat (Phat's pallet index is 2). */
export function phatRuntime(deps: PhatDeps = testDeps): Runtime {
  return createRuntime([balancesPallet, testMq, createPhatPallet(deps)]);
}

export const phatSpec = (runtime: Runtime = phatRuntime()) => decider(runtime);

/** A runtime event of the Phat pallet. */
export const ev = (tag: string, value: unknown): RuntimeEvent => ({ tag: PHAT, value: { tag, value } as Tagged });
/** A runtime call of the Phat pallet. */
export const call = (tag: string, value: unknown): RuntimeEvent => ({ tag: PHAT, value: { tag, value } as Tagged });
export const endow = (who: string, amount: bigint): RuntimeEvent => ({ tag: 'Balances', value: { tag: 'Endowed', value: { account: who, freeBalance: amount } } });
export const balanceTransfer = (from: string, to: string, amount: bigint): RuntimeEvent => ({ tag: 'Balances', value: { tag: 'Transfer', value: { from, to, amount } } });
export const inject = (message: Message): RuntimeEvent => ({ tag: 'TestMq', value: { tag: 'inject', value: message } });
export const message = (sender: Message['sender'], topic: string, payload: Uint8Array): Message => ({ sender, destination: topicBytes(topic), payload });

/** Events that put the system code in place (as a `set_pink_system_code` plus the next block's initialization). */
export const systemCodeReady: RuntimeEvent[] = [
  ev('PinkSystemCodeScheduled', { code: SYSTEM_CODE }),
  ev('PinkSystemCodeApplied', { version: 1, codeHash: SYSTEM_CODE_HASH }),
];

/** `add_cluster` arguments with defaults. */
export function addClusterArgs(over: Partial<Record<string, unknown>> = {}) {
  return {
    owner: alice,
    permission: { tag: 'Public', value: undefined },
    deployWorkers: [w1],
    deposit: 100n,
    gasPrice: 1n,
    depositPerItem: 2n,
    depositPerByte: 3n,
    treasuryAccount: treasury,
    ...over,
  };
}

export const palletSender = { tag: 'Pallet' as const, value: topicBytes(PHAT) };

/** A `ClusterAdded` event as `add_cluster` would emit it for cluster number `counter`. */
export function clusterAdded(counter: bigint, opts: { owner?: string; permission?: { tag: string; value: unknown }; workers?: string[] } = {}): RuntimeEvent {
  const cluster = ClusterId.fromCounter(counter);
  const owner = opts.owner ?? alice;
  const info = {
    owner,
    permission: opts.permission ?? { tag: 'Public', value: undefined },
    systemContract: systemContractId(owner, SYSTEM_CODE_HASH, cluster),
    gasPrice: 1n,
    depositPerItem: 2n,
    depositPerByte: 3n,
  };
  return ev('ClusterAdded', { cluster, counter, info, workers: opts.workers ?? [w1] });
}
