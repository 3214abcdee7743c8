/**
 * Partition assignment within a consumer group: Kafka's range assignor. For each topic, the members
 * subscribed to it, in join order, get contiguous ranges of partitions; the first
 * `partitions % members` members get one extra. Deterministic: it depends only on the join order.
 */

/** A group member as the assignor sees it */
export interface AssignorMember {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/** memberId → topic → partitions (ascending) */
export type GroupAssignment = ReadonlyMap<string, ReadonlyMap<string, readonly number[]>>;

/** Assigns every partition of every subscribed topic to exactly one member (members in join order) */
export function rangeAssign(members: readonly AssignorMember[], partitionsOf: (topic: string) => number): GroupAssignment {
  const result = new Map<string, Map<string, number[]>>(members.map((m) => [m.memberId, new Map()]));
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  for (const topic of topics) {
    const subscribers = members.filter((m) => m.topics.includes(topic));
    const count = partitionsOf(topic);
    const base = Math.floor(count / subscribers.length);
    const extra = count % subscribers.length;
    subscribers.forEach((member, i) => {
      const start = i * base + Math.min(i, extra);
      const size = base + (i < extra ? 1 : 0);
      result.get(member.memberId)!.set(
        topic,
        Array.from({ length: size }, (_, k) => start + k),
      );
    });
  }
  return result;
}
