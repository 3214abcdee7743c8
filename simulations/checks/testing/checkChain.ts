/**
 * Test kit for the checkers: a real Phala chain (the executive over the assembled runtime, signed
 * extrinsics, real mq signatures) whose every block is handed to a set of checkers exactly as the
 * simulation driver will, plus the flow of `phalaRuntime.test.ts` as steps — a gatekeeper
 * launches, a worker registers and benchmarks, a stake pool starts it, it heartbeats, and the
 * gatekeepers' report settles it. Test-only (testing/).
 */
import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import { type Block, eventRecordCodec } from '../../../domain/chain/block';
import { compileChainSpec } from '../../../domain/chain/chainConfig';
import { type Chain, genesis, produceBlock } from '../../../domain/chain/executive';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { type TestAccount, testAccount } from '../../../domain/chain/testing/chainForTests';
import { toHex } from '../../../domain/codec/hex';
import { type MessageOrigin, messageSigningBytes } from '../../../domain/codec/mq.codec';
import { RegistryEventScale, type SettleInfoRecord, WorkingInfoUpdateEventScale, WorkingReportEventScale } from '../../../domain/codec/systemEvents.codec';
import { topicBytes } from '../../../domain/codec/topics';
import { defaultTokenomicParameters } from '../../../domain/economics';
import { FIXED_ONE, fixedFromInt, fixedMul } from '../../../domain/fixed/u64f64';
import type { Runtime } from '../../../domain/runtime/runtime';
import type { RuntimeEvent } from '../../../domain/runtime/types';
import type { BlockFacts, Checker } from '../api';

const PHA = 10n ** 12n;
const BLOCK_MS = 12_000;
const call = (pallet: string, tag: string, value: unknown): RuntimeEvent => ({ tag: pallet, value: { tag, value } });

/** An sr25519 key from a one-byte seed. */
export const keyOf = (n: number) => {
  const secret = secretFromSeed(new Uint8Array(32).fill(n));
  return { secret, pubkey: getPublicKey(secret), hex: toHex(getPublicKey(secret)) };
};
type Key = ReturnType<typeof keyOf>;

/** The kit's accounts and keys. */
export const who = { root: testAccount('root'), owner: testAccount('owner'), staker: testAccount('staker'), relayer: testAccount('relayer') };
export const keys = { gk: keyOf(1), worker: keyOf(2), master: keyOf(3) };

/** A chain whose blocks go to checkers. */
export class CheckChain {
  readonly runtime: Runtime = createPhalaRuntime();
  readonly chain: Chain;
  readonly blocks: Block[] = [];
  private readonly nonces = new Map<string, number>();
  private readonly sequences = new Map<string, bigint>();
  private readonly codec = eventRecordCodec(this.runtime.eventCodec);

  constructor(readonly checkers: readonly Checker[]) {
    const spec = compileChainSpec(
      {
        chainName: 'phalanet-checks',
        blockTimeMs: BLOCK_MS,
        genesisTimestampMs: 0n,
        rootAccount: who.root.id,
        endowments: [who.root, who.owner, who.staker, who.relayer].map((a) => ({ who: a.id, amount: 100_000n * PHA })),
        subsidyPoolFunding: 1_000_000n * PHA,
        registry: { parachainId: 0, noneAttestationEnabled: true, verifyPRuntime: false, verifyRelaychainGenesisBlockHash: false },
        heartbeatPaused: true,
      },
      this.runtime,
    );
    const g = genesis(this.runtime, spec);
    this.chain = g.chain;
    this.feed(g.block);
  }

  /** The facts of a block as the driver gives them to checkers. */
  factsOf(block: Block, final = false): BlockFacts {
    return { block, events: block.events.map((b) => this.codec.dec(b).event), state: this.chain.storage, final };
  }

  /** Hands a block to every checker. */
  feed(block: Block, final = false): void {
    this.blocks.push(block);
    const facts = this.factsOf(block, final);
    for (const c of this.checkers) c.onBlock(facts);
  }

  /** Signs `calls`, produces the next block (every call must succeed) and feeds it; `final` marks the run's last block. */
  produce(calls: readonly (readonly [TestAccount, RuntimeEvent])[], final = false): Block {
    const pool = calls.map(([a, c]) => {
      const nonce = this.nonces.get(a.id) ?? 0;
      this.nonces.set(a.id, nonce + 1);
      return a.sign(this.runtime, c, nonce, this.chain.genesisHash);
    });
    const number = this.chain.head.number + 1;
    const p = produceBlock(this.chain, { timestampMs: number * BLOCK_MS, author: new Uint8Array(32), pool, limits: { maxExtrinsics: 1000, maxBytes: 1 << 24 } });
    if (p.included.length !== pool.length) throw new Error(`block ${number}: ${pool.length - p.included.length} extrinsic(s) not applied: ${JSON.stringify(p.rejected)}`);
    const failed = this.factsOf(p.block).events.filter((e) => e.tag === 'Balances' && e.value.tag === 'ExtrinsicFailed');
    if (failed.length > 0) throw new Error(`block ${number}: ${failed.map((e) => JSON.stringify(e.value.value, (_k, v) => (typeof v === 'bigint' ? `${v}` : v))).join(', ')}`);
    this.feed(p.block, final);
    return p.block;
  }

