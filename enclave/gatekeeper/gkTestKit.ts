/**
 * Test kit for the gatekeeper role: chain messages as the pallets push them, and a miniature
 * chain that relays GK egress the way `sync_offchain_message` does (exact next sequence, first
 * valid copy wins, signature checked against the on-chain master pubkey) and reacts to the
 * on-chain-only topics (`MasterPubkey` → `MasterPubkeyOnChain`, `RotatedMasterPubkey` →
 * `MasterPubkeyRotated`). Used by specs only.
 */
import * as E from 'fp-ts/Either';
import { type ClusterEvent, ClusterEventScale } from '../../domain/codec/contractEvents.codec';
import {
  type GatekeeperChange,
  GatekeeperChangeScale,
  GatekeeperEventScale,
  type GatekeeperLaunch,
  GatekeeperLaunchScale,
} from '../../domain/codec/gatekeeperEvents.codec';
import { type Message, type MessageOrigin, messageSigningBytes } from '../../domain/codec/mq.codec';
import {
  GatekeeperRegistryEventScale,
  RegistryEventScale,
  type SystemEvent,
  SystemEventScale,
  type WorkerEvent,
  type WorkingReportEvent,
  WorkingReportEventScale,
} from '../../domain/codec/systemEvents.codec';
import { isOffchainTopic, topics } from '../../domain/codec/topics';
import { sr25519Verify } from '../../domain/crypto';
import type { Random } from '../../domain/ports/random';
import { createAttestationVendor } from '../platform/attestationVendor';
import { measurementOf } from '../platform/measurement';
import { type Platform, createSimulatedPlatform } from '../platform/platform';
import { type KeyVault, createKeyVault, restoreKeyVault } from '../vault/keyVault';
import { type GatekeeperRuntime, type GkBlock, type GkBlockOutput, createGatekeeperRuntime } from './gatekeeperRuntime';
import type { GkEgressEntry } from './gkEgress';

const utf8 = new TextEncoder();
/** The pRuntime build every test node runs. */
export const testMeasurement = measurementOf('pruntime', 'gk-test');
/** Block time of the test chain. */
export const BLOCK_MS = 12_000;

const pallet = (name: string): MessageOrigin => ({ tag: 'Pallet', value: utf8.encode(name) });

function msg(sender: MessageOrigin, topic: string, payload: Uint8Array): Message {
  return { sender, destination: utf8.encode(topic), payload };
}

/** `GatekeeperLaunch` from the registry pallet. */
export const launch = (event: GatekeeperLaunch) => msg(pallet('PhalaRegistry'), topics.gatekeeperLaunch, GatekeeperLaunchScale.encode(event));
/** `GatekeeperChange` from the registry pallet. */
export const change = (event: GatekeeperChange) => msg(pallet('PhalaRegistry'), topics.gatekeeperChange, GatekeeperChangeScale.encode(event));
/** `SystemEvent` from the computation pallet. */
export const system = (event: SystemEvent) => msg(pallet('PhalaComputation'), topics.systemEvent, SystemEventScale.encode(event));
/** A `WorkerEvent` for `pubkey`. */
export const workerEvent = (pubkey: Uint8Array, event: WorkerEvent) => system({ tag: 'WorkerEvent', value: { pubkey, event } });
/** A heartbeat sent by the worker `pubkey`. */
export const heartbeat = (pubkey: Uint8Array, event: WorkingReportEvent) =>
  msg({ tag: 'Worker', value: pubkey }, topics.workingReport, WorkingReportEventScale.encode(event));
/** `ClusterEvent` from the phat pallet. */
export const clusterEvent = (event: ClusterEvent) => msg(pallet('PhalaPhat'), topics.clusterEvent, ClusterEventScale.encode(event));
/** A `NewRandomNumber` claiming to come from the gatekeepers. */
export const randomNumberEvent = (blockNumber: number, randomNumber: Uint8Array, lastRandomNumber: Uint8Array) =>
  msg({ tag: 'Gatekeeper', value: undefined }, topics.gatekeeperEvent, GatekeeperEventScale.encode({ tag: 'NewRandomNumber', value: { blockNumber, randomNumber, lastRandomNumber } }));

/** `WorkerIdentity` of a vault (ECDH key = identity key). */
export const identityOf = (v: KeyVault) => ({ pubkey: v.identityPublicKey, ecdhPubkey: v.identityPublicKey });

/** One pRuntime with the GK code: its platform, vault, runtime, and what it emitted per block. */
export interface GkNode {
  readonly name: string;
  readonly platform: Platform;
  /** `runtime-data.seal`: the identity, sealed before the node ever held a master key */
  readonly identitySeal: Uint8Array;
  vault: KeyVault;
  runtime: GatekeeperRuntime;
  sealedMasterKeys: Uint8Array | undefined;
  outputs: Map<number, GkBlockOutput>;
  readonly signing: Random;
}

