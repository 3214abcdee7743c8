/**
 * Chain head and blocks: one row per block (number, hash, parent, timestamp, author, counts) and
 * the head. `--at-block N` for the head is the row of block N: a direct read, no fold needed.
 */
import * as t from 'io-ts';
import type { DecodedBlock } from './decodedBlock';
import type { Projection } from './projection';
import { decodeRow } from './rows';
import { type ProjectionReader, padBlock } from './store';

const BLOCKS = 'blocks';
const HEAD = 'head';

/** A block row, JSON-ready. */
export const BlockRow = t.type({
  number: t.number,
  hash: t.string,
  parentHash: t.string,
  timestampMs: t.number,
  author: t.string,
  extrinsicCount: t.number,
  eventCount: t.number,
  outboundCount: t.number,
});
/** A block row. */
export type BlockRow = t.TypeOf<typeof BlockRow>;

const rowOf = (b: DecodedBlock): BlockRow => ({
  number: b.number,
  hash: b.hash,
  parentHash: b.parentHash,
  timestampMs: b.timestampMs,
  author: b.author,
  extrinsicCount: b.extrinsicCount,
  eventCount: b.events.length,
  outboundCount: b.outboundCount,
});

/** The `blocks` projection. */
export const blocksProjection: Projection = {
  name: 'blocks',
  version: 1,
  tables: [BLOCKS, HEAD],
  async apply(block, tx) {
    const row = rowOf(block);
    await tx.put(BLOCKS, padBlock(block.number), row);
    await tx.put(HEAD, HEAD, row);
  },
};

/** The head block, or the block at `atBlock` (time travel); undefined before genesis is projected. */
export async function queryHead(reader: ProjectionReader, atBlock?: number): Promise<BlockRow | undefined> {
  const raw = atBlock === undefined ? await reader.get(HEAD, HEAD) : await reader.get(BLOCKS, padBlock(atBlock));
  return raw === undefined ? undefined : decodeRow(BlockRow, raw, atBlock === undefined ? 'head' : `blocks/${atBlock}`);
}

/** Blocks in a range, newest first by default; `limit` defaults to 50. */
export async function queryBlocks(reader: ProjectionReader, q: { fromBlock?: number; toBlock?: number; limit?: number; ascending?: boolean } = {}): Promise<BlockRow[]> {
  const rows = await reader.scan(BLOCKS, {
    after: q.fromBlock === undefined || q.fromBlock <= 0 ? undefined : padBlock(q.fromBlock - 1),
    before: q.toBlock === undefined ? undefined : padBlock(q.toBlock + 1),
    reverse: q.ascending !== true,
    limit: q.limit ?? 50,
  });
  return rows.map((r) => decodeRow(BlockRow, r.value, `blocks/${r.key}`));
}
