/**
 * A genesis with workers, gatekeepers and a stake pool: it compiles, executes, replays from the
 * ledger alone to the same state root, matches the old direct-write registry builder where they
 * overlap, and queues its mq messages: the gatekeepers' (the first one's launch) for block 1, the
 * other workers' in the genesis hold until the master pubkey is on chain.
 */
import { GatekeeperLaunchScale } from '../codec/gatekeeperEvents.codec';
import { type Message, messageCodec } from '../codec/mq.codec';
import { SystemEventScale } from '../codec/systemEvents.codec';
import type { RecordedEvent } from '../ports/eventStore';
import { Storage } from '../runtime/storage';
import { type Block, eventRecordCodec } from './block';
import { compileChainSpec, type PhalaChainConfig } from './chainConfig';
import { encodeBlock, executeBlock, genesis } from './executive';
import { blockRecord, CHAIN_STREAM } from './ledger';
import { OnlineWorkers, Sessions, Stakes } from './pallets/computationState';
import { HeldOutboundMessages, QueuedOutboundMessage, releaseHeldMessages } from './pallets/mq.pallet';
import { sessionAccount } from './pallets/poolAccounts';
import { Pools, WorkerAssignments } from './pallets/poolStorage';
import { BenchmarkDuration, Gatekeeper, Workers } from './pallets/registryState';
import { buildComputationGenesis } from './pallets/testing/computationGenesis';
import { buildRegistryGenesis } from './pallets/testing/registryGenesis';
import { createPhalaRuntime } from './phalaRuntime';
import { replayLedger } from './replay';

const PHA = 10n ** 12n;
const acct = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
const key = (n: number) => `0x${'ab'.repeat(31)}${n.toString(16).padStart(2, '0')}`;
const ecdh = (n: number) => `0x${'cd'.repeat(31)}${n.toString(16).padStart(2, '0')}`;
const owner = acct(10);
const stakers = [acct(11), acct(12)];

const base: PhalaChainConfig = {
  chainName: 'genesis-topology-test',
  blockTimeMs: 12_000,
  genesisTimestampMs: 1_700_000_000_000n,
  rootAccount: acct(1),
  endowments: [owner, ...stakers].map((who) => ({ who, amount: 100_000n * PHA })),
  subsidyPoolFunding: 1_000_000n * PHA,
  heartbeatPaused: false,
};
const cfg: PhalaChainConfig = {
  ...base,
  genesisWorkers: [
    { pubkey: key(1), ecdhPubkey: ecdh(1), operator: owner, initialScore: 2000, confidenceLevel: 1 },
    { pubkey: key(2), ecdhPubkey: ecdh(2), operator: owner, initialScore: 1500, confidenceLevel: 2 },
    { pubkey: key(3), ecdhPubkey: ecdh(3) },
  ],
  genesisGatekeepers: [
    { pubkey: key(3), ecdhPubkey: ecdh(3) },
    { pubkey: key(9), ecdhPubkey: ecdh(9) },
  ],
  genesisPools: [
    {
      owner,
      commissionPermill: 200_000,
      workers: [key(1), key(2)],
      stakers: stakers.map((who) => ({ who, amount: 20_000n * PHA })),
      computing: [{ worker: key(1), stake: 10_000n * PHA }],
    },
  ],
};
const runtime = createPhalaRuntime();
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const dump = (s: Storage) => s.allEntries().map((e) => `${hex(e.key)}=${hex(e.value!)}`).sort();
const workerEventTags = (messages: readonly Message[]) =>
  messages
    .filter((m) => Buffer.from(m.destination).toString('latin1') === 'phala/system/event')
    .map((m) => SystemEventScale.decode(m.payload))
    .flatMap((e) => (e.tag === 'WorkerEvent' ? [e.value.event.tag] : []));
const topicOf = (bytes: Uint8Array) => Buffer.from(messageCodec.dec(bytes).destination).toString('latin1');

async function* records(list: readonly Block[]): AsyncIterable<RecordedEvent> {
  for (const [version, b] of list.entries()) yield { ...blockRecord(b), streamId: CHAIN_STREAM, version, globalPosition: BigInt(version + 1) };
}

