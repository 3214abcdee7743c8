import { blocksProjection, queryBlocks, queryHead } from './blocks.projection';
import type { DecodedBlock } from './decodedBlock';
import { buildTestLedger } from './testing/ledgerForTests';
import { decodedBlocks, expectIdempotent, foldInto } from './testing/projectionSpec';

let blocks: DecodedBlock[];
beforeAll(async () => {
  const t = await buildTestLedger(40);
  blocks = await decodedBlocks(t.ledger, t.runtime.eventCodec);
}, 60_000);

describe('blocks projection', () => {
  it('records each block and moves the head', async () => {
    const store = await foldInto(blocksProjection, blocks);
    const head = await queryHead(store);
    expect(head).toMatchObject({ number: 40, hash: blocks[40]!.hash, parentHash: blocks[39]!.hash, author: `0x${'07'.repeat(32)}` });
    const all = await queryBlocks(store, { ascending: true, limit: 1000 });
    expect(all.map((b) => b.number)).toEqual(blocks.map((b) => b.number));
    for (let n = 1; n < all.length; n++) expect(all[n]!.parentHash).toBe(all[n - 1]!.hash);
    expect(all[3]).toMatchObject({ extrinsicCount: 3, eventCount: blocks[3]!.events.length, timestampMs: 1_700_000_000_000 + 3 * 12_000 });
    expect(all[4]!.extrinsicCount).toBe(0);
    expect(all[0]).toMatchObject({ number: 0, extrinsicCount: 0, parentHash: `0x${'00'.repeat(32)}` });
  });

  it('answers the head at a past block and block ranges, newest first by default', async () => {
    const store = await foldInto(blocksProjection, blocks);
    expect((await queryHead(store, 17))?.hash).toBe(blocks[17]!.hash);
    expect(await queryHead(store, 41)).toBeUndefined();
    expect((await queryBlocks(store, { fromBlock: 10, toBlock: 14 })).map((b) => b.number)).toEqual([14, 13, 12, 11, 10]);
    expect((await queryBlocks(store, { limit: 2 })).map((b) => b.number)).toEqual([40, 39]);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(blocksProjection, blocks);
  });
});
