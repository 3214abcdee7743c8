/**
 * The one verified view of a block that every worker of a process shares (ARCHITECTURE.md §4
 * "Hot paths stay out of per-actor messages"). Phala's pRuntime authenticates what pherry feeds
 * it with storage proofs against a GRANDPA-verified header chain (DOMAIN.md §2.5); phalanet's
 * stand-in is the header's `outboundRoot`: the parent link is checked, then the block's outbound
 * messages are checked against the root, once per block, then decoded once.
 */
import * as E from 'fp-ts/Either';
import type { Block } from '../../domain/chain/block';
import { type BlockHeader, blockHash } from '../../domain/codec/blockHeader.codec';
import { type ListProof, listRoot, verifyListProof } from '../../domain/codec/listRoot';
import { type Message, MessageScale } from '../../domain/codec/mq.codec';
import { bytesEqual, DecodeError } from '../../domain/codec/scale';
import { type SystemEvent, SystemEventScale } from '../../domain/codec/systemEvents.codec';
import { topicBytes, topics } from '../../domain/codec/topics';

/** One outbound message of a verified block, in chain order. */
export interface VerifiedMessage {
  readonly message: Message;
  /** the payload decoded once for everyone when the topic is `phala/system/event` and it decodes */
  readonly systemEvent: SystemEvent | undefined;
}

/** A block whose parent link and outbound messages have been authenticated. */
export interface VerifiedBlockView {
  readonly header: BlockHeader;
  readonly hash: Uint8Array;
  readonly number: number;
  /** `Timestamp::Now` of the block: the `now_ms` every handler of this block sees */
  readonly nowMs: bigint;
  readonly messages: readonly VerifiedMessage[];
}

/** Why a block was refused. */
export type BlockViewError =
  | { readonly _tag: 'NotContiguous'; readonly expected: number; readonly got: number }
  | { readonly _tag: 'ParentHashMismatch'; readonly number: number }
  | { readonly _tag: 'OutboundRootMismatch'; readonly number: number }
  | { readonly _tag: 'ConflictingBlock'; readonly number: number }
  | { readonly _tag: 'MalformedOutboundMessage'; readonly number: number; readonly index: number; readonly detail: string };

const SYSTEM_TOPIC = topicBytes(topics.systemEvent);

function decodeMessage(bytes: Uint8Array): E.Either<string, Message> {
  try {
    return E.right(MessageScale.decode(bytes));
  } catch (e) {
    if (e instanceof DecodeError) return E.left(e.message);
    throw e;
  }
}

// Phala's typed receivers log and skip a payload that does not decode; so do the workers here.
function systemEventOf(message: Message): SystemEvent | undefined {
  if (!bytesEqual(message.destination, SYSTEM_TOPIC)) return undefined;
  try {
    return SystemEventScale.decode(message.payload);
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/**
 * Checks `block` against its trusted parent header — number = parent + 1, `parentHash` =
 * `blockHash(parent)`, `listRoot(outbound)` = `outboundRoot` (the root recomputed once) — and
 * decodes its messages. The header itself is trusted once linked: phalanet has no finality gadget.
 */
export function verifyBlock(parent: BlockHeader, block: Block): E.Either<BlockViewError, VerifiedBlockView> {
  const { header } = block;
  if (header.number !== parent.number + 1) {
    return E.left({ _tag: 'NotContiguous', expected: parent.number + 1, got: header.number });
  }
  if (!bytesEqual(header.parentHash, blockHash(parent))) return E.left({ _tag: 'ParentHashMismatch', number: header.number });
  if (!bytesEqual(listRoot(block.outbound), header.outboundRoot)) {
    return E.left({ _tag: 'OutboundRootMismatch', number: header.number });
  }
  const messages: VerifiedMessage[] = [];
  for (let index = 0; index < block.outbound.length; index++) {
    const decoded = decodeMessage(block.outbound[index]!);
    if (E.isLeft(decoded)) {
      // authenticated yet undecodable: the producer wrote garbage; refuse the block loudly
      return E.left({ _tag: 'MalformedOutboundMessage', number: header.number, index, detail: decoded.left });
    }
    messages.push({ message: decoded.right, systemEvent: systemEventOf(decoded.right) });
  }
  return E.right({ header, hash: blockHash(header), number: header.number, nowMs: header.timestamp, messages });
}

/**
 * Authenticates a single outbound message of a trusted header by its inclusion proof (for a
 * consumer that is fed one message, not the whole block).
 */
export function verifyOutboundMessage(header: BlockHeader, messageBytes: Uint8Array, proof: ListProof): E.Either<BlockViewError, Message> {
  if (!verifyListProof(header.outboundRoot, messageBytes, proof)) return E.left({ _tag: 'OutboundRootMismatch', number: header.number });
  return E.mapLeft((detail: string): BlockViewError => ({ _tag: 'MalformedOutboundMessage', number: header.number, index: proof.index, detail }))(
    decodeMessage(messageBytes),
  );
}

/**
 * The process-wide follower of the header chain: each block is verified once, and every worker
 * host of the process gets the same view object. Keeps the last `keep` views for hosts that lag.
 */
export interface VerifiedChain {
  /** the newest trusted header */
  head(): BlockHeader;
  /** verifies the next block (or returns the cached view of a block already verified) */
  advance(block: Block): E.Either<BlockViewError, VerifiedBlockView>;
}

/** A follower starting from a trusted header (block 0's, whose hash the chain spec pins). */
export function createVerifiedChain(trusted: BlockHeader, keep = 16): VerifiedChain {
  let head = trusted;
  const recent = new Map<number, VerifiedBlockView>();
  return {
    head: () => head,
    advance(block) {
      const cached = recent.get(block.header.number);
      if (cached !== undefined) {
        return bytesEqual(cached.hash, blockHash(block.header)) ? E.right(cached) : E.left({ _tag: 'ConflictingBlock', number: block.header.number });
      }
      const view = verifyBlock(head, block);
      if (E.isRight(view)) {
        head = block.header;
        recent.set(view.right.number, view.right);
        recent.delete(view.right.number - keep);
      }
      return view;
    },
  };
}
