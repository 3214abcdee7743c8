/**
 * The simulation driver (issue 6): one seeded run of a scenario over the real chain runtime, real
 * pRuntimes and gatekeepers, and the simulated network. Per block, in virtual time:
 *
 * 1. the scenario's actors act (governance, pool owners, stakers, clients, faults), submitting
 *    signed extrinsics through the network; the scheduler delivers what arrives before block time;
 * 2. the block producer actor's slot timer fires (`producerActor.ts`): the block is built from
 *    the pool and appended to the ledger (`produceNext`);
 * 3. the hosts sync it: one verified view per block for every worker pRuntime (the hot path), and
 *    each live gatekeeper processes it; pherry relays their egress back through the network (a
 *    gatekeeper's GK-channel egress only while its actor says it is live);
 * 4. checkers and the series see the block.
 *
 * Per-block work over all workers stays in the batch paths (worker group, economics engine);
 * the scenario actors only act on workers something happened to.
 */
import type { BusMessage } from '../../domain/ports/bus';
import * as E from 'fp-ts/Either';
import { blockHashHex, type Block } from '../../domain/chain/block';
import { type Chain, produceBlock } from '../../domain/chain/executive';
import { blockRecord, CHAIN_STREAM } from '../../domain/chain/ledger';
import { extrinsicCodec } from '../../domain/chain/extrinsic';
import { account as accountInfo } from '../../domain/chain/pallets/balances.pallet';
import { nextIngressSequence } from '../../domain/chain/pallets/mq.pallet';
import type { Message, MessageOrigin, SignedMessage } from '../../domain/codec/mq.codec';
import { blake2_256 } from '../../domain/crypto/hashing';
import { KeyDistributionScale } from '../../domain/codec/gatekeeperEvents.codec';
import { topics } from '../../domain/codec/topics';
import { pushMessage } from '../../enclave/pruntime/egressQueue';
import type { VerifiedBlockView } from '../../enclave/pruntime/blockView';
import type { Scheduler } from '../scheduler';
import type { EventStore } from '../../domain/ports';
import type { GkBlockOutput } from '../../enclave/gatekeeper/gatekeeperRuntime';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { verifyBlock } from '../../enclave/pruntime/blockView';
import { createWorkerGroup } from '../../enclave/pruntime/workerGroup';
import { pendingEgress } from '../../enclave/pruntime/workerRuntime';
import { virtualScheduler } from '../scheduler';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import { type SimAccount, signExtrinsic } from './accounts';
import { GENESIS_TIMESTAMP_MS } from './genesisConfig';
import type { GatekeeperHost, HostEnvironment, WorkerHost } from './hosts';
import type { Random } from '../../domain/ports/random';
import { scenarioGenesis } from './scenarioGenesis';
import { createTransactionNetwork, faultConfigOf, type TransactionNetwork } from './network';
import { createNonceBook } from './nonces';
import { decodeEvents } from './observe';
import { type RelayMemory, relayChannel } from './relay';

/** Pool entries not includable for this many blocks are dropped (a real pool's ban/eviction). */
const POOL_EVICT_BLOCKS = 30;
const LIMITS = { maxExtrinsics: 20_000, maxBytes: 64 * 1024 * 1024 };

