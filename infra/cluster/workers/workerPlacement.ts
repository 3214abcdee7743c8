/**
 * Where worker actors live (issue 8 item 2): the inbox topic `phalanet.workers` has 12
 * partitions, keyed by the worker's pubkey (`actorInbox.ts`).
 */
import { type ActorInbox, partitionOfActor } from '../actorInbox';

/** The workers' inbox topic. */
export const WORKERS_TOPIC = 'phalanet.workers';
/** Its partition count (fixed: a topic with another count is refused). */
export const WORKERS_PARTITIONS = 12;
export const WORKERS_INBOX: ActorInbox = { topic: WORKERS_TOPIC, partitions: WORKERS_PARTITIONS };

/** The partition hosting the worker with this pubkey (0x hex). */
export const partitionOfWorker = (pubkeyHex: string): number => partitionOfActor(WORKERS_INBOX, pubkeyHex);
