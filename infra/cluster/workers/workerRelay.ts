/**
 * pherry's relay for the workers of a shard (DOMAIN.md §2.5, `simulations/run/relay.ts`): the
 * egress the chain has accepted is purged; what is pending from the chain's next expected sequence
 * on becomes `sync_offchain_message` extrinsics signed by the worker's relayer account, with the
 * nonce paired to the sequence, as outbox messages for `phalanet.extrinsics` (key = the relayer,
 * so one relayer's extrinsics keep their order), which the producers' intake consumes.
 */
import type { Chain } from '../../../domain/chain/executive';
import { account as accountInfo } from '../../../domain/chain/pallets/balances.pallet';
import { nextIngressSequence } from '../../../domain/chain/pallets/mq.pallet';
import type { MessageOrigin } from '../../../domain/codec/mq.codec';
import type { BusMessage } from '../../../domain/ports/bus';
import type { Random } from '../../../domain/ports/random';
import { pendingEgress, purgeEgress } from '../../../enclave/pruntime';
import { signExtrinsic } from '../../../simulations/run/accounts';
import { relayChannel } from '../../../simulations/run/relay';
import { EXTRINSICS_TOPIC } from '../node/kafkaIntake';
import type { HostedWorker } from './workerShard';

/**
 * The extrinsics relaying the egress of `workers`, read against `chain` (the node's copy of the
 * chain state); `block` is the block the workers are synced to (for the resubmission memory).
 */
export function relayEgress(workers: readonly HostedWorker[], chain: Chain, block: number, random: Random): BusMessage[] {
  const nextSeq = (origin: MessageOrigin) => nextIngressSequence(chain.storage, origin);
  const chainView = { accountNonce: (id: string) => accountInfo(chain.storage, id).nonce };
  const out: BusMessage[] = [];
  for (const w of workers) {
    purgeEgress(w.runtime, nextSeq);
    // most workers hold nothing in a block: no chain read for them
    if (w.runtime.workerChannel.messages.length === 0) continue;
    const next = nextSeq({ tag: 'Worker', value: w.runtime.pubkey });
    const relayer = w.host.relayer;
    for (const s of relayChannel(pendingEgress(w.runtime, next), next, relayer, chainView, w.relayMemory, block)) {
      const call = { tag: 'PhalaMq', value: { tag: 'sync_offchain_message', value: { signedMessage: s.message } } };
      const value = signExtrinsic(chain.runtime, s.relayer, call, s.nonce, chain.genesisHash, random);
      out.push({ topic: EXTRINSICS_TOPIC, key: s.relayer.id, value, id: `relay/${w.host.pubkeyHex}/${s.message.sequence}/${block}` });
    }
  }
  return out;
}
