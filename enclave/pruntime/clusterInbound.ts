/**
 * The chain messages a worker that may host a contract cluster subscribes to (`System::new` in
 * `crates/phactory/src/system/mod.rs`: `cluster_operation_events`, `contract_operation_events`,
 * and each installed contract's command topic), decoded once per message. Like phala-mq's
 * `select_ignore_errors!`, a payload that does not decode is skipped.
 */
import { type ClusterOperation, ClusterOperationScale, type ContractOperation, ContractOperationScale } from '../../domain/codec/contractEvents.codec';
import type { Message, MessageOrigin } from '../../domain/codec/mq.codec';
import type { Scale } from '../../domain/codec/scale';
import { topics } from '../../domain/codec/topics';

/** A decoded cluster-side chain message; `undefined` for every other topic. */
export type ClusterInbound =
  | { readonly kind: 'clusterOperation'; readonly origin: MessageOrigin; readonly operation: ClusterOperation }
  | { readonly kind: 'contractOperation'; readonly origin: MessageOrigin; readonly operation: ContractOperation }
  /** a message on `phala/contract/<hex id>/command`; the payload stays opaque (only the contract key opens it) */
  | { readonly kind: 'command'; readonly origin: MessageOrigin; readonly contractIdHex: string; readonly payload: Uint8Array };

const utf8 = new TextDecoder('utf-8', { fatal: false });
const COMMAND_TOPIC = /^phala\/contract\/([0-9a-f]{64})\/command$/;

function tryDecode<T>(codec: Scale<T>, payload: Uint8Array): T | undefined {
  try {
    return codec.decode(payload);
  } catch {
    return undefined;
  }
}

/** Decodes `message` if its topic is one a cluster worker acts on. */
export function decodeClusterInbound(message: Message): ClusterInbound | undefined {
  const origin = message.sender;
  const topic = utf8.decode(message.destination);
  if (topic === topics.clusterKey) {
    const operation = tryDecode(ClusterOperationScale, message.payload);
    return operation && { kind: 'clusterOperation', origin, operation };
  }
  if (topic === topics.contractOperation) {
    const operation = tryDecode(ContractOperationScale, message.payload);
    return operation && { kind: 'contractOperation', origin, operation };
  }
  const command = COMMAND_TOPIC.exec(topic);
  if (command === null) return undefined;
  return { kind: 'command', origin, contractIdHex: `0x${command[1]}`, payload: message.payload };
}
