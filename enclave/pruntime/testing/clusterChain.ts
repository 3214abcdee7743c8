/**
 * Test harness: the assembled Phala runtime producing real blocks, and pRuntime hosts following
 * it through the verified block view — a gatekeeper (GK role + its worker side) and cluster
 * workers (worker group + cluster runtime). Each host has its own relayer account that submits
 * its egress with `sync_offchain_message` from the on-chain next sequence, as pherry does; two
 * hosts holding the same (origin, sequence) in one round submit it once, as the transaction
 * pool's tag dedupes it. Test-only.
 */
import * as E from 'fp-ts/Either';
import { type Block, eventRecordCodec } from '../../../domain/chain/block';
import { compileChainSpec } from '../../../domain/chain/chainConfig';
import { type Chain, genesis, produceBlock } from '../../../domain/chain/executive';
import { account } from '../../../domain/chain/pallets/balances.pallet';
import { nextIngressSequence } from '../../../domain/chain/pallets/mq.pallet';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { type TestAccount, testAccount } from '../../../domain/chain/testing/chainForTests';
import { SYSTEM_CODE } from '../../../domain/chain/testing/phatForTests';
import { toHex } from '../../../domain/codec/hex';
import { type MessageOrigin, originKey, type SignedMessage } from '../../../domain/codec/mq.codec';
import type { Random } from '../../../domain/ports/random';
import type { Runtime } from '../../../domain/runtime/runtime';
import type { RuntimeEvent } from '../../../domain/runtime/types';
import { seededRandom } from '../../../simulations/seededRandom';
import { shippedProgramRegistry } from '../../contracts/programs';
import { type GatekeeperRuntime, createGatekeeperRuntime } from '../../gatekeeper/gatekeeperRuntime';
import { createAttestationVendor } from '../../platform/attestationVendor';
import { type Measurement, measurementOf } from '../../platform/measurement';
import { type Platform, createSimulatedPlatform } from '../../platform/platform';
import { type VerifiedBlockView, type VerifiedChain, createVerifiedChain } from '../blockView';
import { type ClusterBlockOutput, type ClusterRuntime, createClusterRuntime, restoreClusterRuntime } from '../clusterRuntime';
import { pendingFrom, pushMessage } from '../egressQueue';
import { type WorkerGroup, createWorkerGroup } from '../workerGroup';
import { createWorkerIdentity } from '../workerIdentity';
import { type WorkerRuntime, createWorkerRuntime, purgeEgress } from '../workerRuntime';

const PHA = 10n ** 12n;
const GENESIS_MS = 1_700_000_000_000;
const limits = { maxExtrinsics: 1000, maxBytes: 1 << 24 };
/** The pRuntime build every host runs. */
export const clusterTestMeasurement: Measurement = measurementOf('pruntime', 'cluster-test');

/** One pRuntime host: its worker, and the GK role or the cluster side. */
export interface Host {
  readonly name: string;
  readonly relayer: TestAccount;
  readonly platform: Platform;
  /** the identity Random (restores must get the same one) */
  readonly workerRandom: Random;
  readonly queryRandom: Random;
  worker: WorkerRuntime;
  group: WorkerGroup;
  cluster: ClusterRuntime | undefined;
  readonly gatekeeper: GatekeeperRuntime | undefined;
  /** GK egress not yet accepted on chain */
  gkPending: SignedMessage[];
  /** the cluster side's output per block */
  readonly outputs: Map<number, ClusterBlockOutput>;
}

/** The chain and its hosts. */
export interface ClusterChain {
  readonly runtime: Runtime;
  readonly chain: Chain;
  readonly views: VerifiedBlockView[];
  /** every block produced after genesis, as the ledger stores it */
  readonly blocks: Block[];
  readonly accounts: { readonly root: TestAccount; readonly alice: TestAccount; readonly bob: TestAccount };
  readonly gk: Host;
  readonly workers: readonly Host[];
  /** relays every host's egress, adds `calls`, produces and feeds the next block; returns its runtime events */
  step(calls?: ReadonlyArray<readonly [TestAccount, RuntimeEvent]>): RuntimeEvent[];
  /** root call through `Sudo.sudo` */
  sudo(call: RuntimeEvent): readonly [TestAccount, RuntimeEvent];
  /** the chain's next expected sequence of `origin` */
  nextSequence(origin: MessageOrigin): bigint;
}

