import { Undecodable } from '../../domain/ports/bus';
import { partitionOfKey } from '../../simulations/network/murmur2';
import { blockTickKeys, blockTickMessages, decodeBlockTick } from './actorInbox';
import { GATEKEEPERS_INBOX, partitionOfGatekeeper } from './gatekeepers/gatekeeperPlacement';
import { partitionOfWorker, WORKERS_INBOX } from './workers/workerPlacement';

const utf8 = new TextEncoder();

describe.each([WORKERS_INBOX, GATEKEEPERS_INBOX])('actor inbox $topic', (inbox) => {
  it('has one tick key per partition, each landing on its partition', () => {
    const keys = blockTickKeys(inbox.partitions);
    expect(keys).toHaveLength(inbox.partitions);
    expect(keys.map((key) => partitionOfKey(key, inbox.partitions))).toEqual(keys.map((_, p) => p));
  });

  it('announces a block on every partition with ids unique per block and partition', () => {
    const ticks = blockTickMessages(inbox, 7);
    expect(new Set(ticks.map((t) => partitionOfKey(t.key, inbox.partitions))).size).toBe(inbox.partitions);
    expect(ticks.every((t) => t.topic === inbox.topic)).toBe(true);
    expect(new Set([...ticks, ...blockTickMessages(inbox, 8)].map((t) => t.id)).size).toBe(2 * inbox.partitions);
    expect(decodeBlockTick(inbox, ticks[0]!.value)).toEqual({ type: 'BlockTick', number: 7 });
  });

  it.each([['not json', 'nope'], ['another type', '{"type":"Other","number":1}'], ['a negative block', '{"type":"BlockTick","number":-1}']])('hands %s back as undecodable, naming the topic', (_, text) => {
    expect(() => decodeBlockTick(inbox, utf8.encode(text))).toThrow(Undecodable);
    expect(() => decodeBlockTick(inbox, utf8.encode(text))).toThrow(inbox.topic);
  });
});

it('places workers and gatekeepers by their pubkey as Kafka would', () => {
  const pubkey = `0x${'ab'.repeat(32)}`;
  expect(partitionOfWorker(pubkey)).toBe(partitionOfKey(pubkey, 12));
  expect(partitionOfGatekeeper(pubkey)).toBe(partitionOfKey(pubkey, 4));
});