test('block 0 state is the fold of its events, and the ledger replays to the same state root', async () => {
  const { chain, block } = genesis(runtime, compileChainSpec(cfg, runtime));
  const codec = eventRecordCodec(runtime.eventCodec);
  const fresh = new Storage();
  for (const bytes of block.events) runtime.evolve(fresh, codec.dec(bytes).event, { number: 0, timestampMs: Number(cfg.genesisTimestampMs) });
  expect(dump(fresh)).toEqual(dump(chain.storage));
  const b1 = executeBlock(chain, { timestampMs: 1_700_000_012_000, author: new Uint8Array(32), extrinsics: [] });
  expect(encodeBlock(b1).length).toBeGreaterThan(0);
  const r = await replayLedger(records([block, b1]), { runtime, stopAtFirst: true });
  expect(r).toMatchObject({ verified: true, blocks: 2, head: { number: 1, stateRoot: `0x${hex(b1.header.stateRoot)}` } });
});

test('workers and gatekeepers match the old direct-write builder where they overlap', () => {
  const plain: PhalaChainConfig = { ...base, genesisWorkers: [{ pubkey: key(3), ecdhPubkey: ecdh(3), operator: owner }], genesisGatekeepers: cfg.genesisGatekeepers! };
  const { chain } = genesis(runtime, compileChainSpec(plain, runtime));
  const old = new Storage();
  buildRegistryGenesis(old, { workers: [...plain.genesisWorkers!, { pubkey: key(9), ecdhPubkey: ecdh(9) }], gatekeepers: [key(3), key(9)] });
  buildComputationGenesis(old, { heartbeatPaused: false });
  for (const pubkey of [key(3), key(9)]) expect(Workers.get(chain.storage, pubkey)).toEqual(Workers.get(old, pubkey));
  expect(Gatekeeper.get(chain.storage)).toEqual([key(3), key(9)]);
  expect(Gatekeeper.get(chain.storage)).toEqual(Gatekeeper.get(old));
  expect(BenchmarkDuration.get(chain.storage)).toBe(8);
  expect(BenchmarkDuration.get(chain.storage)).toEqual(BenchmarkDuration.get(old));
  expect(QueuedOutboundMessage.get(chain.storage)).toEqual(QueuedOutboundMessage.get(old));
});

test('the pool exists with its workers and stake, and the computing worker has a session', () => {
  const { chain } = genesis(runtime, compileChainSpec(cfg, runtime));
  const s = chain.storage;
  const pool = Pools.get(s, 0n);
  expect(pool?.tag).toBe('StakePool');
  expect(pool?.value.basepool.totalValue).toBe(40_000n * PHA);
  expect(pool?.tag === 'StakePool' && pool.value.workers).toEqual([key(1), key(2)]);
  expect(pool?.tag === 'StakePool' && pool.value.payoutCommission).toBe(200_000);
  expect(WorkerAssignments.get(s, key(2))).toBe(0n);
  const session = sessionAccount(0n, key(1));
  expect(Sessions.get(s, session)?.state).toBe('WorkerIdle');
  expect(Stakes.get(s, session)).toBe(10_000n * PHA);
  expect(Sessions.get(s, sessionAccount(0n, key(2)))?.state).toBe('Ready');
  expect(OnlineWorkers.get(s)).toBe(1);
  expect(Workers.get(s, key(1))).toMatchObject({ initialScore: 2000, confidenceLevel: 1, attestationProvider: 'Root' });
});