/** The live run: chain, hosts, network, and what the actors need to act. */
export interface World {
  readonly scenario: ResolvedScenario;
  readonly chain: Chain;
  readonly store: EventStore;
  readonly net: TransactionNetwork;
  readonly workers: readonly WorkerHost[];
  readonly gatekeepers: readonly GatekeeperHost[];
  readonly group: ReturnType<typeof createWorkerGroup>;
  readonly account: (name: string) => SimAccount;
  readonly root: SimAccount;
  /** the block being prepared (the next one to produce) */
  block: number;
  /**
   * Signs and submits `call` from `who` via node `from`, with `nonce` when the caller pairs it
   * itself (pherry's relay: nonce follows the message sequence), else the wallet's next nonce.
   */
  submit(from: string, who: SimAccount, call: RuntimeEvent, nonce?: number): void;
  /**
   * pherry for one channel: (re-)submits `pending` from the on-chain `next` sequence through
   * `relayer`, each message with the nonce its sequence pairs with (`relay.ts`); `channel` names
   * the channel's memory of what it submitted when.
   */
  relay(from: string, channel: string, pending: readonly SignedMessage[], next: bigint, relayer: SimAccount): void;
  /** submits `call` as governance (Sudo.sudo) */
  governance(call: RuntimeEvent): void;
  /** notes for the log */
  note(line: string): void;
  /** replaces `onNote` (the run scans every note line for leaks before passing it on) */
  onNoteHook: ((block: number, line: string) => void) | undefined;
  /** hears every payload leaving a host (bus messages) for the "no secret leaked" scan */
  leakTap: ((where: string, bytes: Uint8Array) => void) | undefined;
  readonly scheduler: Scheduler;
  readonly genesisBlock: Block;
  readonly env: HostEnvironment;
  /** the run's seeded Random (fork it by purpose) */
  readonly random: Random;
  /** what pherry remembers per relayed channel */
  readonly relayMemory: Map<string, RelayMemory>;
  /** gatekeeper-channel egress not yet accepted on chain, per gatekeeper */
  readonly pendingGatekeeperEgress: Map<string, SignedMessage[]>;
  /** the gatekeeper hosts' actors: told what each pRuntime did, asked whether pherry relays its GK egress */
  gatekeeperActors: GatekeeperActorsPort | undefined;
  /** run on each block's verified view right after the worker group (e.g. the cluster runtimes) */
  readonly blockHooks: ((view: VerifiedBlockView) => void)[];
}

/** What the driver's core and the faults ask of the gatekeeper hosts' actors (`gatekeeperActors.ts`). */
export interface GatekeeperActorsPort {
  /** routes a block's runtime events (registration, launch, rotations) to the actors they concern */
  observeChain(block: number, events: readonly RuntimeEvent[]): void;
  /** what the host's pRuntime did with a block: the key it generated or received */
  observeOutput(g: GatekeeperHost, out: GkBlockOutput): void;
  /** pherry relays the host's gatekeeper-channel egress only while its actor is live */
  relaysEgress(g: GatekeeperHost): boolean;
  /** the crash fault: the host process (actor and pRuntime) dies */
  crash(g: GatekeeperHost, reason: string): void;
  /** the rejoin fault: the pRuntime restarts from its sealed key vault and replays the ledger */
  rejoin(g: GatekeeperHost): void;
}

/** What a block produced, for observers. */
export interface ProducedBlock {
  readonly block: Block;
  readonly events: readonly RuntimeEvent[];
  readonly challenges: number;
  /** per live gatekeeper, a digest of its gatekeeper-channel egress payloads in this block */
  readonly gatekeeperDigests: { gatekeeper: string; digest: string }[];
  /** signed messages the block accepted through `sync_offchain_message` (for replay attacks) */
  readonly relayed: SignedMessage[];
}

/** Options of `createWorld`. */
export interface WorldOptions {
  readonly scenario: ResolvedScenario;
  readonly store: EventStore;
  readonly onNote?: (block: number, line: string) => void;
}

