import { Undecodable } from '../../../domain/ports/bus';
import { partitionOfKey } from '../../../simulations/network/murmur2';
import { blockTickKeys, blockTickMessages, decodeWorkerInbox, partitionOfWorker, WORKERS_PARTITIONS, WORKERS_TOPIC } from './workerPlacement';

const utf8 = new TextEncoder();

describe('worker placement', () => {
  it('has one tick key per partition, each landing on its partition', () => {
    const keys = blockTickKeys();
    expect(keys).toHaveLength(WORKERS_PARTITIONS);
    expect(keys.map((key) => partitionOfKey(key, WORKERS_PARTITIONS))).toEqual(keys.map((_, p) => p));
  });

  it('announces a block on every partition with ids unique per block and partition', () => {
    const ticks = blockTickMessages(7);
    expect(new Set(ticks.map((t) => partitionOfKey(t.key, WORKERS_PARTITIONS))).size).toBe(WORKERS_PARTITIONS);
    expect(ticks.every((t) => t.topic === WORKERS_TOPIC)).toBe(true);
    expect(new Set([...ticks, ...blockTickMessages(8)].map((t) => t.id)).size).toBe(2 * WORKERS_PARTITIONS);
    expect(decodeWorkerInbox(ticks[0]!.value)).toEqual({ type: 'BlockTick', number: 7 });
  });

  it('places a worker by its pubkey as Kafka would', () => {
    const pubkey = `0x${'ab'.repeat(32)}`;
    expect(partitionOfWorker(pubkey)).toBe(partitionOfKey(pubkey, 12));
  });

  it.each([['not json', 'nope'], ['another type', '{"type":"Other","number":1}'], ['a negative block', '{"type":"BlockTick","number":-1}']])('hands %s back as undecodable', (_, text) => {
    expect(() => decodeWorkerInbox(utf8.encode(text))).toThrow(Undecodable);
  });
});
