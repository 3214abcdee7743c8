/**
 * pherry's relay of a pRuntime's egress (DOMAIN.md §2.5): every block, the messages of a channel
 * from the chain's next expected sequence on are (re-)submitted as `sync_offchain_message`
 * extrinsics. Each channel has its own relayer account, so the extrinsic nonce follows the
 * message sequence: nonce = on-chain nonce + (sequence − on-chain next sequence). A resubmission
 * after a lost extrinsic therefore recomputes the same pairing from chain state alone, and a copy
 * another relayer landed first (gatekeepers all emit the same messages) is simply dropped by the
 * pool as stale.
 */
import type { SignedMessage } from '../../domain/codec/mq.codec';
import type { SimAccount } from './accounts';

/** Blocks a relayed message waits for inclusion before pherry submits it again. */
export const RESUBMIT_AFTER_BLOCKS = 4;

/** What the relay reads from the chain. */
export interface RelayChainView {
  accountNonce(account: string): number;
}

/** What pherry remembers of a channel: the block each sequence was last submitted at. */
export type RelayMemory = Map<bigint, number>;

/** One extrinsic pherry submits: the message with the nonce it pairs with. */
export interface RelaySubmission {
  readonly relayer: SimAccount;
  readonly nonce: number;
  readonly message: SignedMessage;
}

/**
 * The submissions of one channel at `block`: pending messages (sequence ≥ `onChainNext`) not
 * submitted in the last `RESUBMIT_AFTER_BLOCKS` blocks. Forgets sequences the chain accepted.
 */
export function relayChannel(pending: readonly SignedMessage[], onChainNext: bigint, relayer: SimAccount, chain: RelayChainView, memory: RelayMemory, block: number): RelaySubmission[] {
  for (const seq of memory.keys()) if (seq < onChainNext) memory.delete(seq);
  if (pending.length === 0) return [];
  const base = chain.accountNonce(relayer.id);
  const out: RelaySubmission[] = [];
  for (const message of pending) {
    if (message.sequence < onChainNext) continue;
    const last = memory.get(message.sequence);
    if (last !== undefined && block - last < RESUBMIT_AFTER_BLOCKS) continue;
    memory.set(message.sequence, block);
    out.push({ relayer, nonce: base + Number(message.sequence - onChainNext), message });
  }
  return out;
}
