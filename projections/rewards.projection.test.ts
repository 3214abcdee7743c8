import type { BlockHeader } from '../domain/codec/blockHeader.codec';
import { blockHash } from '../domain/codec/blockHeader.codec';
import { type Block, blockCodec, eventRecordCodec } from '../domain/chain/block';
import { PHA, acct, worker } from '../domain/chain/pallets/testing/poolTestKit';
import { createPhalaRuntime } from '../domain/chain/phalaRuntime';
import type { RecordedEvent } from '../domain/ports/eventStore';
import type { EventRecord, Tagged } from '../domain/runtime/types';
import { type DecodedBlock, decodeBlockRecord } from './decodedBlock';
import { eventsProjection, queryEvents } from './events.projection';
import { queryRewards, rewardsProjection } from './rewards.projection';
import { expectIdempotent, foldInto } from './testing/projectionSpec';

// the assembled Phala runtime's event codec: the events as the real pallets encode them
const runtime = createPhalaRuntime();
const records = eventRecordCodec(runtime.eventCodec);
const onFinalize = (pallet: string, tag: string, value: object): EventRecord => ({
  phase: { tag: 'Finalization', value: undefined },
  event: { tag: pallet, value: { tag, value } as Tagged },
});
const ZERO: Uint8Array = new Uint8Array(32);

/** Seals blocks 0..n with the given events and decodes them as the runner would. */
function chainOf(eventsPerBlock: readonly EventRecord[][]): DecodedBlock[] {
  let parent: Uint8Array = ZERO;
  return eventsPerBlock.map((events, number) => {
    const header: BlockHeader = { number, parentHash: parent, timestamp: BigInt(1_000 + number), extrinsicsRoot: ZERO, eventsRoot: ZERO, outboundRoot: ZERO, stateRoot: ZERO, author: ZERO };
    parent = blockHash(header);
    const block: Block = { header, genesis: undefined, extrinsics: [], events: events.map((e) => records.enc(e)), outbound: [] };
    const record: RecordedEvent = { streamId: 'chain', version: number, globalPosition: BigInt(number + 1), type: 'BlockSealed', schemaVersion: 1, data: blockCodec.enc(block) };
    return decodeBlockRecord(record, runtime.eventCodec);
  });
}

const ONE = 1n << 64n; // 1.0 in U64F64 bits
const treasury = acct(9);
const settle = (n: number, payoutPha: bigint, treasuryUnits: bigint) => [
  onFinalize('Balances', 'Transfer', { from: acct(8), to: treasury, amount: treasuryUnits }),
  onFinalize('PhalaComputation', 'SessionSettled', { session: acct(n), vBits: ONE, payoutBits: payoutPha * ONE }),
];

const blocks = chainOf([
  [],
  [...settle(1, 3n, 500n), ...settle(2, 2n, 250n), onFinalize('PhalaStakePoolv2', 'RewardReceived', { pid: 4n, toOwner: PHA, toStakers: 4n * PHA })],
  [onFinalize('Balances', 'Transfer', { from: acct(1), to: acct(2), amount: 7n })],
  [
    onFinalize('PhalaStakePoolv2', 'RewardDismissedNotInPool', { worker: worker(5), amount: 11n }),
    onFinalize('PhalaStakePoolv2', 'RewardDismissedDust', { pid: 4n, amount: 2n }),
    onFinalize('PhalaComputation', 'SessionSettled', { session: acct(3), vBits: ONE, payoutBits: ONE / 2n }),
  ],
]);

describe('rewards projection', () => {
  it('sums settlements, treasury shares, pool distributions and dismissals per block', async () => {
    const store = await foldInto(rewardsProjection, blocks);
    expect(await queryRewards(store)).toEqual([
      { block: 1, settledSessions: 2, payout: (5n * PHA).toString(), treasury: '750', toOwners: PHA.toString(), toStakers: (4n * PHA).toString(), dismissed: '0' },
      // a settlement without a preceding transfer pays no treasury share
      { block: 3, settledSessions: 1, payout: (PHA / 2n).toString(), treasury: '0', toOwners: '0', toStakers: '0', dismissed: '13' },
    ]);
    expect((await queryRewards(store, { fromBlock: 2, toBlock: 3 })).map((r) => r.block)).toEqual([3]);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(rewardsProjection, blocks);
  });

  it('lets events be filtered by pool and by worker', async () => {
    const store = await foldInto(eventsProjection, blocks);
    const byPool = await queryEvents(store, { pool: 4 });
    expect(byPool.events.map((e) => `${e.block}:${e.name}`)).toEqual(['1:RewardReceived', '3:RewardDismissedDust']);
    const byWorker = await queryEvents(store, { worker: worker(5) });
    expect(byWorker.events.map((e) => e.name)).toEqual(['RewardDismissedNotInPool']);
    expect(byWorker.events[0]!.accounts).toEqual([]);
  });
});
