/**
 * Transaction intake over Kafka for the producer role (`phalanet node --kafka`): signed
 * extrinsics published to `phalanet.extrinsics` (value = the SCALE extrinsic, key = the signer,
 * so one signer's transactions keep their order) land in the node's transaction pool.
 *
 * Every producer node consumes in a group of its own, so every standby already holds the pending
 * transactions when it takes over; what a previous leader already included is rejected at the
 * next production (stale nonce) and dropped. The pool lives in memory and the offset is
 * committed once the extrinsic is in it: a node that dies loses its copy, the other nodes keep
 * theirs. An undecodable payload goes to the dead-letter topic (never dropped silently).
 */
import { decodeExtrinsic } from '../../../domain/chain/extrinsic';
import { Undecodable } from '../../../domain/ports/bus';
import { kafkaBus, NODE_SESSION_TIMEOUT_MS } from '../../bus/kafkaBus';

/** The topic signed extrinsics are published to. */
export const EXTRINSICS_TOPIC = 'phalanet.extrinsics';
/** Its partition count (fixed: a topic with another count is refused). */
export const EXTRINSICS_PARTITIONS = 3;
/** Beyond this many waiting extrinsics the oldest are dropped (a standby's pool never drains). */
const MAX_POOL = 20_000;

/** Options of `startKafkaIntake`. */
export interface KafkaIntakeOptions {
  readonly brokers: readonly string[];
  /** a TCP proxy every broker connection dials (`--kafka-proxy`) */
  readonly kafkaProxy?: string | undefined;
  readonly nodeId: string;
  /** the producer's pool, filled in arrival order */
  readonly pool: Uint8Array[];
}

/** A running intake. */
export interface KafkaIntake {
  stop(): Promise<void>;
}

/** Creates the topic if missing and starts consuming into `pool`. */
export async function startKafkaIntake(options: KafkaIntakeOptions): Promise<KafkaIntake> {
  const bus = kafkaBus({ brokers: options.brokers, proxy: options.kafkaProxy, clientId: `phalanet-node-${options.nodeId}`, sessionTimeoutMs: NODE_SESSION_TIMEOUT_MS });
  try {
    await bus.ensureTopics([{ name: EXTRINSICS_TOPIC, partitions: EXTRINSICS_PARTITIONS }]);
    const consumer = await bus.consume({
      groupId: `phalanet.producer.${options.nodeId}`,
      topics: [EXTRINSICS_TOPIC],
      fromBeginning: true,
      onMessage: async (message) => {
        try {
          decodeExtrinsic(message.value);
        } catch (error) {
          throw new Undecodable(`not a SCALE extrinsic: ${error instanceof Error ? error.message : String(error)}`);
        }
        if (options.pool.length >= MAX_POOL) options.pool.shift();
        options.pool.push(message.value);
      },
    });
    return {
      async stop() {
        await consumer.stop();
        await bus.close();
      },
    };
  } catch (error) {
    await bus.close().catch(() => undefined);
    throw error;
  }
}
