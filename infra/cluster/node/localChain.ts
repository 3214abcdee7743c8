/**
 * A node's own copy of the chain state, kept at the ledger's head by executing the `chain`
 * stream's blocks as they arrive (the block feed). A standby keeps it current so that on taking
 * the lease it can produce the next block at once, without replaying the ledger.
 *
 * Every block is re-executed and checked against its record (state root, events): a node whose
 * runtime disagrees with the ledger's writer stops instead of producing a fork of its own.
 */
import { blockHash } from '../../../domain/codec/blockHeader.codec';
import { type Block, blockHashHex } from '../../../domain/chain/block';
import { ChainSpecScale } from '../../../domain/chain/chainSpec';
import { type Chain, executeBlock, genesis } from '../../../domain/chain/executive';
import { CHAIN_STREAM, decodeBlockRecord } from '../../../domain/chain/ledger';
import type { EventStore, RecordedEvent } from '../../../domain/ports/eventStore';
import type { Runtime } from '../../../domain/runtime/runtime';

/** The chain state after the last block applied. */
export interface LocalChain {
  /** `undefined` before genesis */
  readonly chain: Chain | undefined;
  /** last block applied, −1 before genesis */
  readonly height: number;
  /** applies the ledger's blocks after `height`; resolves to how many */
  catchUp(): Promise<number>;
  /** takes a block this node produced and appended, with the state after it (`chain` itself, or genesis's) */
  adopt(block: Block, after: Chain): void;
  /** forgets the state (it holds a block that was never written); the next `catchUp` rebuilds */
  reset(): void;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** Applies one record to the state (genesis builds it); throws if the block is not reproduced. */
function apply(runtime: Runtime, chain: Chain | undefined, record: RecordedEvent): Chain {
  const block = decodeBlockRecord(record);
  const n = block.header.number;
  if (block.genesis !== undefined) {
    const built = genesis(runtime, ChainSpecScale.decode(block.genesis));
    if (!same(blockHash(built.block.header), blockHash(block.header))) throw new Error(`block 0 ${blockHashHex(block.header)} is not what this node's runtime builds from its chain spec: check that every node runs the same scenario`);
    return built.chain;
  }
  if (chain === undefined) throw new Error(`block ${n} arrived before genesis`);
  const mine = executeBlock(chain, { timestampMs: Number(block.header.timestamp), author: block.header.author, extrinsics: block.extrinsics });
  if (!same(mine.header.stateRoot, block.header.stateRoot)) throw new Error(`block ${n}: re-executed state root differs from the ledger's: check that every node runs the same scenario and version`);
  chain.head = block.header;
  return chain;
}

/** A local chain fed from `store`'s `chain` stream, executed by `runtime`. */
export function localChain(store: EventStore, runtime: Runtime): LocalChain {
  let chain: Chain | undefined;
  let height = -1;
  return {
    get chain() {
      return chain;
    },
    get height() {
      return height;
    },
    async catchUp() {
      let applied = 0;
      try {
        for await (const record of store.readStream(CHAIN_STREAM, { fromVersion: height + 1 })) {
          chain = apply(runtime, chain, record);
          height = record.version;
          applied++;
        }
      } catch (error) {
        // a block that failed half-way has mutated the state: it is no longer any block's
        chain = undefined;
        height = -1;
        throw error;
      }
      return applied;
    },
    adopt(block, after) {
      if (block.header.number !== height + 1) throw new Error(`block ${block.header.number} adopted at height ${height}`);
      chain = after;
      height = block.header.number;
    },
    reset() {
      chain = undefined;
      height = -1;
    },
  };
}
