import { ClusterOperationScale, ClusterRegistryEventScale, type ClusterEvent } from '../../domain/codec/contractEvents.codec';
import type { EncryptedKey, GatekeeperEvent } from '../../domain/codec/gatekeeperEvents.codec';
import { GatekeeperEventScale } from '../../domain/codec/gatekeeperEvents.codec';
import type { Message, MessageOrigin } from '../../domain/codec/mq.codec';
import { WorkingInfoUpdateEventScale } from '../../domain/codec/systemEvents.codec';
import { topics } from '../../domain/codec/topics';
import { type EconomicsMessage, type TokenomicParameters, createEconomics, gkTestTokenomicParameters } from '../../domain/economics';
import type { Random } from '../../domain/ports/random';
import { VRF_INTERVAL } from '../gkDeterminism';
import type { Measurement } from '../platform/measurement';
import type { Platform } from '../platform/platform';
import type { KeyVault } from '../vault/keyVault';
import { type GkContext, type GkRejection, type GkRole, keyHex } from './gkContext';
import { type GkEgressEntry, createGkEgress } from './gkEgress';
import { type GkInbound, decodeGkInbound, economicsMessageOf, workingInfoUpdateRecord } from '../../domain/economics/chainMessages';
import { onGatekeeperChange, onGatekeeperLaunch, onKeyDistribution } from './gkKeyHandlers';

/** One verified block as the pRuntime sees it: number, `Timestamp::Now`, `OutboundMessages` in order. */
export interface GkBlock {
  readonly number: number;
  readonly timestampMs: number;
  readonly messages: readonly Message[];
}

/** What the gatekeeper role produced while processing one block. */
export interface GkBlockOutput {
  /** the shared `Gatekeeper` channel, in sequence order (empty in dummy mode) (F11) */
  readonly gatekeeperEgress: GkEgressEntry[];
  /** unsigned messages for this pRuntime's own `Worker` channel (the first GK's `MasterPubkey`) */
  readonly workerEgress: Message[];
  /** a new `master_key.seal` when the history changed in this block */
  readonly sealedMasterKeys: Uint8Array | undefined;
  /** messages refused and skipped, as Phala logs them */
  readonly rejected: GkRejection[];
  /** the pRuntime received the master key: restart it and replay from genesis (Phala panics here) */
  readonly restartRequired: boolean;
}

/** How a pRuntime's GK role is set up. */
export interface GatekeeperRuntimeOptions {
  readonly vault: KeyVault;
  /** randomness for signatures: forked per (origin, sequence), so each signature is reproducible */
  readonly random: Random;
  readonly platform: Platform;
  readonly measurement: Measurement;
  /**
   * The chain's stored `TokenomicParameters` at a block (`init_gatekeeper` reads them at the block
   * that creates the role); gk.rs's built-in test set when absent or undefined.
   */
  readonly tokenomicParametersAt?: (blockNumber: number) => TokenomicParameters | undefined;
}

/** The gatekeeper side of a pRuntime: fed every block from genesis, in order. */
export interface GatekeeperRuntime {
  processBlock(block: GkBlock): GkBlockOutput;
  /** true while this pRuntime holds the GK role */
  isGatekeeper(): boolean;
  /** the role's state, for inspection */
  status(): { onChain: boolean; registered: boolean; nextSequence: bigint; lastRandomNumber: Uint8Array } | undefined;
  /** the GK economics engine (undefined without the role) */
  economics(): GkRole['economics'] | undefined;
}

