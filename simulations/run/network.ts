/**
 * The simulated network between the hosts and the block producer: extrinsics travel on the bus
 * topic `phalanet.extrinsics` (keyed by the submitting node, so one node's submissions keep their
 * order) with seeded latency and the scenario's faults; the producer's consumer puts what arrives
 * into its transaction pool, once per message id (at-least-once delivery, idempotent consumer).
 */
import type { BusMessage } from '../../domain/ports/bus';
import type { Random } from '../../domain/ports/random';
import type { Scheduler } from '../scheduler';
import { simulatedBus, type FaultConfig, type SimulatedBus } from '../network/simulatedBus';
import type { ResolvedScenario } from '../scenario/resolved.codec';

/** The extrinsic topic. */
export const EXTRINSICS_TOPIC = 'phalanet.extrinsics';
/** The block producer's node id (network cuts name it). */
export const PRODUCER_NODE = 'block-producer';

/** A transaction in the pool, with the block it arrived before. */
export interface PoolEntry {
  readonly bytes: Uint8Array;
  readonly arrivedAtBlock: number;
}

/** The producer's side: the pool the consumer fills. */
export interface TransactionNetwork {
  readonly bus: SimulatedBus;
  /** submits from node `from`; resolves in virtual time (never awaited by the driver) */
  submit(from: string, bytes: Uint8Array): void;
  /** what has arrived and was not taken yet */
  readonly pool: PoolEntry[];
  /** the block the producer is building next (arrival stamp) */
  currentBlock: number;
  /** publish failures (a bug in the driver, reported at the end) */
  readonly errors: string[];
}

/** The scenario's network faults in the bus's form. */
export function faultConfigOf(s: ResolvedScenario): FaultConfig {
  const n = s.faults.network;
  return {
    ...(n.drop === undefined ? {} : { drop: n.drop }),
    ...(n.duplicate === undefined ? {} : { duplicate: n.duplicate }),
    ...(n.reorder === undefined ? {} : { reorder: n.reorder }),
    ...(n.delay === undefined ? {} : { delay: n.delay }),
    ...(n.cuts === undefined ? {} : { cuts: n.cuts }),
  } as FaultConfig;
}

/** Creates the bus, its topic and the producer's consumer. */
export async function createTransactionNetwork(
  scheduler: Scheduler,
  random: Random,
  faults: FaultConfig,
  blockTimeMs: number,
  onPublish?: (nodeId: string, message: BusMessage) => void,
): Promise<TransactionNetwork> {
  // latency well under a block: a submission made at block time lands in that block unless faulted
  const baseMs = Math.max(1, Math.floor(blockTimeMs / 50));
  const bus = simulatedBus({ scheduler, random, latency: { baseMs, jitterMs: baseMs * 4 }, faults, ...(onPublish === undefined ? {} : { onPublish }) });
  await bus.ensureTopics([{ name: EXTRINSICS_TOPIC, partitions: 4 }]);
  const seen = new Set<string>();
  let counter = 0;
  const net: TransactionNetwork = {
    bus,
    pool: [],
    currentBlock: 0,
    errors: [],
    submit(from, bytes) {
      const id = `${from}/${counter++}`;
      bus
        .forNode(from)
        .publish([{ topic: EXTRINSICS_TOPIC, key: from, value: bytes, id }])
        .catch((e: unknown) => net.errors.push(`publish from ${from}: ${String(e)}`));
    },
  };
  await bus.forNode(PRODUCER_NODE).consume({
    groupId: 'block-producer',
    topics: [EXTRINSICS_TOPIC],
    fromBeginning: true,
    onMessage: async (m) => {
      if (seen.has(m.id)) return;
      seen.add(m.id);
      net.pool.push({ bytes: m.value, arrivedAtBlock: net.currentBlock });
    },
  });
  return net;
}
