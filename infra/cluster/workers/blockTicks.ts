/**
 * The block feed of the actor inboxes: after appending block n the producer announces it on every
 * partition of `phalanet.workers` and `phalanet.gatekeepers` (one `BlockTick` each), and each
 * partition's owner syncs its actors up to n. A lost tick costs nothing but latency: the next one
 * carries the actors past the missed block too (they catch up to the tick's number, not by one).
 */
import { kafkaBus, NODE_SESSION_TIMEOUT_MS } from '../../bus/kafkaBus';
import { type ActorInbox, blockTickMessages } from '../actorInbox';
import { GATEKEEPERS_INBOX } from '../gatekeepers/gatekeeperPlacement';
import { WORKERS_INBOX } from './workerPlacement';

/** The inboxes every block is announced on. */
export const TICKED_INBOXES: readonly ActorInbox[] = [WORKERS_INBOX, GATEKEEPERS_INBOX];

/** A running announcer. */
export interface BlockTicks {
  /** publishes the ticks of block `n` (in the background; a failure is logged) */
  announce(n: number): void;
  stop(): Promise<void>;
}

/** Creates the topics if missing and returns the announcer. */
export async function startBlockTicks(brokers: readonly string[], nodeId: string, log: (line: string) => void, kafkaProxy?: string): Promise<BlockTicks> {
  const bus = kafkaBus({ brokers, proxy: kafkaProxy, clientId: `phalanet-node-${nodeId}-ticks`, sessionTimeoutMs: NODE_SESSION_TIMEOUT_MS });
  await bus.ensureTopics(TICKED_INBOXES.map((i) => ({ name: i.topic, partitions: i.partitions }))).catch(async (error: unknown) => {
    await bus.close().catch(() => undefined);
    throw error;
  });
  const inFlight = new Set<Promise<void>>();
  return {
    announce(n) {
      const p = bus
        .publish(TICKED_INBOXES.flatMap((inbox) => blockTickMessages(inbox, n)))
        .catch((error: unknown) => log(`node ${nodeId}: announcing block ${n} to ${TICKED_INBOXES.map((i) => i.topic).join(', ')} failed (the next block's ticks cover it): ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async stop() {
      await Promise.all(inFlight);
      await bus.close();
    },
  };
}