function newHost(name: string, random: Random, vendor: ReturnType<typeof createAttestationVendor>, role: 'gatekeeper' | 'cluster'): Host {
  const r = random.fork(name);
  const workerRandom = r.fork('identity');
  const identity = createWorkerIdentity(workerRandom);
  const platform = createSimulatedPlatform(vendor, r.fork('platform'));
  const worker = createWorkerRuntime(identity, { iterationsPer6s: 1000n });
  const group = createWorkerGroup();
  group.add(worker);
  const queryRandom = r.fork('query-ivs');
  const gatekeeper =
    role === 'gatekeeper' ? createGatekeeperRuntime({ vault: identity.vault, random: r.fork('gk-signing'), platform, measurement: clusterTestMeasurement }) : undefined;
  const cluster =
    role === 'cluster' ? createClusterRuntime({ worker, registry: shippedProgramRegistry(), queryRandom, platform, measurement: clusterTestMeasurement }) : undefined;
  return { name, relayer: testAccount(`relayer-${name}`), platform, workerRandom, queryRandom, worker, group, cluster, gatekeeper, gkPending: [], outputs: new Map() };
}

function feed(host: Host, view: VerifiedBlockView): void {
  host.group.processBlock(view);
  if (host.gatekeeper !== undefined) {
    const out = host.gatekeeper.processBlock({ number: view.number, timestampMs: Number(view.nowMs), messages: view.messages.map((m) => m.message) });
    host.gkPending.push(...out.gatekeeperEgress);
    for (const m of out.workerEgress) pushMessage(host.worker.workerChannel, m.destination, m.payload, host.worker.identity.signEgress);
  }
  if (host.cluster !== undefined) host.outputs.set(view.number, host.cluster.processBlock(view));
}

function hostEgress(host: Host, next: (o: MessageOrigin) => bigint): SignedMessage[] {
  const own = host.cluster?.pendingEgress(next) ?? [...host.worker.egress.values()].flatMap((c) => pendingFrom(c, next(c.origin)));
  return [...own, ...host.gkPending.filter((m) => m.sequence >= next(m.message.sender))];
}

/** A chain with Balances endowments and the pink system code at genesis, a GK host and `nWorkers` cluster hosts. */
export function createClusterChain(seed: number, nWorkers = 2): ClusterChain {
  const random = seededRandom(seed).fork('cluster-chain');
  const vendor = createAttestationVendor(random.fork('vendor'));
  const runtime = createPhalaRuntime();
  const accounts = { root: testAccount('root'), alice: testAccount('alice'), bob: testAccount('bob') };
  const gk = newHost('gk', random, vendor, 'gatekeeper');
  const workers = Array.from({ length: nWorkers }, (_, i) => newHost(`w${i + 1}`, random, vendor, 'cluster'));
  const hosts = [gk, ...workers];
  const endowed = [accounts.root, accounts.alice, accounts.bob, ...hosts.map((h) => h.relayer)];
  const spec = compileChainSpec(
    { chainName: 'phalanet-cluster-test', blockTimeMs: 12_000, genesisTimestampMs: BigInt(GENESIS_MS), rootAccount: accounts.root.id, endowments: endowed.map((a) => ({ who: a.id, amount: 1_000n * PHA })), subsidyPoolFunding: 0n },
    runtime,
  );
  const setCode: RuntimeEvent = { tag: 'PhalaPhatContracts', value: { tag: 'setPinkSystemCode', value: { code: SYSTEM_CODE } } };
  const g = genesis(runtime, { ...spec, genesisCalls: [...spec.genesisCalls, runtime.callCodec.enc(setCode)] });
  const chain = g.chain;
  const verified: VerifiedChain = createVerifiedChain(g.block.header);
  const views: VerifiedBlockView[] = [];
  const blocks: Block[] = [];
  const next = (o: MessageOrigin) => nextIngressSequence(chain.storage, o);
  const records = eventRecordCodec(runtime.eventCodec);

  const step = (calls: ReadonlyArray<readonly [TestAccount, RuntimeEvent]> = []): RuntimeEvent[] => {
    const nonces = new Map<string, number>();
    const sign = (who: TestAccount, call: RuntimeEvent) => {
      const nonce = nonces.get(who.id) ?? account(chain.storage, who.id).nonce;
      nonces.set(who.id, nonce + 1);
      return who.sign(runtime, call, nonce, chain.genesisHash);
    };
    const taken = new Set<string>();
    const pool: Uint8Array[] = [];
    for (const host of hosts) {
      for (const signedMessage of hostEgress(host, next)) {
        const id = `${originKey(signedMessage.message.sender)}/${signedMessage.sequence}`;
        if (taken.has(id)) continue;
        taken.add(id);
        pool.push(sign(host.relayer, { tag: 'PhalaMq', value: { tag: 'sync_offchain_message', value: { signedMessage } } }));
      }
    }
    for (const [who, call] of calls) pool.push(sign(who, call));
    const produced = produceBlock(chain, { timestampMs: GENESIS_MS + (views.length + 1) * 12_000, author: new Uint8Array(32), pool, limits });
    if (produced.rejected.length > 0 || produced.waiting.length > 0) throw new Error(`block ${produced.block.header.number}: ${JSON.stringify(produced.rejected)} rejected, ${produced.waiting.length} waiting`);
    const view = verified.advance(produced.block);
    if (E.isLeft(view)) throw new Error(`block ${produced.block.header.number} refused by the pRuntimes: ${view.left._tag}`);
    views.push(view.right);
    blocks.push(produced.block);
    for (const host of hosts) {
      feed(host, view.right);
      purgeEgress(host.worker, next);
      host.gkPending = host.gkPending.filter((m) => m.sequence >= next(m.message.sender));
    }
    return produced.block.events.map((e) => records.dec(e).event);
  };
  return {
    runtime,
    chain,
    views,
    blocks,
    accounts,
    gk,
    workers,
    step,
    sudo: (call) => [accounts.root, { tag: 'Sudo', value: { tag: 'sudo', value: { call: runtime.callCodec.enc(call) } } }] as const,
    nextSequence: next,
  };
}