/** A node whose keys and signatures derive from `random`; `signing` may be shared to compare signatures. */
export function createNode(name: string, random: Random, signing: Random = random.fork('signing')): GkNode {
  const platform = createSimulatedPlatform(createAttestationVendor(random.fork('vendor')), random.fork('platform'));
  const vault = createKeyVault(random.fork('vault'));
  const identitySeal = vault.seal(platform, testMeasurement);
  const runtime = createGatekeeperRuntime({ vault, random: signing, platform, measurement: testMeasurement });
  return { name, platform, identitySeal, vault, runtime, sealedMasterKeys: undefined, outputs: new Map(), signing };
}

/** Restarts a node the way an operator does after a key handover: identity + master keys from their seals. */
export function restartNode(node: GkNode, random: Random): void {
  const vault = restoreKeyVault(node.platform, testMeasurement, node.identitySeal, random);
  if (E.isLeft(vault)) throw new Error(`identity unseal failed: ${vault.left._tag}`);
  if (node.sealedMasterKeys === undefined) throw new Error(`${node.name} holds no sealed master keys`);
  const restored = vault.right.restoreMasterKeyHistory(node.platform, testMeasurement, node.sealedMasterKeys);
  if (E.isLeft(restored)) throw new Error(`master key unseal failed: ${restored.left._tag}`);
  node.vault = vault.right;
  node.runtime = createGatekeeperRuntime({ vault: node.vault, random: node.signing, platform: node.platform, measurement: testMeasurement });
  node.outputs = new Map();
}

/** The miniature chain: blocks in order, GK relay, on-chain-only topics recorded. */
export interface MiniChain {
  readonly blocks: GkBlock[];
  /** messages that reached the chain on `^` topics, with the block that included them */
  readonly onChainOnly: Array<{ block: number; message: Message }>;
  masterPubkey(): Uint8Array | undefined;
  nextGkSequence(): bigint;
  /**
   * Builds the next block: GK egress and worker egress relayed from earlier blocks, then
   * `messages`, then what on-chain handlers pushed; feeds it to `nodes` and keeps their output.
   */
  step(nodes: readonly GkNode[], messages?: readonly Message[]): GkBlock;
  /** replays every block so far into `node` (a restarted pRuntime syncing from genesis) */
  replay(node: GkNode): void;
}

/** A chain at block 0; the first `step` produces block 1. */
export function createMiniChain(): MiniChain {
  const blocks: GkBlock[] = [];
  const onChainOnly: Array<{ block: number; message: Message }> = [];
  const candidates = new Map<bigint, GkEgressEntry[]>();
  let workerQueue: Message[] = [];
  let master: Uint8Array | undefined;
  let nextSeq = 0n;
  const feed = (node: GkNode, block: GkBlock) => {
    const out = node.runtime.processBlock(block);
    node.outputs.set(block.number, out);
    if (out.sealedMasterKeys !== undefined) node.sealedMasterKeys = out.sealedMasterKeys;
    for (const e of out.gatekeeperEgress) candidates.set(e.sequence, [...(candidates.get(e.sequence) ?? []), e]);
    workerQueue.push(...out.workerEgress);
  };
  const relayGk = (number: number, included: Message[]) => {
    for (;;) {
      const valid = (candidates.get(nextSeq) ?? []).find((e) => master !== undefined && sr25519Verify(messageSigningBytes(e.message, e.sequence), e.signature, master));
      if (valid === undefined) return;
      candidates.delete(nextSeq);
      nextSeq += 1n;
      route(number, valid.message, included);
    }
  };
  const route = (number: number, message: Message, included: Message[]) => {
    if (isOffchainTopic(message.destination)) {
      included.push(message);
      return;
    }
    onChainOnly.push({ block: number, message });
    const topic = new TextDecoder().decode(message.destination);
    if (topic === topics.registryEvent) {
      const e = RegistryEventScale.decode(message.payload);
      if (e.tag === 'MasterPubkey' && master === undefined) {
        master = e.value.masterPubkey;
        included.push(launch({ tag: 'MasterPubkeyOnChain', value: { masterPubkey: master } }));
      }
    } else if (topic === topics.registryGatekeeperEvent) {
      const e = GatekeeperRegistryEventScale.decode(message.payload);
      master = e.value.masterPubkey;
      included.push(launch({ tag: 'MasterPubkeyRotated', value: { masterPubkey: master } }));
    }
  };
  return {
    blocks,
    onChainOnly,
    masterPubkey: () => master,
    nextGkSequence: () => nextSeq,
    step: (nodes, messages = []) => {
      const number = blocks.length + 1;
      const included: Message[] = [];
      relayGk(number, included);
      const worker = workerQueue;
      workerQueue = [];
      for (const m of worker) route(number, m, included);
      for (const m of messages) route(number, m, included);
      const block: GkBlock = { number, timestampMs: number * BLOCK_MS, messages: included };
      blocks.push(block);
      for (const node of nodes) feed(node, block);
      return block;
    },
    replay: (node) => {
      for (const block of blocks) {
        const out = node.runtime.processBlock(block);
        node.outputs.set(block.number, out);
        if (out.sealedMasterKeys !== undefined) node.sealedMasterKeys = out.sealedMasterKeys;
      }
    },
  };
}
