/**
 * Appends sealed blocks to the ledger (`chain` stream). Block n is appended with
 * `expectedVersion = n − 1` (`'no-stream'` for genesis): if another producer already sealed a
 * block n, the append fails with `WrongExpectedVersion` and nothing is written — the fencing that
 * stops two producers from forking the chain.
 */
import type { Block } from '../../domain/chain/block';
import { blockRecord, CHAIN_STREAM } from '../../domain/chain/ledger';
import type { AppendResult, EventStore } from '../../domain/ports/eventStore';

/** Appends one block at version = its number; throws `WrongExpectedVersion` if that version is taken or the previous one is missing. */
export function appendBlock(store: EventStore, block: Block): Promise<AppendResult> {
  const n = block.header.number;
  return store.append(CHAIN_STREAM, [blockRecord(block)], n === 0 ? 'no-stream' : n - 1);
}

/** Appends blocks in order. */
export async function appendBlocks(store: EventStore, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await appendBlock(store, block);
}