/**
 * Restarts `host` from `sealed` (its cluster checkpoint) and replays the chain's verified views
 * after the checkpoint's block, as a pRuntime resumes sync after a reboot.
 */
export function restartFromCheckpoint(cc: ClusterChain, host: Host, sealed: Uint8Array): void {
  const restored = restoreClusterRuntime(sealed, {
    registry: shippedProgramRegistry(),
    platform: host.platform,
    measurement: clusterTestMeasurement,
    workerRandom: host.workerRandom,
    queryRandom: host.queryRandom,
  });
  if (E.isLeft(restored)) throw new Error(`${host.name} restore failed: ${restored.left._tag}`);
  const cluster = restored.right;
  const from = (cluster.lastBlock() ?? 0) + 1;
  host.worker = cluster.worker;
  host.cluster = cluster;
  host.group = createWorkerGroup(from);
  host.group.add(cluster.worker);
  for (const view of cc.views.slice(from - 1)) feed(host, view);
}

/** `0x` hex of the relayer-independent part of a signed message: its bytes without the signature. */
export const messageKey = (m: SignedMessage): string => `${originKey(m.message.sender)}/${m.sequence}/${toHex(m.message.destination)}/${toHex(m.message.payload)}`;

/**
 * Blocks 1–4 of a cluster's life: the hosts are force-registered and the GK host registered as
 * the first gatekeeper (1); its master pubkey lands (2); governance adds cluster 1 with every
 * worker host, owned by alice (3); the gatekeepers' key dispatch lands and the workers deploy (4).
 * Returns each block's runtime events.
 */
export function setUpCluster(cc: ClusterChain): RuntimeEvent[][] {
  const pk = (h: Host) => toHex(h.worker.pubkey);
  const register = (h: Host) => cc.sudo({ tag: 'PhalaRegistry', value: { tag: 'force_register_worker', value: { pubkey: pk(h), ecdhPubkey: pk(h), operator: undefined } } });
  const alice = cc.accounts.alice.id;
  const addCluster = {
    owner: alice,
    permission: { tag: 'Public', value: undefined },
    deployWorkers: cc.workers.map(pk),
    deposit: 0n,
    gasPrice: 0n,
    depositPerItem: 0n,
    depositPerByte: 0n,
    treasuryAccount: alice,
  };
  return [
    cc.step([...[cc.gk, ...cc.workers].map(register), cc.sudo({ tag: 'PhalaRegistry', value: { tag: 'register_gatekeeper', value: { gatekeeper: pk(cc.gk) } } })]),
    cc.step(),
    cc.step([cc.sudo({ tag: 'PhalaPhatContracts', value: { tag: 'addCluster', value: addCluster } })]),
    cc.step(),
  ];
}
