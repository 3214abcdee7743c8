/**
 * Where worker actors live (issue 8 item 2): the inbox topic `phalanet.workers` has 12
 * partitions, a worker's actor id (its pubkey, hex) is its key, and the node owning partition p
 * hosts the workers whose key Kafka's default partitioner sends to p. The block feed reaches every
 * partition through one tick per block and partition, keyed by a name that lands on it.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { Undecodable } from '../../../domain/ports/bus';
import { partitionOfKey } from '../../../simulations/network/murmur2';

/** The workers' inbox topic. */
export const WORKERS_TOPIC = 'phalanet.workers';
/** Its partition count (fixed: a topic with another count is refused). */
export const WORKERS_PARTITIONS = 12;

/** The partition hosting the worker with this pubkey (0x hex). */
export const partitionOfWorker = (pubkeyHex: string): number => partitionOfKey(pubkeyHex, WORKERS_PARTITIONS);

let tickKeys: readonly string[] | undefined;

/** For each partition, a key Kafka's default partitioner sends there (`block-tick-N`, the first that does). */
export function blockTickKeys(): readonly string[] {
  if (tickKeys !== undefined) return tickKeys;
  const keys: (string | undefined)[] = Array.from({ length: WORKERS_PARTITIONS }, () => undefined);
  for (let i = 0, found = 0; found < WORKERS_PARTITIONS; i++) {
    const key = `block-tick-${i}`;
    const p = partitionOfKey(key, WORKERS_PARTITIONS);
    if (keys[p] === undefined) {
      keys[p] = key;
      found++;
    }
  }
  tickKeys = keys as string[];
  return tickKeys;
}

/** A message of the workers' inbox: the chain reached block `number` (the workers sync up to it). */
const BlockTick = t.type({ type: t.literal('BlockTick'), number: t.number });
export type BlockTick = t.TypeOf<typeof BlockTick>;

/** The inbox messages announcing block `n`, one per partition. */
export function blockTickMessages(n: number) {
  const value = new TextEncoder().encode(JSON.stringify({ type: 'BlockTick', number: n } satisfies BlockTick));
  return blockTickKeys().map((key) => ({ topic: WORKERS_TOPIC, key, value, id: `block-tick/${n}/${key}` }));
}

/** Decodes an inbox message; `Undecodable` (dead-lettered by the bus) for anything else. */
export function decodeWorkerInbox(value: Uint8Array): BlockTick {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(value));
  } catch {
    throw new Undecodable('phalanet.workers: not JSON');
  }
  const decoded = BlockTick.decode(json);
  if (isLeft(decoded) || !Number.isSafeInteger(decoded.right.number) || decoded.right.number < 0) throw new Undecodable('phalanet.workers: not a BlockTick {type, number}');
  return decoded.right;
}