/** Creates the runtime; the first block fed must be the chain's first (0 or 1): a GK replays from genesis. */
export function createGatekeeperRuntime(options: GatekeeperRuntimeOptions): GatekeeperRuntime {
  const { vault, random } = options;
  const gatekeepers = new Set<string>();
  let role: GkRole | undefined;
  let lastBlock: number | undefined;
  let firstBlock: number | undefined;
  let halted = false;
  const initRole = (blockNumber: number): GkRole => {
    if (role !== undefined) throw new Error('Duplicated gatekeeper initialization');
    if (firstBlock === undefined || firstBlock > 1) throw new Error('Gatekeeper must be synced start from the first block');
    const first = vault.masterKeyHistory()[0];
    if (first === undefined || !vault.useMasterKey(first.rotationId)) throw new Error('Init gatekeeper with no master key');
    const sign = (toSign: Uint8Array, sequence: bigint) => vault.sign({ kind: 'master' }, toSign, random.fork(`Gatekeeper/${sequence}`));
    role = {
      onChain: false,
      registered: false,
      lastRandomNumber: new Uint8Array(32),
      ivSeq: 0n,
      economics: createEconomics(options.tokenomicParametersAt?.(blockNumber) ?? gkTestTokenomicParameters),
      egress: createGkEgress(sign),
      pending: [],
    };
    return role;
  };
  return {
    processBlock: (block) => {
      if (halted) throw new Error('this pRuntime must restart before it processes another block');
      if (lastBlock !== undefined && block.number !== lastBlock + 1) throw new Error(`blocks must be contiguous: ${lastBlock} then ${block.number}`);
      firstBlock ??= block.number;
      lastBlock = block.number;
      const ctx = newContext(options, gatekeepers, block, role, initRole);
      const out = runBlock(ctx, block);
      role = ctx.role;
      halted = out.restartRequired;
      return out;
    },
    isGatekeeper: () => role !== undefined,
    status: () =>
      role && { onChain: role.onChain, registered: role.registered, nextSequence: role.egress.nextSequence(), lastRandomNumber: role.lastRandomNumber },
    economics: () => role?.economics,
  };
}

function newContext(
  o: GatekeeperRuntimeOptions,
  gatekeepers: Set<string>,
  block: GkBlock,
  role: GkRole | undefined,
  initRole: (blockNumber: number) => GkRole,
): GkContext {
  const ctx: GkContext = {
    vault: o.vault,
    random: o.random,
    platform: o.platform,
    measurement: o.measurement,
    gatekeepers,
    block: { number: block.number, timestampMs: block.timestampMs },
    role,
    workerEgress: [],
    rejected: [],
    sealedMasterKeys: undefined,
    restartRequired: false,
    initRole: () => {
      ctx.role = initRole(block.number);
      return ctx.role;
    },
  };
  return ctx;
}

// will_process_block → per message: system handlers, then the GK's own queue (once on chain)
// → did_process_block: the report, then the random number (F11).
function runBlock(ctx: GkContext, block: GkBlock): GkBlockOutput {
  const economicsMessages: EconomicsMessage[] = [];
  for (const message of block.messages) {
    const inbound = decodeGkInbound(message);
    if (inbound === undefined) continue;
    dispatch(ctx, inbound, economicsMessages);
    if (ctx.restartRequired) return output(ctx, []);
    const role = ctx.role;
    if (role?.onChain) {
      const queued = role.pending;
      role.pending = [];
      for (const item of queued) processRoleMessage(ctx, role, item);
    }
  }
  const role = ctx.role;
  if (role !== undefined) didProcessBlock(ctx, role, economicsMessages);
  return output(ctx, role?.egress.drain() ?? []);
}

function output(ctx: GkContext, gatekeeperEgress: GkEgressEntry[]): GkBlockOutput {
  return {
    gatekeeperEgress,
    workerEgress: ctx.workerEgress,
    sealedMasterKeys: ctx.sealedMasterKeys,
    rejected: ctx.rejected,
    restartRequired: ctx.restartRequired,
  };
}

function dispatch(ctx: GkContext, inbound: GkInbound, economicsMessages: EconomicsMessage[]): void {
  switch (inbound.kind) {
    case 'launch':
      onGatekeeperLaunch(ctx, inbound.origin, inbound.event);
      return;
    case 'change':
      onGatekeeperChange(ctx, inbound.origin, inbound.event);
      return;
    case 'key':
      onKeyDistribution(ctx, inbound.origin, inbound.event);
      return;
    case 'gatekeeperEvent':
    case 'cluster':
    case 'system':
    case 'report': {
      // the role's receivers exist only once the role does (subscribed in `Gatekeeper::new`)
      if (ctx.role === undefined) return;
      if (inbound.kind === 'gatekeeperEvent' || inbound.kind === 'cluster') ctx.role.pending.push(inbound);
      const economic = economicsMessageOf(inbound);
      if (economic !== undefined) economicsMessages.push(economic);
      return;
    }
    default: {
      const unknown: never = inbound;
      throw new Error(`unknown inbound ${JSON.stringify(unknown)}`);
    }
  }
}