/** Builds the chain (genesis appended to the store), the hosts and the network. */
export async function createWorld(options: WorldOptions): Promise<World> {
  const { scenario, store } = options;
  const { random, account, env, root, workers, gatekeepers, runtime, chain, block: genesisBlock } = scenarioGenesis(scenario);
  await store.append(CHAIN_STREAM, [blockRecord(genesisBlock)], 'no-stream');
  const scheduler = virtualScheduler({ random: random.fork('scheduler'), startMs: Number(GENESIS_TIMESTAMP_MS) });
  // the world is built below; its leak tap is set later by whoever scans (runSimulation)
  const tap = (nodeId: string, m: BusMessage) => world.leakTap?.(`bus ${m.topic} message ${m.id} from ${nodeId}`, m.value);
  const net = await createTransactionNetwork(scheduler, random.fork('network'), faultConfigOf(scenario), scenario.chain.blockTimeMs, tap);
  const group = createWorkerGroup(0);
  for (const w of workers) group.add(w.runtime);
  for (const g of gatekeepers) group.add(g.worker);
  const signing = random.fork('extrinsic-signing');
  const nonces = createNonceBook();
  const world: World = {
    scenario,
    chain,
    store,
    net,
    workers,
    gatekeepers,
    group,
    account,
    root,
    block: 1,
    submit(from, who, call, paired) {
      const nonce = paired ?? nonces.next(who.id, accountInfo(chain.storage, who.id).nonce, world.block);
      net.submit(from, signExtrinsic(runtime, who, call, nonce, chain.genesisHash, signing.fork(`${who.id}/${nonce}`)));
    },
    relay(from, channel, pending, next, relayer) {
      let memory = world.relayMemory.get(channel);
      if (memory === undefined) world.relayMemory.set(channel, (memory = new Map()));
      const chainView = { accountNonce: (id: string) => accountInfo(chain.storage, id).nonce };
      for (const s of relayChannel(pending, next, relayer, chainView, memory, world.block)) {
        world.submit(from, s.relayer, { tag: 'PhalaMq', value: { tag: 'sync_offchain_message', value: { signedMessage: s.message } } }, s.nonce);
      }
    },
    governance(call) {
      world.submit('governance', root, { tag: 'Sudo', value: { tag: 'sudo', value: { call: runtime.callCodec.enc(call) } } });
    },
    note(line) {
      (world.onNoteHook ?? options.onNote)?.(world.block, line);
    },
    onNoteHook: undefined,
    leakTap: undefined,
    scheduler,
    genesisBlock,
    env,
    random,
    relayMemory: new Map(),
    pendingGatekeeperEgress: new Map(),
    gatekeeperActors: undefined,
    blockHooks: [],
  };
  return world;
}

/**
 * Produces block `world.block` at its slot time `timestampMs` (the block producer actor calls it
 * when its slot timer fires: what arrived before is in the pool): build, append, sync hosts, relay.
 */
export async function produceNext(world: World, timestampMs: number): Promise<ProducedBlock> {
  const { chain, net, scenario } = world;
  const n = world.block;
  net.currentBlock = n;
  const pool = net.pool.filter((e) => n - e.arrivedAtBlock <= POOL_EVICT_BLOCKS);
  const parent = chain.head;
  const production = produceBlock(chain, { timestampMs, author: new Uint8Array(32), pool: pool.map((e) => e.bytes), limits: LIMITS });
  const keep = new Set(production.waiting);
  net.pool.length = 0;
  pool.forEach((e, i) => {
    if (keep.has(i)) net.pool.push(e);
  });
  const block = production.block;
  await world.store.append(CHAIN_STREAM, [blockRecord(block)], n - 1);
  const events = decodeEvents(chain.runtime, block);
  world.gatekeeperActors?.observeChain(n, events);
  const view = verifyBlock(parent, block);
  if (E.isLeft(view)) throw new Error(`block ${n}: the hosts refused the producer's block (${view.left._tag}) — a driver bug`);
  world.group.processBlock(view.right);
  for (const hook of world.blockHooks) hook(view.right);
  const challenges = view.right.messages.filter((m) => m.systemEvent?.tag === 'HeartbeatChallenge').length;
  const nextSeq = (origin: MessageOrigin) => nextIngressSequence(chain.storage, origin);
  const gatekeeperDigests = syncGatekeepers(world, view.right);
  relayWorkers(world, nextSeq);
  world.group.purge(nextSeq);
  world.block = n + 1;
  // only the replay attack needs them: decoding extrinsics every block is not free
  const relayed = scenario.faults.replayedMessagesPerBlock > 0 ? acceptedMessages(chain, block) : [];
  return { block, events, challenges, gatekeeperDigests, relayed };
}

function relayWorkers(world: World, nextSeq: (o: MessageOrigin) => bigint): void {
  const relay = (name: string, rt: WorkerHost['runtime'], relayer: SimAccount) => {
    const next = nextSeq({ tag: 'Worker', value: rt.pubkey });
    world.relay(name, name, pendingEgress(rt, next), next, relayer);
  };
  // most of 20,000 workers hold nothing in a block: no chain read, no account lookup for them
  for (const w of world.workers) if (!w.silent && !w.down && w.runtime.workerChannel.messages.length > 0) relay(w.name, w.runtime, w.relayer);
  for (const g of world.gatekeepers) if (!g.down && g.worker.workerChannel.messages.length > 0) relay(g.name, g.worker, g.relayer);
}