test('block 1 carries the gatekeepers’ messages, the first launching; the rest waits in the genesis hold', () => {
  const { chain, block } = genesis(runtime, compileChainSpec(cfg, runtime));
  expect(block.outbound).toEqual([]);
  const queued = QueuedOutboundMessage.get(chain.storage).length;
  const b1 = executeBlock(chain, { timestampMs: 1_700_000_012_000, author: new Uint8Array(32), extrinsics: [] });
  expect(b1.outbound.length).toBeGreaterThanOrEqual(queued);
  const launches = b1.outbound.filter((m) => topicOf(m) === 'phala/gatekeeper/launch').map((m) => GatekeeperLaunchScale.decode(messageCodec.dec(m).payload));
  expect(launches.map((l) => [l.tag, l.tag === 'FirstGatekeeper' ? `0x${hex(l.value.pubkey)}` : ''])).toEqual([['FirstGatekeeper', key(3)]]);
  // the second gatekeeper is announced as a change, not a launch
  expect(b1.outbound.filter((m) => topicOf(m) === 'phala/gatekeeper/change')).toHaveLength(1);
  // the gatekeepers registered as workers before launching: 2 × Registered, 2 × BenchStart
  expect(workerEventTags(b1.outbound.map((m) => messageCodec.dec(m)))).toEqual(['Registered', 'BenchStart', 'Registered', 'BenchStart']);
  expect(QueuedOutboundMessage.get(chain.storage)).toEqual([]);
  // the two other workers wait for the master pubkey: registered, scored, one started
  const held = HeldOutboundMessages.get(chain.storage);
  expect(workerEventTags(held)).toEqual(['Registered', 'BenchScore', 'Registered', 'BenchScore', 'Started']);
  // what the registry does right after `MasterPubkeyOnChain`: everything held goes out, in order, once
  const out = { events: [], outbound: [] as Message[] };
  releaseHeldMessages(runtime.context(chain.storage, { number: 2, timestampMs: 1_700_000_024_000 }, out));
  expect(out.outbound).toEqual(held);
  expect(HeldOutboundMessages.get(chain.storage)).toEqual([]);
  const again = { events: [], outbound: [] as Message[] };
  releaseHeldMessages(runtime.context(chain.storage, { number: 3, timestampMs: 1_700_000_036_000 }, again));
  expect(again.outbound).toEqual([]);
});

test('a genesis without workers beyond its gatekeepers holds nothing (old ledgers keep their bytes)', () => {
  const plain: PhalaChainConfig = { ...base, genesisGatekeepers: cfg.genesisGatekeepers! };
  const { chain } = genesis(runtime, compileChainSpec(plain, runtime));
  expect(HeldOutboundMessages.get(chain.storage)).toEqual([]);
  expect(QueuedOutboundMessage.get(chain.storage).length).toBeGreaterThan(0);
});

test('a pool call that fails inside sudo_as stops genesis, naming the error', () => {
  const bad: PhalaChainConfig = { ...cfg, genesisPools: [{ ...cfg.genesisPools![0]!, workers: [key(3)], computing: [] }] };
  expect(() => genesis(runtime, compileChainSpec(bad, runtime))).toThrow(/failed inside: PhalaStakePoolv2\.UnauthorizedOperator/);
});

test('the registry genesis calls are refused after block 0', () => {
  const s = new Storage();
  const call = { tag: 'PhalaRegistry', value: { tag: 'force_register_genesis_worker', value: { pubkey: key(1), ecdhPubkey: ecdh(1), operator: undefined, confidenceLevel: 128, initialScore: undefined } } };
  expect(runtime.applyCall(s, { number: 1, timestampMs: 1 }, { type: 'Root' }, call).result).toMatchObject({ left: { error: 'GenesisOnly' } });
  expect(runtime.applyCall(s, { number: 0, timestampMs: 1 }, { type: 'Signed', who: acct(2) }, call).result).toMatchObject({ left: { error: 'BadOrigin' } });
});

test('sudo_as: the sudo key dispatches as the chosen signer; anyone else is refused', () => {
  const { chain } = genesis(runtime, compileChainSpec(base, runtime));
  const inner = runtime.callCodec.enc({ tag: 'Balances', value: { tag: 'transfer', value: { dest: acct(5), value: PHA } } });
  const sudoAs = { tag: 'Sudo', value: { tag: 'sudo_as', value: { who: owner, call: inner } } };
  const at = { number: 1, timestampMs: 1_700_000_012_000 };
  expect(runtime.applyCall(chain.storage, at, { type: 'Signed', who: owner }, sudoAs).result).toMatchObject({ left: { error: 'RequireSudo' } });
  const r = runtime.applyCall(chain.storage, at, { type: 'Signed', who: acct(1) }, sudoAs);
  expect(r.result._tag).toBe('Right');
  expect(r.events.map((e) => `${e.tag}.${e.value.tag}`)).toEqual(['Balances.Transfer', 'Sudo.SudoAsDone']);
});
