/**
 * A partition-aware consumer of one inbox topic, for `PartitionHost` (issue 8, item 3): the bus
 * tells the host which partitions it got and lost, the host says where each one starts (the
 * applied offset in PostgreSQL, not Kafka's committed one), and messages of a partition flow only
 * once it is ready. Implemented over Kafka by `kafkaBus(...).consumePlaced` with the sticky
 * assigner; kept apart so that the host never sees kafkajs.
 */
import type { DeliveredMessage } from '../../domain/ports/bus';
import type { PlacementPlan } from './placementPlan';

/** What the host does for the consumer */
export interface PlacedHandlers {
  /**
   * Partitions arrived (none of them flows yet). Resolves with the offset of the first message
   * to deliver for each; a partition missing from the map is dropped again (not consumed).
   */
  onAssigned(partitions: readonly number[]): Promise<ReadonlyMap<number, bigint>>;
  /** Partitions left (taken by the group, or given up after `onMessage` said 'lost'); no message of them is in flight */
  onRevoked(partitions: readonly number[]): Promise<void>;
  /**
   * One message, one at a time per partition. 'done' commits its offset to the bus (after the
   * store transaction committed); 'lost' means this node no longer owns the partition: the bus
   * stops it without committing and reports it revoked. A rejection redelivers it after a
   * backoff; an `Undecodable` one dead-letters it.
   */
  onMessage(message: DeliveredMessage): Promise<'done' | 'lost'>;
}

/** Which group, topic and node */
export interface PlacedConsumerOptions extends PlacedHandlers {
  readonly groupId: string;
  readonly topic: string;
  /** stable node id: the sticky assigner's identity (a restarted node gets its partitions back) */
  readonly nodeId: string;
  /**
   * the placement to start from when the group has none (every member new, e.g. the whole
   * cluster restarted): the owners recorded in PostgreSQL, so nodes get their partitions back
   */
  readonly initialPlan?: PlacementPlan;
  /** pinned mode: this node's vault scope and every scope of the cluster (`placementProtocol.ts`) */
  readonly pinned?: VaultScopes | undefined;
}

/** Pinned mode: a node's vault scope and every scope of the cluster, in the order all nodes share. */
export interface VaultScopes {
  readonly own: string;
  readonly all: readonly string[];
}

/** A running placed consumer */
export interface PlacedConsumer {
  /** partitions that are ready and flowing, ascending */
  ready(): readonly number[];
  /** leaves the group after the messages in flight are handled; reports every partition revoked */
  stop(): Promise<void>;
}