/** Feeds the block to every live gatekeeper; relays its gatekeeper-channel egress. */
function syncGatekeepers(world: World, view: VerifiedBlockView) {
  const pendingGk = world.pendingGatekeeperEgress;
  const digests: { gatekeeper: string; digest: string }[] = [];
  const gkBlock = { number: view.number, timestampMs: Number(view.nowMs), messages: view.messages.map((m) => m.message) };
  for (const g of world.gatekeepers) {
    if (g.down) continue;
    const out = g.gk.processBlock(gkBlock);
    pushWorkerEgress(g, out.workerEgress);
    pendingGk.set(g.name, [...(pendingGk.get(g.name) ?? []), ...out.gatekeeperEgress]);
    world.gatekeeperActors?.observeOutput(g, out);
    if (g.gk.isGatekeeper()) digests.push({ gatekeeper: g.name, digest: digestOf(out.gatekeeperEgress) });
  }
  const origin: MessageOrigin = { tag: 'Gatekeeper', value: undefined };
  const next = nextIngressSequence(world.chain.storage, origin);
  for (const g of world.gatekeepers) {
    const pending = (pendingGk.get(g.name) ?? []).filter((e) => e.sequence >= next);
    pendingGk.set(g.name, pending);
    // in dummy mode (syncing, waiting for the key, replaying, crashed) nothing is relayed
    if (g.down || world.gatekeeperActors?.relaysEgress(g) === false) continue;
    world.relay(g.name, `${g.name}/gatekeeper`, pending, next, g.gkRelayer);
  }
  return digests;
}

/** The GK role's own `Worker` channel messages (the first gatekeeper's `MasterPubkey`), signed by the identity. */
function pushWorkerEgress(g: GatekeeperHost, messages: readonly Message[]): void {
  for (const m of messages) pushMessage(g.worker.workerChannel, m.destination, m.payload, g.worker.identity.signEgress);
}

const KEY_TOPIC = new TextEncoder().encode(topics.gatekeeperKey);
const isKeyTopic = (d: Uint8Array) => d.length === KEY_TOPIC.length && d.every((b, i) => b === KEY_TOPIC[i]);

/**
 * A digest of what a gatekeeper emitted in a block, for the `gatekeepersAgree` check. A master-key
 * rotation batch carries its sender and an identity signature, so each gatekeeper's differs by
 * design (Phala's `process_master_key_rotation_request`; the chain takes the first valid one): it is
 * left out; everything else must be byte-identical.
 */
function digestOf(entries: readonly { message: { destination: Uint8Array; payload: Uint8Array }; sequence: bigint }[]): string {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (isKeyTopic(e.message.destination) && KeyDistributionScale.decode(e.message.payload).tag === 'MasterKeyRotation') continue;
    parts.push(new TextEncoder().encode(`${e.sequence}:`), e.message.destination, e.message.payload);
  }
  const total = parts.reduce((t, p) => t + p.length, 0);
  const buf = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  return Buffer.from(blake2_256(buf)).toString('hex');
}

/** The signed messages of a block's `sync_offchain_message` extrinsics (a small sample is kept by attackers). */
function acceptedMessages(chain: Chain, block: Block): SignedMessage[] {
  const out: SignedMessage[] = [];
  for (const bytes of block.extrinsics.slice(0, 8)) {
    const call = chain.runtime.callCodec.dec(extrinsicCodec.dec(bytes).call);
    if (call.tag === 'PhalaMq' && (call.value as { tag: string }).tag === 'sync_offchain_message') out.push(((call.value as { value: { signedMessage: SignedMessage } }).value).signedMessage);
  }
  return out;
}

/** The head as the summary reports it. */
export function headOf(world: World) {
  const h = world.chain.head;
  return { number: h.number, hash: blockHashHex(h), stateRoot: `0x${Buffer.from(h.stateRoot).toString('hex')}` };
}

