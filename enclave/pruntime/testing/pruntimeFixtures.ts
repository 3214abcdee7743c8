/**
 * Test-only helpers for the pRuntime: a hand-built header chain whose blocks carry system events
 * as outbound messages (roots computed as the executive does), and a cheap identity for the
 * lottery benchmarks, where creating 20,000 real sr25519 vaults would dominate.
 */
import { type Block, contentRoots } from '../../../domain/chain/block';
import { type BlockHeader, blockHash } from '../../../domain/codec/blockHeader.codec';
import { type Message, MessageScale } from '../../../domain/codec/mq.codec';
import { type SystemEvent, SystemEventScale, type WorkerEvent } from '../../../domain/codec/systemEvents.codec';
import { topicBytes, topics } from '../../../domain/codec/topics';
import * as E from 'fp-ts/Either';
import { verifyBlock } from '../blockView';
import type { WorkerGroup } from '../workerGroup';
import type { WorkerIdentity } from '../workerIdentity';

const ZERO = new Uint8Array(32);

/** `SystemEvent` on `phala/system/event` from the registry/computation pallets. */
export function systemMessage(event: SystemEvent): Message {
  return { sender: { tag: 'Pallet', value: new TextEncoder().encode('PhalaRegistry') }, destination: topicBytes(topics.systemEvent), payload: SystemEventScale.encode(event) };
}

/** `WorkerEvent(WorkerEventWithKey{pubkey, event})`. */
export function workerEventMessage(pubkey: Uint8Array, event: WorkerEvent): Message {
  return systemMessage({ tag: 'WorkerEvent', value: { pubkey, event } });
}

/** `HeartbeatChallenge{seed, online_target}`. */
export function challengeMessage(seed: bigint, onlineTarget: bigint): Message {
  return systemMessage({ tag: 'HeartbeatChallenge', value: { seed, onlineTarget } });
}

/** A block after `parent` carrying `messages`, `blockTimeMs` later. */
export function nextBlock(parent: BlockHeader, messages: readonly Message[], blockTimeMs = 12_000n): Block {
  const outbound = messages.map((m) => MessageScale.encode(m));
  const roots = contentRoots({ genesis: undefined, extrinsics: [], events: [], outbound });
  const header: BlockHeader = {
    number: parent.number + 1,
    parentHash: blockHash(parent),
    timestamp: parent.timestamp + blockTimeMs,
    ...roots,
    stateRoot: ZERO,
    author: ZERO,
  };
  return { header, genesis: undefined, extrinsics: [], events: [], outbound };
}

/** A block-0 header to start a test chain from. */
export function genesisHeader(timestampMs = 1_700_000_000_000n): BlockHeader {
  const roots = contentRoots({ genesis: new Uint8Array(0), extrinsics: [], events: [], outbound: [] });
  return { number: 0, parentHash: ZERO, timestamp: timestampMs, ...roots, stateRoot: ZERO, author: ZERO };
}

/** 32 deterministic bytes from a label (FNV-1a seeded xorshift): cheap, unlike a hash, for 20,000 workers. */
function labelBytes(label: string): Uint8Array {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    out[i] = h & 0xff;
  }
  return out;
}

/**
 * An identity with a made-up public key (not a curve point) whose "signature" is the first 64
 * signed bytes: for lottery and throughput tests only — its messages do not verify.
 */
export function fakeIdentity(label: string): WorkerIdentity {
  const publicKey = labelBytes(`fake-worker/${label}`);
  return {
    publicKey,
    signEgress: (_key, _origin, _sequence, bytes) => {
      const sig = new Uint8Array(64);
      sig.set(bytes.subarray(0, 64));
      return sig;
    },
    sealVault: () => {
      throw new Error('a fake identity has no vault to seal');
    },
    get vault(): never {
      throw new Error('a fake identity has no vault');
    },
  };
}

/** A test chain feeding `group`: each `step` builds, verifies and processes the next block. */
export function testChain(group: WorkerGroup, genesis: BlockHeader = genesisHeader()) {
  let head = genesis;
  return {
    head: () => head,
    step(messages: readonly Message[], blockTimeMs = 12_000n) {
      const block = nextBlock(head, messages, blockTimeMs);
      const view = verifyBlock(head, block);
      if (E.isLeft(view)) throw new Error(`test chain block refused: ${view.left._tag}`);
      head = block.header;
      return { view: view.right, egress: group.processBlock(view.right) };
    },
  };
}
