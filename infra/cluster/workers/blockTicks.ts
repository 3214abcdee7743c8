/**
 * The block feed of the worker actors: after appending block n the producer announces it on every
 * partition of `phalanet.workers` (one `BlockTick` each), and each partition's owner syncs its
 * workers up to n. A lost tick costs nothing but latency: the next one carries the workers past
 * the missed block too (they catch up to the tick's number, not by one).
 */
import { kafkaBus, NODE_SESSION_TIMEOUT_MS } from '../../bus/kafkaBus';
import { blockTickMessages, WORKERS_PARTITIONS, WORKERS_TOPIC } from './workerPlacement';

/** A running announcer. */
export interface BlockTicks {
  /** publishes the ticks of block `n` (in the background; a failure is logged) */
  announce(n: number): void;
  stop(): Promise<void>;
}

/** Creates the topic if missing and returns the announcer. */
export async function startBlockTicks(brokers: readonly string[], nodeId: string, log: (line: string) => void): Promise<BlockTicks> {
  const bus = kafkaBus({ brokers, clientId: `phalanet-node-${nodeId}-ticks`, sessionTimeoutMs: NODE_SESSION_TIMEOUT_MS });
  await bus.ensureTopics([{ name: WORKERS_TOPIC, partitions: WORKERS_PARTITIONS }]).catch(async (error: unknown) => {
    await bus.close().catch(() => undefined);
    throw error;
  });
  const inFlight = new Set<Promise<void>>();
  return {
    announce(n) {
      const p = bus
        .publish(blockTickMessages(n))
        .catch((error: unknown) => log(`node ${nodeId}: announcing block ${n} to ${WORKERS_TOPIC} failed (the next block's ticks cover it): ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async stop() {
      await Promise.all(inFlight);
      await bus.close();
    },
  };
}
