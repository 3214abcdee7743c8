/**
 * Key → partition the way Kafka's default partitioner does it (Java client and kafkajs's default):
 * `(murmur2(utf8(key)) & 0x7fffffff) % partitions`, murmur2 being Austin Appleby's MurmurHash2
 * with Kafka's seed 0x9747b28c. Using the same function means a key lands on the same partition in
 * a simulation as on a real broker.
 */

const utf8 = new TextEncoder();
const m = 0x5bd1e995;

/** Kafka's 32-bit murmur2 of `data`, as a signed 32-bit integer (like Java's `int`) */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = 0x9747b28c ^ length;
  const whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length % 4;
  // The tail bytes fold in from the highest one down, as in the reference switch fall-through.
  if (tail === 3) h ^= data[whole + 2]! << 16;
  if (tail >= 2) h ^= data[whole + 1]! << 8;
  if (tail >= 1) h = Math.imul(h ^ data[whole]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of `key` among `partitions`, as Kafka's default partitioner picks it */
export function partitionOfKey(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be >= 1, got ${partitions}`);
  return (murmur2(utf8.encode(key)) & 0x7fffffff) % partitions;
}
