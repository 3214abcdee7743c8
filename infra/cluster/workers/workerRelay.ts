/**
 * pherry's relay for the actors of a shard (DOMAIN.md §2.5, `simulations/run/relay.ts`): the
 * egress the chain has accepted is purged; what is pending from the chain's next expected sequence
 * on becomes `sync_offchain_message` extrinsics signed by the channel's relayer account, with the
 * nonce paired to the sequence, as outbox messages for `phalanet.extrinsics` (key = the relayer,
 * so one relayer's extrinsics keep their order), which the producers' intake consumes.
 */
import type { Chain } from '../../../domain/chain/executive';
import { account as accountInfo } from '../../../domain/chain/pallets/balances.pallet';
import { nextIngressSequence } from '../../../domain/chain/pallets/mq.pallet';
import type { MessageOrigin, SignedMessage } from '../../../domain/codec/mq.codec';
import type { BusMessage } from '../../../domain/ports/bus';
import type { Random } from '../../../domain/ports/random';
import { pendingEgress, purgeEgress, type WorkerRuntime } from '../../../enclave/pruntime';
import type { SimAccount } from '../../../simulations/run/accounts';
import { signExtrinsic } from '../../../simulations/run/accounts';
import { type RelayMemory, relayChannel } from '../../../simulations/run/relay';
import { EXTRINSICS_TOPIC } from '../node/kafkaIntake';

/** A worker pRuntime and what pherry knows to relay its `Worker` channel. */
export interface RelayedWorker {
  readonly runtime: WorkerRuntime;
  readonly pubkeyHex: string;
  readonly relayer: SimAccount;
  readonly relayMemory: RelayMemory;
}

/** One channel's pending egress, relayed by `relayer`; `label` names it in the messages' ids. */
export function relayMessages(label: string, pending: readonly SignedMessage[], onChainNext: bigint, relayer: SimAccount, memory: RelayMemory, chain: Chain, block: number, random: Random): BusMessage[] {
  const chainView = { accountNonce: (id: string) => accountInfo(chain.storage, id).nonce };
  return relayChannel(pending, onChainNext, relayer, chainView, memory, block).map((s) => {
    const call = { tag: 'PhalaMq', value: { tag: 'sync_offchain_message', value: { signedMessage: s.message } } };
    const value = signExtrinsic(chain.runtime, s.relayer, call, s.nonce, chain.genesisHash, random);
    return { topic: EXTRINSICS_TOPIC, key: s.relayer.id, value, id: `relay/${label}/${s.message.sequence}/${block}` };
  });
}

/**
 * The extrinsics relaying the `Worker`-channel egress of `workers`, read against `chain` (the
 * node's copy of the chain state); `block` is the block the workers are synced to (for the
 * resubmission memory).
 */
export function relayEgress(workers: readonly RelayedWorker[], chain: Chain, block: number, random: Random): BusMessage[] {
  const nextSeq = (origin: MessageOrigin) => nextIngressSequence(chain.storage, origin);
  const out: BusMessage[] = [];
  for (const w of workers) {
    purgeEgress(w.runtime, nextSeq);
    // most workers hold nothing in a block: no chain read for them
    if (w.runtime.workerChannel.messages.length === 0) continue;
    const next = nextSeq({ tag: 'Worker', value: w.runtime.pubkey });
    out.push(...relayMessages(w.pubkeyHex, pendingEgress(w.runtime, next), next, w.relayer, w.relayMemory, chain, block, random));
  }
  return out;
}