  /** A root call through Sudo. */
  sudo(c: RuntimeEvent): readonly [TestAccount, RuntimeEvent] {
    return [who.root, call('Sudo', 'sudo', { call: this.runtime.callCodec.enc(c) })];
  }

  /** A signed mq message relayed by the relayer, with the sender's next sequence. */
  relay(sender: MessageOrigin, secret: Uint8Array, topic: string, payload: Uint8Array): readonly [TestAccount, RuntimeEvent] {
    const key = `${sender.tag}:${sender.value === undefined ? '' : toHex(sender.value)}`;
    const sequence = this.sequences.get(key) ?? 0n;
    this.sequences.set(key, sequence + 1n);
    const message = { sender, destination: topicBytes(topic), payload };
    const signedMessage = { message, sequence, signature: sign(secret, messageSigningBytes(message, sequence)) };
    return [who.relayer, call('PhalaMq', 'sync_offchain_message', { signedMessage })];
  }

  /** A gatekeeper report, signed with the master key. */
  report(blockNumber: number, settle: SettleInfoRecord[], extra: { offline?: Uint8Array[]; recovered?: Uint8Array[] } = {}) {
    const payload = WorkingInfoUpdateEventScale.encode({ blockNumber, timestampMs: BigInt(blockNumber * BLOCK_MS), offline: extra.offline ?? [], recoveredToOnline: extra.recovered ?? [], settle });
    return this.relay({ tag: 'Gatekeeper', value: undefined }, keys.master.secret, '^phala/mining/update', payload);
  }

  /**
   * Blocks 1–6 of the flow: gatekeeper registered and launched, worker registered and
   * benchmarked, pool 0 created with the worker, staked and started (block 5, heartbeats on),
   * the worker's heartbeat (block 6). Returns the worker's pubkey hex.
   */
  startWorker(): string {
    const { gk, worker, master } = keys;
    const info = (k: Key) => ({ version: 1, machineId: new Uint8Array(), pubkey: k.pubkey, ecdhPubkey: k.pubkey, genesisBlockHash: new Uint8Array(32), features: [], operator: Buffer.from(who.owner.id.slice(2), 'hex'), paraId: 0, maxConsensusVersion: 0 });
    const owner = who.owner;
    this.produce([[who.relayer, call('PhalaRegistry', 'register_worker_v2', { pruntimeInfo: info(gk), attestation: undefined })], this.sudo(call('PhalaRegistry', 'register_gatekeeper', { gatekeeper: gk.hex }))]);
    this.produce([this.relay({ tag: 'Worker', value: gk.pubkey }, gk.secret, '^phala/registry/event', RegistryEventScale.encode({ tag: 'MasterPubkey', value: { masterPubkey: master.pubkey } }))]);
    this.produce([[who.relayer, call('PhalaRegistry', 'register_worker_v2', { pruntimeInfo: info(worker), attestation: undefined })]]);
    this.produce([this.relay({ tag: 'Worker', value: worker.pubkey }, worker.secret, '^phala/registry/event', RegistryEventScale.encode({ tag: 'BenchReport', value: { startTime: 36_000n, iterations: 2000n } }))]);
    this.produce([
      [owner, call('PhalaStakePoolv2', 'create', {})],
      [owner, call('PhalaStakePoolv2', 'add_worker', { pid: 0n, pubkey: worker.hex })],
      [owner, call('PhalaStakePoolv2', 'set_payout_pref', { pid: 0n, payoutCommission: 500_000 })],
      [who.staker, call('PhalaWrappedBalances', 'wrap', { amount: 6_000n * PHA })],
      [who.staker, call('PhalaStakePoolv2', 'contribute', { pid: 0n, amount: 6_000n * PHA, asVault: undefined })],
      [owner, call('PhalaStakePoolv2', 'start_computing', { pid: 0n, worker: worker.hex, stake: 5_000n * PHA })],
      this.sudo(call('PhalaComputation', 'set_heartbeat_paused', { paused: false })),
    ]);
    const heartbeat = WorkingReportEventScale.encode({ tag: 'HeartbeatV2', value: { sessionId: 0, challengeBlock: 5, challengeTime: 60_000n, iterations: 1100n, nClusters: 0, nContracts: 0 } });
    this.produce([this.relay({ tag: 'Worker', value: worker.pubkey }, worker.secret, 'phala/mining/report', heartbeat)]);
    return worker.hex;
  }
}

/**
 * The settle entry a gatekeeper computes for a worker holding `fraction` (in 1/1000) of Σshare
 * over `blocks` blocks under the default parameters (budget 100 PHA per block, treasury 20 %).
 */
export function settleFor(pubkey: Uint8Array, blocks: number, permille = 1000): SettleInfoRecord {
  const p = defaultTokenomicParameters;
  const budget = (fixedMul(p.budgetPerBlock, fixedFromInt(blocks)) * BigInt(permille)) / 1000n;
  return { pubkey, v: fixedFromInt(6890), payout: fixedMul(budget, FIXED_ONE - p.treasuryRatio), treasury: fixedMul(budget, p.treasuryRatio) };
}
