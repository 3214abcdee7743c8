/**
 * mq topics (`bind_topic!` in `crates/phala-types`, `pallets/phala/src/{registry,phat}.rs`) and
 * the topic rules of `phala-mq` `Topic::is_valid` / `is_offchain`.
 */
import { fromHex, toHexPlain } from './hex';

/** Every bound topic. A leading `^` marks an on-chain-only topic (never in `OutboundMessages`). */
export const topics = {
  systemEvent: 'phala/system/event',
  registryEvent: '^phala/registry/event',
  registryGatekeeperEvent: '^phala/registry/gk_event',
  workingReport: 'phala/mining/report',
  workingInfoUpdate: '^phala/mining/update',
  gatekeeperLaunch: 'phala/gatekeeper/launch',
  gatekeeperChange: 'phala/gatekeeper/change',
  gatekeeperKey: 'phala/gatekeeper/key',
  gatekeeperEvent: 'phala/gatekeeper/event',
  clusterRegistry: '^phala/registry/cluster',
  contractRegistry: '^phala/registry/contract',
  clusterEvent: 'phala/cluster/event',
  clusterKey: 'phala/cluster/key',
  workerClusterReport: 'phala/cluster/worker/report',
  contractOperation: 'phala/contract/op',
} as const;

/** The first bytes a topic may not start with (`Topic::RESERVED_BYTES`). */
const RESERVED_FIRST_BYTES = new Set(Array.from("~!@#$%&*_+-=|<>?,./;:'", (ch) => ch.charCodeAt(0)));
const CARET = '^'.charCodeAt(0);
const utf8 = new TextEncoder();

/** Topic path bytes of a topic string (UTF-8). */
export function topicBytes(topic: string): Uint8Array {
  return utf8.encode(topic);
}

/** A topic is valid if non-empty and its first byte is not reserved. */
export function isValidTopic(topic: Uint8Array): boolean {
  const first = topic[0];
  return first !== undefined && !RESERVED_FIRST_BYTES.has(first);
}

/** Valid and not `^`-prefixed: pushed to `OutboundMessages`, so pRuntimes see it. */
export function isOffchainTopic(topic: Uint8Array): boolean {
  return isValidTopic(topic) && topic[0] !== CARET;
}

/** `command_topic(id)`: `phala/contract/<lowercase hex id, no 0x>/command`; `id` as bytes or `0x` hex. */
export function commandTopic(contractId: Uint8Array | string): string {
  const id = typeof contractId === 'string' ? fromHex(contractId, 'contract id', 32) : contractId;
  if (id.length !== 32) throw new RangeError(`contract id must be 32 bytes, got ${id.length}`);
  return `phala/contract/${toHexPlain(id)}/command`;
}
