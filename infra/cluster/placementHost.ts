/**
 * `PartitionHost`: one node's share of an inbox topic (issue 8, item 3). It ties the sticky
 * placed consumer to the fencing rows: on assignment it claims each partition (epoch + 1),
 * lets the actor layer restore the partition's actors from the store, and starts consuming after
 * the offset PostgreSQL says was applied last; every message is applied in one fenced
 * transaction; on revocation, or when a write is fenced because another node claimed the
 * partition, it stops the partition and lets the actor layer drop its actors.
 */
import { type Bus, type DeliveredMessage, Undecodable } from '../../domain/ports/bus';
import { Fenced, type FencedTransaction, type PartitionFencing, type PartitionLease } from './fencing';
import type { ClusterDatabase } from './fencingSchema';
import { type OutboxLoop, outboxRelay, startOutboxLoop } from './outboxRelay';
import type { PlacedConsumer, PlacedConsumerOptions, VaultScopes } from './placementSource';

/** What the host needs from the actor layer and the infrastructure */
export interface PartitionHostOptions {
  readonly nodeId: string;
  /** the inbox topic, e.g. `phalanet.workers` */
  readonly topic: string;
  readonly groupId: string;
  /** the placed consumer's factory: `kafkaBus(...)` */
  readonly source: { consumePlaced(options: PlacedConsumerOptions): Promise<PlacedConsumer> };
  readonly fencing: PartitionFencing;
  /** pinned mode: this node takes only its vault scope's partitions */
  readonly pinned?: VaultScopes | undefined;
  /** restores the partition's actors from the store (snapshot or checkpoint plus tail) before its first message */
  readonly restore: (partition: number, lease: PartitionLease) => Promise<void>;
  /** forgets the partition's actors: another node owns it now */
  readonly drop: (partition: number) => Promise<void>;
  /** applies one message inside its fenced transaction (appends with expected versions, outbox sends) */
  readonly apply: (message: DeliveredMessage, tx: FencedTransaction) => Promise<void>;
  /**
   * relays the outbox rows of the partitions this host owns (one relay per partition keeps their
   * order); rows left at a stop are sent by the partition's next owner
   */
  readonly outbox?: { readonly db: ClusterDatabase; readonly bus: Pick<Bus, 'publish'>; readonly intervalMs?: number; readonly log?: (message: string, error: unknown) => void };
  /**
   * runs at `stop()` after the messages in flight are done and before the node leaves the group,
   * with the partitions it still owns: the last fenced writes (a final sealed checkpoint)
   */
  readonly beforeLeave?: (owned: ReadonlyMap<number, PartitionLease>) => Promise<void>;
}

/** Counters for `/status` and `/metrics` */
export interface PartitionHostStats {
  readonly applied: number;
  /** replays of messages already applied (offset ≤ applied offset) */
  readonly skipped: number;
  /** writes refused because another node had claimed the partition */
  readonly fenced: number;
  readonly claims: number;
  /** messages handed back as undecodable (the bus dead-letters them) */
  readonly undecodable: number;
}

/** A running host */
export interface PartitionHost {
  /** leases of the partitions claimed and restored, by partition */
  owned(): ReadonlyMap<number, PartitionLease>;
  stats(): PartitionHostStats;
  /** leaves the group (its partitions move to the other hosts) after the messages in flight */
  stop(): Promise<void>;
}

/** Starts consuming `options.topic` as `options.nodeId` (see the file's comment). */
export async function startPartitionHost(options: PartitionHostOptions): Promise<PartitionHost> {
  const leases = new Map<number, PartitionLease>();
  const stats = { applied: 0, skipped: 0, fenced: 0, claims: 0, undecodable: 0 };
  const lose = (partition: number) => {
    stats.fenced += 1;
    leases.delete(partition);
    return 'lost' as const;
  };
  const claim = async (partition: number): Promise<[number, bigint]> => {
    const lease = await options.fencing.claim(options.topic, partition, options.nodeId);
    stats.claims += 1;
    await options.restore(partition, lease);
    leases.set(partition, lease);
    return [partition, lease.appliedOffset + 1n];
  };
  // messages being applied: `stop()` lets them finish before the last writes
  const inFlight = new Set<Promise<unknown>>();
  let draining = false;
  let lastWritesDone: () => void = () => undefined;
  const afterLastWrites = new Promise<void>((resolve) => {
    lastWritesDone = resolve;
  });
  const onMessage = (message: DeliveredMessage): Promise<'done' | 'lost'> => {
    // A stopping node applies no new message (its next owner does, after the PostgreSQL offset).
    // It answers 'lost' only after its last writes: said at once, the bus would give the partition
    // up (revoke it here) before they were made.
    if (draining) return afterLastWrites.then(() => 'lost' as const);
    const work = handle(message);
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };
  const handle = async (message: DeliveredMessage): Promise<'done' | 'lost'> => {
    const lease = leases.get(message.partition);
    if (lease === undefined) return 'lost';
    try {
      const outcome = await options.fencing.apply(lease, message.offset, (tx) => options.apply(message, tx));
      stats[outcome.status === 'applied' ? 'applied' : 'skipped'] += 1;
      return 'done';
    } catch (error) {
      if (error instanceof Fenced) return lose(message.partition);
      // the bus dead-letters it. Its offset is not recorded here: were the dead-letter publish to
      // fail after that, the redelivery would be skipped and the message lost. A restart right
      // after it may dead-letter it twice; the next applied message moves the offset past it.
      if (error instanceof Undecodable) stats.undecodable += 1;
      throw error;
    }
  };
  // where the partitions were: the seed of the sticky plan when the whole group starts afresh
  const initialPlan = new Map((await options.fencing.owners(options.topic)).map((o) => [o.partition, { owner: o.owner, home: o.owner }]));
  const consumer = await options.source.consumePlaced({
    groupId: options.groupId,
    topic: options.topic,
    nodeId: options.nodeId,
    initialPlan,
    pinned: options.pinned,
    onAssigned: async (partitions) => new Map(await Promise.all(partitions.map(claim))),
    onRevoked: async (partitions) => {
      for (const p of partitions) leases.delete(p);
      await Promise.all(partitions.map((p) => options.drop(p)));
    },
    onMessage,
  });
  const relay: OutboxLoop | undefined =
    options.outbox &&
    startOutboxLoop(outboxRelay({ db: options.outbox.db, bus: options.outbox.bus, sourceTopic: options.topic, partitions: () => [...leases.keys()] }), options.outbox);
  let stopping: Promise<void> | undefined;
  return {
    owned: () => new Map([...leases].sort(([a], [b]) => a - b)),
    stats: () => ({ ...stats }),
    stop: () => {
      stopping ??= (async () => {
        draining = true;
        await Promise.allSettled([...inFlight]);
        try {
          if (options.beforeLeave !== undefined) await options.beforeLeave(new Map(leases));
        } finally {
          lastWritesDone();
        }
        await consumer.stop();
        await relay?.stop();
      })();
      return stopping;
    },
  };
}
