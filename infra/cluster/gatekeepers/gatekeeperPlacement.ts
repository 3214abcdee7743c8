/**
 * Where gatekeeper actors live: the inbox topic `phalanet.gatekeepers` has 4 partitions, keyed
 * by the gatekeeper's pubkey (`actorInbox.ts`). A network has a handful of gatekeepers, so a few
 * partitions spread them over the nodes with the role.
 */
import { type ActorInbox, partitionOfActor } from '../actorInbox';

export const GATEKEEPERS_TOPIC = 'phalanet.gatekeepers';
export const GATEKEEPERS_PARTITIONS = 4;
export const GATEKEEPERS_INBOX: ActorInbox = { topic: GATEKEEPERS_TOPIC, partitions: GATEKEEPERS_PARTITIONS };

/** The partition hosting the gatekeeper with this pubkey (0x hex). */
export const partitionOfGatekeeper = (pubkeyHex: string): number => partitionOfActor(GATEKEEPERS_INBOX, pubkeyHex);
