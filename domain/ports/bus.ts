/**
 * Bus port: topics with keys and partitions, consumer groups, at-least-once delivery and per-key
 * order (ARCHITECTURE.md §6). Consumers must be idempotent: a message may arrive more than once.
 * Adapters: the simulated network (`simulations/`) and Kafka (`infra/bus/kafkaBus.ts`).
 */

export interface BusMessage {
  readonly topic: string;
  /** partitioning key: messages with the same key keep their order */
  readonly key: string;
  readonly value: Uint8Array;
  /** unique id for idempotent consumers (dedupe), set by the producer */
  readonly id: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface DeliveredMessage extends BusMessage {
  readonly partition: number;
  /** position in the partition, from 0 */
  readonly offset: bigint;
}

export interface TopicSpec {
  readonly name: string;
  /** fixed at creation; a mismatch with an existing topic is an error */
  readonly partitions: number;
}

export interface ConsumerOptions {
  /** consumers of one group share the partitions; each message goes to one member */
  readonly groupId: string;
  readonly topics: readonly string[];
  /** where a group with no committed offset starts */
  readonly fromBeginning?: boolean;
  /**
   * Called one message at a time per partition. The offset is committed only after the returned
   * promise resolves (at-least-once); a rejection redelivers the message.
   */
  readonly onMessage: (message: DeliveredMessage) => Promise<void>;
}

export interface Consumer {
  /** partitions currently assigned, by topic */
  assignment(): ReadonlyMap<string, readonly number[]>;
  /**
   * Leaves the group (its partitions go to the remaining members); resolves once its running
   * handlers have finished and their offsets are committed.
   */
  stop(): Promise<void>;
}

export interface Bus {
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /**
   * Resolves once every message is durably accepted by the bus. In a simulation this happens in
   * virtual time: the caller must let the scheduler run before awaiting it.
   */
  publish(messages: readonly BusMessage[]): Promise<void>;
  consume(options: ConsumerOptions): Promise<Consumer>;
  close(): Promise<void>;
}

/**
 * Thrown by an `onMessage` handler that cannot decode a message's payload. Unlike any other
 * rejection (which redelivers the message), the bus moves the message to its dead-letter topic
 * with the reason and the source position, then commits it: a poison message must neither block
 * its partition forever nor be dropped silently (ARCHITECTURE.md §6, `phalanet.dead-letter`).
 */
export class Undecodable extends Error {
  override readonly name = 'Undecodable';
  constructor(readonly reason: string) {
    super(`undecodable message: ${reason}`);
  }
}
