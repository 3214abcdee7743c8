/**
 * An actor inbox topic (issue 8 item 2): fixed partitions, an actor's id (its pubkey, hex) is its
 * key, and the node owning partition p hosts the actors whose key Kafka's default partitioner
 * sends to p. The block feed reaches every partition through one tick per block and partition,
 * keyed by a name that lands on it.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { Undecodable } from '../../domain/ports/bus';
import { partitionOfKey } from '../../simulations/network/murmur2';

/** An inbox topic and its partition count (fixed: a topic with another count is refused). */
export interface ActorInbox {
  readonly topic: string;
  readonly partitions: number;
}

/** The partition of `inbox` hosting the actor with this id. */
export const partitionOfActor = (inbox: ActorInbox, actorId: string): number => partitionOfKey(actorId, inbox.partitions);

const tickKeys = new Map<number, readonly string[]>();

/** For each of `partitions` partitions, a key Kafka's default partitioner sends there (`block-tick-N`, the first that does). */
export function blockTickKeys(partitions: number): readonly string[] {
  const cached = tickKeys.get(partitions);
  if (cached !== undefined) return cached;
  const keys: (string | undefined)[] = Array.from({ length: partitions }, () => undefined);
  for (let i = 0, found = 0; found < partitions; i++) {
    const key = `block-tick-${i}`;
    const p = partitionOfKey(key, partitions);
    if (keys[p] === undefined) {
      keys[p] = key;
      found++;
    }
  }
  tickKeys.set(partitions, keys as string[]);
  return keys as string[];
}

/** A message of an actor inbox: the chain reached block `number` (the actors sync up to it). */
const BlockTick = t.type({ type: t.literal('BlockTick'), number: t.number });
export type BlockTick = t.TypeOf<typeof BlockTick>;

/** The messages announcing block `n` on `inbox`, one per partition. */
export function blockTickMessages(inbox: ActorInbox, n: number) {
  const value = new TextEncoder().encode(JSON.stringify({ type: 'BlockTick', number: n } satisfies BlockTick));
  return blockTickKeys(inbox.partitions).map((key) => ({ topic: inbox.topic, key, value, id: `block-tick/${n}/${key}` }));
}

/** Decodes a message of `inbox`; `Undecodable` (dead-lettered by the bus) for anything else. */
export function decodeBlockTick(inbox: ActorInbox, value: Uint8Array): BlockTick {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(value));
  } catch {
    throw new Undecodable(`${inbox.topic}: not JSON`);
  }
  const decoded = BlockTick.decode(json);
  if (isLeft(decoded) || !Number.isSafeInteger(decoded.right.number) || decoded.right.number < 0) throw new Undecodable(`${inbox.topic}: not a BlockTick {type, number}`);
  return decoded.right;
}