function processRoleMessage(ctx: GkContext, role: GkRole, inbound: GkInbound): void {
  if (inbound.kind === 'gatekeeperEvent') {
    onGatekeeperEvent(ctx, inbound.origin, inbound.event);
    return;
  }
  if (inbound.kind === 'cluster') {
    onClusterEvent(ctx, role, inbound.origin, inbound.event);
    return;
  }
}

// `process_random_number_event`: every GK recomputes the beacon; a mismatch means this GK's state
// (or its key history) diverged from the one that emitted it — fatal, as in Phala.
function onGatekeeperEvent(ctx: GkContext, origin: MessageOrigin, event: GatekeeperEvent): void {
  if (event.tag !== 'NewRandomNumber') return;
  if (origin.tag !== 'Gatekeeper') {
    ctx.rejected.push({ blockNumber: ctx.block.number, reason: 'BadOrigin', detail: `NewRandomNumber from ${origin.tag}` });
    return;
  }
  const v = event.value;
  const expected = ctx.vault.randomNumber(v.blockNumber, v.lastRandomNumber);
  if (keyHex(expected) !== keyHex(v.randomNumber)) throw new Error(`GK state poisoned: random number of block ${v.blockNumber} differs`);
}

// `process_cluster_event`: the cluster key is derived from the master key, published, and sent
// to each worker of the cluster encrypted to its ECDH key (IVs in the workers' order).
function onClusterEvent(ctx: GkContext, role: GkRole, origin: MessageOrigin, event: ClusterEvent): void {
  if (origin.tag !== 'Pallet') {
    ctx.rejected.push({ blockNumber: ctx.block.number, reason: 'BadOrigin', detail: `${event.tag} from ${origin.tag}` });
    return;
  }
  const d = event.value;
  const pubkey = ctx.vault.publicKeyOf({ kind: 'cluster', clusterId: d.cluster });
  role.egress.push(topics.clusterRegistry, ClusterRegistryEventScale.encode({ tag: 'PubkeyAvailable', value: { cluster: d.cluster, pubkey } }));
  const secretKeys = d.workers.map((w): [Uint8Array, EncryptedKey] => {
    const key = ctx.vault.shareClusterKey(d.cluster, w.ecdhPubkey, ctx.block.number, role.ivSeq);
    role.ivSeq += 1n;
    return [w.pubkey, key];
  });
  const value = { secretKeys, cluster: d.cluster, owner: d.owner, deposit: d.deposit, gasPrice: d.gasPrice, depositPerItem: d.depositPerItem, depositPerByte: d.depositPerByte, treasuryAccount: d.treasuryAccount };
  role.egress.push(topics.clusterKey, ClusterOperationScale.encode({ tag: 'DispatchKeys', value }));
}

function didProcessBlock(ctx: GkContext, role: GkRole, messages: EconomicsMessage[]): void {
  role.pending = []; // `recv_mq.clear()`: what the role did not take this block is lost (F10)
  if (role.onChain) {
    const report = role.economics.processBlock({ number: ctx.block.number, timestampMs: ctx.block.timestampMs, messages });
    if (report !== undefined) role.egress.push(topics.workingInfoUpdate, WorkingInfoUpdateEventScale.encode(workingInfoUpdateRecord(report)));
  }
  // emitted even before the master pubkey is on chain (F11)
  if (ctx.block.number % VRF_INTERVAL !== 0) return;
  const randomNumber = ctx.vault.randomNumber(ctx.block.number, role.lastRandomNumber);
  const value = { blockNumber: ctx.block.number, randomNumber, lastRandomNumber: role.lastRandomNumber };
  role.egress.push(topics.gatekeeperEvent, GatekeeperEventScale.encode({ tag: 'NewRandomNumber', value }));
  role.lastRandomNumber = randomNumber;
}
