/**
 * "The chain never forks": the blocks the run produced form one chain. Block numbers go 0, 1, 2,
 * … (a repeated or missing number means two heads or a lost block), each header's parent hash is
 * the previous header's hash (`blockHash`, genesis: 32 zero bytes), timestamps strictly grow, and
 * each header commits to its own content: `extrinsicsRoot`, `eventsRoot` and `outboundRoot` are
 * recomputed with `contentRoots` (a ledger record whose body was altered no longer matches).
 *
 * Cost: one header hash and three list roots per block; only the previous header is kept.
 */
import { type Block, contentRoots } from '../../domain/chain/block';
import { type BlockHeader, blockHash } from '../../domain/codec/blockHeader.codec';
import { bytesEqual } from '../../domain/codec/scale';
import type { BlockFacts, Checker } from './api';
import { verdict } from './verdict';

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const ZERO32 = new Uint8Array(32);

/** What is wrong with `block` as the successor of `prev` (undefined for genesis), or undefined. */
function linkError(prev: BlockHeader | undefined, block: Block): string | undefined {
  const h = block.header;
  if (prev === undefined) {
    if (h.number !== 0) return `the first block is #${h.number}, not genesis #0`;
    if (!bytesEqual(h.parentHash, ZERO32)) return `genesis has parent hash ${hex(h.parentHash)}, not zero`;
    return undefined;
  }
  if (h.number <= prev.number) return `block #${h.number} follows #${prev.number}: a second block at that height (two heads)`;
  if (h.number !== prev.number + 1) return `block #${h.number} follows #${prev.number}: ${h.number - prev.number - 1} block(s) missing`;
  const parent = blockHash(prev);
  if (!bytesEqual(h.parentHash, parent)) return `parent hash ${hex(h.parentHash)} is not the hash of block #${prev.number} (${hex(parent)})`;
  if (h.timestamp <= prev.timestamp) return `timestamp ${h.timestamp} is not after its parent's ${prev.timestamp}`;
  return undefined;
}

/** Which header roots do not match the block's content. */
function rootErrors(block: Block): string[] {
  const roots = contentRoots(block);
  const out: string[] = [];
  for (const key of ['extrinsicsRoot', 'eventsRoot', 'outboundRoot'] as const) {
    if (!bytesEqual(block.header[key], roots[key])) out.push(`${key} ${hex(block.header[key])} ≠ content's ${hex(roots[key])}`);
  }
  return out;
}

/** The fork checker. */
export function chainNeverForks(): Checker {
  const name = 'chainNeverForks';
  const v = verdict(name);
  let prev: BlockHeader | undefined;
  return {
    name,
    onBlock({ block }: BlockFacts) {
      const n = block.header.number;
      const link = linkError(prev, block);
      if (link !== undefined) v.fail(n, link);
      const roots = rootErrors(block);
      if (roots.length > 0) v.fail(n, `header does not commit to its content: ${roots.join('; ')}`);
      // a repeated height keeps the first head, so the next block is judged against it
      if (prev === undefined || n > prev.number) prev = block.header;
    },
    finish: () => v.result(),
  };
}
