import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import { assembleAttestationReport, type QuoteBody, reportDataOf } from '../../attestation/quote.codec';
import { GatekeeperChangeScale, GatekeeperLaunchScale } from '../../codec/gatekeeperEvents.codec';
import { toHex } from '../../codec/hex';
import { type Message, type MessageOrigin, messageSigningBytes } from '../../codec/mq.codec';
import { runtimeInfoHash, type WorkerRegistrationInfoV2 } from '../../codec/registration.codec';
import { GatekeeperRegistryEventScale, RegistryEventScale, SystemEventScale } from '../../codec/systemEvents.codec';
import { topicBytes } from '../../codec/topics';
import { createRuntime } from '../../runtime/runtime';
import type { Storage } from '../../runtime/storage';
import { decider } from '../../runtime/testing/deciderSpec';
import type { BlockContext, RuntimeEvent } from '../../runtime/types';
import { createMqPallet, MQ, nextIngressSequence, QueuedOutboundMessage } from './mq.pallet';
import { createRegistryPallet, registryMessageKey } from './registry.pallet';
import { buildRegistryGenesis } from './testing/registryGenesis';
import { benchmarkScore } from './registryHandlers';
import { BenchmarkDuration, MinimumPRuntimeVersion, PRuntimeConsensusVersion, GatekeeperLaunchedAt, GatekeeperMasterPubkey, MasterKeyRotationLock, MaxKnownPRuntimeConsensusVersion, PRuntimeAddedAt, REGISTRY, type PhalaRegistryEvent, WorkerAddedAt, Workers } from './registryState';

const keyOf = (n: number) => {
  const secret = secretFromSeed(new Uint8Array(32).fill(n));
  return { secret, pubkey: getPublicKey(secret), hex: toHex(getPublicKey(secret)) };
};
const vendor = keyOf(200);
const w1 = keyOf(1);
const w2 = keyOf(2);
const master = keyOf(99);
const master2 = keyOf(98);
const GENESIS = `0x${'01'.repeat(32)}`;
const relayer = { type: 'Signed' as const, who: `0x${'11'.repeat(32)}` };
const root = { type: 'Root' as const };
const at = (seconds: number, number = 2): BlockContext => ({ number, timestampMs: seconds * 1000 });

const runtime = createRuntime([createMqPallet({ messageKey: registryMessageKey() }), createRegistryPallet()]);
const mockChain = (s: Storage) =>
  buildRegistryGenesis(s, { config: { parachainId: 0, noneAttestationEnabled: true, verifyPRuntime: false, trustedVendorKeys: [vendor.pubkey] }, relaychainGenesisBlockHashes: [GENESIS] });
const spec = decider(runtime, mockChain);
const production = decider(runtime, (s) => buildRegistryGenesis(s, { config: { parachainId: 0, trustedVendorKeys: [vendor.pubkey] }, relaychainGenesisBlockHashes: [GENESIS], pruntimeAllowList: [new Uint8Array(68)] }));

const ev = (e: PhalaRegistryEvent): RuntimeEvent => ({ tag: REGISTRY, value: e });
const call = (tag: string, value: unknown): RuntimeEvent => ({ tag: REGISTRY, value: { tag, value } });
function info(over: Partial<WorkerRegistrationInfoV2> = {}): WorkerRegistrationInfoV2 {
  return { version: 1, machineId: new Uint8Array(), pubkey: w1.pubkey, ecdhPubkey: w1.pubkey, genesisBlockHash: Uint8Array.from(Buffer.from(GENESIS.slice(2), 'hex')), features: [4, 1], operator: new Uint8Array(32).fill(7), paraId: 0, maxConsensusVersion: 0, ...over };
}
const register = (i: WorkerRegistrationInfoV2, attestation: unknown = undefined) => call('register_worker_v2', { pruntimeInfo: i, attestation });
function ias(i: WorkerRegistrationInfoV2, body: Partial<QuoteBody> = {}) {
  const full: QuoteBody = { pruntimeHash: new Uint8Array(68), reportData: reportDataOf(runtimeInfoHash(i)), timestampSecs: 1000n, quoteStatus: 'OK', advisoryIds: [], ...body };
  return assembleAttestationReport(full, vendor.pubkey, (m) => sign(vendor.secret, m));
}
const workerEvents = (out: Message[]) =>
  out.filter((m) => Buffer.from(m.destination).toString() === 'phala/system/event').map((m) => SystemEventScale.decode(m.payload)).map((e) => (e.tag === 'WorkerEvent' ? e.value.event : e));

function syncFrom(sender: MessageOrigin, secret: Uint8Array, sequence: bigint, topic: string, payload: Uint8Array): RuntimeEvent {
  const message = { sender, destination: topicBytes(topic), payload };
  return { tag: MQ, value: { tag: 'sync_offchain_message', value: { signedMessage: { message, sequence, signature: sign(secret, messageSigningBytes(message, sequence)) } } } };
}
const asWorker = (k: ReturnType<typeof keyOf>, payload: Uint8Array, seq = 0n) => syncFrom({ tag: 'Worker', value: k.pubkey }, k.secret, seq, '^phala/registry/event', payload);
const asGatekeeper = (secret: Uint8Array, payload: Uint8Array, seq = 0n) => syncFrom({ tag: 'Gatekeeper', value: undefined }, secret, seq, '^phala/registry/gk_event', payload);
const accepted = (sender: MessageOrigin, sequence = 0n) => ({ tag: MQ, value: { tag: 'OffchainMessageAccepted', value: { sender, sequence } } });

const stored = (pubkey: string, over: Record<string, unknown> = {}, addedAt: number | undefined = 1) =>
  ev({ tag: 'WorkerInfoStored', value: { info: { pubkey, ecdhPubkey: pubkey, runtimeVersion: 1, lastUpdated: 0n, operator: undefined, attestationProvider: 'Root', confidenceLevel: 128, initialScore: undefined, features: [], ...over }, addedAt } });

describe('PhalaRegistry register_worker_v2', () => {
  it('registers a new worker (None attestation allowed by the mock chain): WorkerAdded, Registered then BenchStart{0} (F2)', () => {
    const r = spec.given([]).when(relayer, register(info()), at(1));
    const s = r.thenEmits([
      ev({ tag: 'ConsensusVersionCounted', value: { version: 0, count: 1 } }),
      ev({ tag: 'WorkerInfoStored', value: { info: { pubkey: w1.hex, ecdhPubkey: w1.hex, runtimeVersion: 1, lastUpdated: 1n, operator: `0x${'07'.repeat(32)}`, attestationProvider: undefined, confidenceLevel: 128, initialScore: undefined, features: [4, 1] }, addedAt: 2 } }),
      ev({ tag: 'WorkerAdded', value: { pubkey: w1.hex, attestationProvider: undefined, confidenceLevel: 128 } }),
    ]);
    expect(workerEvents(r.outbound)).toEqual([{ tag: 'Registered', value: { confidenceLevel: 128 } }, { tag: 'BenchStart', value: { duration: 0 } }]);
    expect(WorkerAddedAt.get(s, w1.hex)).toBe(2);
    expect(BenchmarkDuration.get(s)).toBeUndefined();
  });

  it('checks attestation → parachain id → genesis hash, in that order (Rust test_register_worker_v2)', () => {
    const badGenesis = info({ genesisBlockHash: new Uint8Array(32) });
    spec.given([]).when(relayer, register(badGenesis)).thenRejects('GenesisBlockHashRejected');
    spec.given([]).when(relayer, register(info({ paraId: 1 }))).thenRejects('ParachainIdMismatch');
    production.given([]).when(relayer, register(info({ paraId: 1, genesisBlockHash: new Uint8Array(32) }))).thenRejects('NoneAttestationDisabled');
    spec.given([]).when(root, register(info())).thenRejects('BadOrigin');
  });

  it('re-registration refreshes time, operator, version, level, features but keeps ecdh, provider, score and WorkerAddedAt (F28)', () => {
    const given = [stored(w1.hex, { attestationProvider: 'Ias', initialScore: 600, ecdhPubkey: w2.hex, confidenceLevel: 1 }, 1)];
    const r = spec.given(given).when(relayer, register(info({ operator: new Uint8Array(32).fill(8), version: 5 })), at(100, 9));
    const s = r.thenEmits([
      ev({ tag: 'ConsensusVersionCounted', value: { version: 0, count: 1 } }),
      ev({ tag: 'WorkerInfoStored', value: { info: { pubkey: w1.hex, ecdhPubkey: w2.hex, runtimeVersion: 5, lastUpdated: 100n, operator: `0x${'08'.repeat(32)}`, attestationProvider: 'Ias', confidenceLevel: 128, initialScore: 600, features: [4, 1] }, addedAt: undefined } }),
      ev({ tag: 'WorkerUpdated', value: { pubkey: w1.hex, attestationProvider: undefined, confidenceLevel: 128 } }),
    ]);
    expect(WorkerAddedAt.get(s, w1.hex)).toBe(1);
  });

  it('counts consensus versions: a raise restarts at 1, equal counts up, lower is ignored (F28/F30)', () => {
    const s1 = spec.given([ev({ tag: 'ConsensusVersionCounted', value: { version: 3, count: 4 } })]).when(relayer, register(info({ maxConsensusVersion: 3 }))).thenEmits(expect.anything());
    expect(MaxKnownPRuntimeConsensusVersion.get(s1)).toEqual({ version: 3, count: 5 });
    const s2 = spec.given([ev({ tag: 'ConsensusVersionCounted', value: { version: 3, count: 4 } })]).when(relayer, register(info({ maxConsensusVersion: 2 }))).thenEmits(expect.anything());
    expect(MaxKnownPRuntimeConsensusVersion.get(s2)).toEqual({ version: 3, count: 4 });
  });

  it('B5: an IAS report 7200 s old is outdated, 7199 s is not', () => {
    const i = info();
    production.given([]).when(relayer, register(i, ias(i, { timestampSecs: 1000n })), at(8200)).thenRejects('OutdatedIASReport');
    production.given([]).when(relayer, register(i, ias(i, { timestampSecs: 1000n })), at(8199)).thenEmits(expect.anything());
  });

  it('B6: CONFIGURATION_NEEDED with a non-whitelisted advisory gives confidence level 4, provider Ias', () => {
    const i = info();
    const r = production.given([]).when(relayer, register(i, ias(i, { quoteStatus: 'CONFIGURATION_NEEDED', advisoryIds: ['INTEL-SA-00615'] })), at(1001));
    expect(r.events.at(-1)).toEqual(ev({ tag: 'WorkerAdded', value: { pubkey: w1.hex, attestationProvider: 'Ias', confidenceLevel: 4 } }));
    expect(workerEvents(r.outbound)[0]).toEqual({ tag: 'Registered', value: { confidenceLevel: 4 } });
  });

  it('IAS checks in Phala order: signing cert → status → pRuntime allow-list → freshness → runtime info hash (F26)', () => {
    const i = info();
    const forged = { ...ias(i), value: { ...ias(i).value, signature: new Uint8Array(64) } };
    production.given([]).when(relayer, register(i, forged), at(1001)).thenRejects('InvalidIASSigningCert');
    production.given([]).when(relayer, register(i, ias(i, { quoteStatus: 'GROUP_REVOKED', timestampSecs: 0n })), at(9000)).thenRejects('InvalidQuoteStatus');
    production.given([]).when(relayer, register(i, ias(i, { pruntimeHash: new Uint8Array(68).fill(1), timestampSecs: 0n })), at(9000)).thenRejects('PRuntimeRejected');
    const allowed = [ev({ tag: 'PRuntimeAdded', value: { pruntimeHash: new Uint8Array(68).fill(1) } })];
    production.given(allowed).when(relayer, register(i, ias(i, { pruntimeHash: new Uint8Array(68).fill(1), timestampSecs: 0n })), at(9000)).thenRejects('OutdatedIASReport');
    production.given([]).when(relayer, register(i, ias(info({ version: 2 }))), at(1001)).thenRejects('InvalidRuntimeInfoHash');
  });

  it('force_register_worker (root) writes a Root/128 record with WorkerAddedAt, Registered but no BenchStart; BenchmarkDuration reaches BenchStart', () => {
    const r = spec.given([]).when(root, call('force_register_worker', { pubkey: w1.hex, ecdhPubkey: w2.hex, operator: undefined }), at(5, 7));
    const s = r.thenEmits([
      ev({ tag: 'WorkerInfoStored', value: { info: { pubkey: w1.hex, ecdhPubkey: w2.hex, runtimeVersion: 0, lastUpdated: 1n, operator: undefined, attestationProvider: 'Root', confidenceLevel: 128, initialScore: undefined, features: [1, 4] }, addedAt: 7 } }),
      ev({ tag: 'WorkerAdded', value: { pubkey: w1.hex, attestationProvider: 'Root', confidenceLevel: 128 } }),
    ]);
    expect(WorkerAddedAt.get(s, w1.hex)).toBe(7);
    expect(workerEvents(r.outbound)).toEqual([{ tag: 'Registered', value: { confidenceLevel: 128 } }]);
    spec.given([]).when(relayer, call('force_register_worker', { pubkey: w1.hex, ecdhPubkey: w1.hex, operator: undefined })).thenRejects('BadOrigin');
    const d = spec.given([ev({ tag: 'BenchmarkDurationSet', value: { duration: 50 } })]).when(relayer, register(info()));
    expect(workerEvents(d.outbound)[1]).toEqual({ tag: 'BenchStart', value: { duration: 50 } });
  });
});

describe('PhalaRegistry pRuntime versions', () => {
  it('set_minimum_pruntime_version and set_pruntime_consensus_version are root calls with Phala\'s events', () => {
    const s = spec.given([]).when(root, call('set_minimum_pruntime_version', [2, 4, 1])).thenEmits([ev({ tag: 'MinimumPRuntimeVersionChangedTo', value: [2, 4, 1] })]);
    expect(MinimumPRuntimeVersion.get(s)).toEqual([2, 4, 1]);
    const c = spec.given([]).when(root, call('set_pruntime_consensus_version', { version: 3 })).thenEmits([ev({ tag: 'PRuntimeConsensusVersionChangedTo', value: 3 })]);
    expect(PRuntimeConsensusVersion.get(c)).toBe(3);
    spec.given([]).when(relayer, call('set_pruntime_consensus_version', { version: 3 })).thenRejects('BadOrigin');
    spec.given([]).when(relayer, call('rotate_master_key', undefined)).thenRejects('BadOrigin');
    spec.given([]).when(relayer, call('force_set_benchmark_duration', { value: 1 })).thenRejects('BadOrigin');
  });
});

describe('PhalaRegistry allow-lists (Rust test_pruntime_allowlist_works, test_relaychain_genesis_block_hash_allowlist_works)', () => {
  it('adds and removes pRuntime hashes with AlreadyExists / NotFound', () => {
    const sample = Uint8Array.of(1, 2, 3, 4);
    const added = spec.given([]).when(root, call('add_pruntime', { pruntimeHash: sample }), at(1, 3)).thenEmits([ev({ tag: 'PRuntimeAdded', value: { pruntimeHash: sample } })]);
    expect(PRuntimeAddedAt.get(added, sample)).toBe(3);
    const given = [ev({ tag: 'PRuntimeAdded', value: { pruntimeHash: sample } })];
    spec.given(given).when(root, call('add_pruntime', { pruntimeHash: sample })).thenRejects('PRuntimeAlreadyExists');
    const removed = spec.given(given).when(root, call('remove_pruntime', { pruntimeHash: sample })).thenEmits([ev({ tag: 'PRuntimeRemoved', value: { pruntimeHash: sample } })]);
    expect(PRuntimeAddedAt.has(removed, sample)).toBe(false);
    spec.given([]).when(root, call('remove_pruntime', { pruntimeHash: sample })).thenRejects('PRuntimeNotFound');
    spec.given([]).when(relayer, call('add_pruntime', { pruntimeHash: sample })).thenRejects('BadOrigin');
  });

  it('adds and removes relay-chain genesis hashes', () => {
    const h = `0x${'02'.repeat(32)}`;
    spec.given([]).when(root, call('add_relaychain_genesis_block_hash', { genesisBlockHash: GENESIS })).thenRejects('GenesisBlockHashAlreadyExists');
    spec.given([]).when(root, call('add_relaychain_genesis_block_hash', { genesisBlockHash: h })).thenEmits([ev({ tag: 'RelaychainGenesisBlockHashAdded', value: { hash: h } })]);
    spec.given([]).when(root, call('remove_relaychain_genesis_block_hash', { genesisBlockHash: h })).thenRejects('GenesisBlockHashNotFound');
    spec.given([]).when(root, call('remove_relaychain_genesis_block_hash', { genesisBlockHash: GENESIS })).thenEmits([ev({ tag: 'RelaychainGenesisBlockHashRemoved', value: { hash: GENESIS } })]);
  });
});

const launched = [stored(w1.hex), stored(w2.hex), ev({ tag: 'GatekeeperAdded', value: { pubkey: w1.hex } }), ev({ tag: 'GatekeeperMasterPubkeySet', value: { masterPubkey: master.hex } })];
const launchMessages = (out: Message[]) => out.filter((m) => Buffer.from(m.destination).toString() === 'phala/gatekeeper/launch').map((m) => GatekeeperLaunchScale.decode(m.payload));

describe('PhalaRegistry gatekeepers (§7, F27, K6, K7)', () => {
  it('the first gatekeeper gets FirstGatekeeper; a second waits for the master key; an unknown worker is refused', () => {
    const r = spec.given([stored(w1.hex), stored(w2.hex)]).when(root, call('register_gatekeeper', { gatekeeper: w1.hex }));
    r.thenEmits([ev({ tag: 'GatekeeperAdded', value: { pubkey: w1.hex } })]);
    expect(launchMessages(r.outbound)).toEqual([{ tag: 'FirstGatekeeper', value: { pubkey: w1.pubkey, ecdhPubkey: w1.pubkey } }]);
    const one = [stored(w1.hex), stored(w2.hex), ev({ tag: 'GatekeeperAdded', value: { pubkey: w1.hex } })];
    spec.given(one).when(root, call('register_gatekeeper', { gatekeeper: w2.hex })).thenRejects('MasterKeyUninitialized');
    spec.given([]).when(root, call('register_gatekeeper', { gatekeeper: w1.hex })).thenRejects('WorkerNotFound');
  });

  it('a later gatekeeper gets GatekeeperChange::Registered; an already-listed one only re-emits GatekeeperAdded', () => {
    const r = spec.given(launched).when(root, call('register_gatekeeper', { gatekeeper: w2.hex }));
    r.thenEmits([ev({ tag: 'GatekeeperAdded', value: { pubkey: w2.hex } })]);
    expect(r.outbound.map((m) => GatekeeperChangeScale.decode(m.payload))).toEqual([{ tag: 'Registered', value: { pubkey: w2.pubkey, ecdhPubkey: w2.pubkey } }]);
    const again = spec.given(launched).when(root, call('register_gatekeeper', { gatekeeper: w1.hex }));
    again.thenEmits([ev({ tag: 'GatekeeperAdded', value: { pubkey: w1.hex } })]);
    expect(again.outbound).toEqual([]);
  });

  it('K6: no gatekeeper change during a rotation; K7: the last one cannot leave; InvalidGatekeeper comes first (F27)', () => {
    const rotating = [...launched, ev({ tag: 'MasterKeyRotationStarted', value: { rotationId: 1n } })];
    spec.given(rotating).when(root, call('register_gatekeeper', { gatekeeper: w2.hex })).thenRejects('MasterKeyInRotation');
    spec.given(rotating).when(root, call('unregister_gatekeeper', { gatekeeper: w1.hex })).thenRejects('MasterKeyInRotation');
    spec.given(launched).when(root, call('unregister_gatekeeper', { gatekeeper: w1.hex })).thenRejects('CannotRemoveLastGatekeeper');
    spec.given([stored(w1.hex)]).when(root, call('unregister_gatekeeper', { gatekeeper: w1.hex })).thenRejects('InvalidGatekeeper');
    const two = [...launched, ev({ tag: 'GatekeeperAdded', value: { pubkey: w2.hex } })];
    const r = spec.given(two).when(root, call('unregister_gatekeeper', { gatekeeper: w1.hex }));
    r.thenEmits([ev({ tag: 'GatekeeperRemoved', value: { pubkey: w1.hex } })]);
    expect(r.outbound.map((m) => GatekeeperChangeScale.decode(m.payload))).toEqual([{ tag: 'Unregistered', value: { pubkey: w1.pubkey } }]);
  });

  it('the listed gatekeeper uploads the master pubkey: stored, MasterPubkeyOnChain, GatekeeperLaunched at (block, secs)', () => {
    const payload = RegistryEventScale.encode({ tag: 'MasterPubkey', value: { masterPubkey: master.pubkey } });
    const W1: MessageOrigin = { tag: 'Worker', value: w1.pubkey };
    const r = spec.given(launched.slice(0, 3)).when(relayer, asWorker(w1, payload), at(36, 3));
    const s = r.thenEmits([accepted(W1), ev({ tag: 'GatekeeperMasterPubkeySet', value: { masterPubkey: master.hex } }), ev({ tag: 'GatekeeperLaunched', value: undefined })]);
    expect(GatekeeperLaunchedAt.get(s)).toEqual([3, 36n]);
    expect(launchMessages(r.outbound)).toEqual([{ tag: 'MasterPubkeyOnChain', value: { masterPubkey: master.pubkey } }]);
    // a mismatching key, or a non-gatekeeper: the handler fails, the mq swallows it (F8)
    const mismatch = RegistryEventScale.encode({ tag: 'MasterPubkey', value: { masterPubkey: master2.pubkey } });
    const s2 = spec.given(launched).when(relayer, asWorker(w1, mismatch)).thenEmits([accepted(W1)]);
    expect(GatekeeperMasterPubkey.get(s2)).toBe(master.hex);
    spec.given(launched).when(relayer, asWorker(w2, payload)).thenEmits([accepted({ tag: 'Worker', value: w2.pubkey })]);
  });

  it('rotate_master_key takes the lock with id counter+1 and asks every GK (§7.4)', () => {
    const r = spec.given(launched).when(root, call('rotate_master_key', undefined));
    const s = r.thenEmits([ev({ tag: 'MasterKeyRotationStarted', value: { rotationId: 1n } })]);
    expect(MasterKeyRotationLock.get(s)).toBe(1n);
    expect(launchMessages(r.outbound)).toEqual([{ tag: 'RotateMasterKey', value: { rotationId: 1n, gkIdentities: [{ pubkey: w1.pubkey, ecdhPubkey: w1.pubkey }] } }]);
    spec.given([...launched, ev({ tag: 'MasterKeyRotationStarted', value: { rotationId: 1n } })]).when(root, call('rotate_master_key', undefined)).thenRejects('MasterKeyInRotation');
  });

  it('K5: a rotated pubkey with the wrong rotation id fails (event kept, key unchanged); the right one switches the key', () => {
    const GK: MessageOrigin = { tag: 'Gatekeeper', value: undefined };
    const lock2 = [...launched, ev({ tag: 'MasterKeyRotationStarted', value: { rotationId: 2n } })];
    const wrong = GatekeeperRegistryEventScale.encode({ tag: 'RotatedMasterPubkey', value: { rotationId: 1n, masterPubkey: master2.pubkey } });
    const s = spec.given(lock2).when(relayer, asGatekeeper(master.secret, wrong)).thenEmits([accepted(GK), ev({ tag: 'MasterKeyRotationFailed', value: { rotationLock: 2n, gatekeeperRotationId: 1n } })]);
    expect(GatekeeperMasterPubkey.get(s)).toBe(master.hex);
    expect(nextIngressSequence(s, GK)).toBe(1n);
    const right = GatekeeperRegistryEventScale.encode({ tag: 'RotatedMasterPubkey', value: { rotationId: 2n, masterPubkey: master2.pubkey } });
    const r = spec.given(lock2).when(relayer, asGatekeeper(master.secret, right));
    const s2 = r.thenEmits([accepted(GK), ev({ tag: 'MasterKeyRotated', value: { rotationId: 2n, masterPubkey: master2.hex } })]);
    expect(GatekeeperMasterPubkey.get(s2)).toBe(master2.hex);
    expect(MasterKeyRotationLock.get(s2)).toBeUndefined();
    expect(launchMessages(r.outbound)).toEqual([{ tag: 'MasterPubkeyRotated', value: { masterPubkey: master2.pubkey } }]);
    // the gatekeeper channel is verified against the master key; before launch it is refused
    spec.given(lock2).when(relayer, asGatekeeper(master2.secret, right)).thenRejects('InvalidSignature');
    spec.given([]).when(relayer, asGatekeeper(master.secret, right)).thenRejects('MasterKeyUninitialized');
    // a worker cannot send on the gatekeeper topic: InvalidSender, swallowed
    spec.given(lock2).when(relayer, syncFrom({ tag: 'Worker', value: w1.pubkey }, w1.secret, 0n, '^phala/registry/gk_event', right)).thenEmits([accepted({ tag: 'Worker', value: w1.pubkey })]);
  });
});

describe('PhalaRegistry benchmark reports (§4.5, B1, B2, F9)', () => {
  const W1: MessageOrigin = { tag: 'Worker', value: w1.pubkey };
  const bench = (startTime: bigint, iterations: bigint) => RegistryEventScale.encode({ tag: 'BenchReport', value: { startTime, iterations } });

  it('B1: 60000 iterations over 600 s scores 600; the score and last_updated are stored; BenchScore goes out', () => {
    const r = spec.given([stored(w1.hex)]).when(relayer, asWorker(w1, bench(100_000n, 60_000n)), { number: 5, timestampMs: 700_000 });
    const s = r.thenEmits([accepted(W1), ev({ tag: 'InitialScoreSet', value: { pubkey: w1.hex, initScore: 600 } })]);
    expect(Workers.get(s, w1.hex)).toMatchObject({ initialScore: 600, lastUpdated: 700n });
    expect(workerEvents(r.outbound)).toEqual([{ tag: 'BenchScore', value: 600 }]);
  });

  it('B2: 1,000,000 iterations is capped at 6000; an unknown worker still gets the event, nothing stored', () => {
    expect(benchmarkScore(700_000n, 100_000n, 1_000_000n)).toBe(6000);
    const s = spec.given([]).when(relayer, asWorker(w1, bench(100_000n, 1_000_000n)), { number: 5, timestampMs: 700_000 }).thenEmits([accepted(W1), ev({ tag: 'InitialScoreSet', value: { pubkey: w1.hex, initScore: 6000 } })]);
    expect(Workers.has(s, w1.hex)).toBe(false);
  });

  it('the ×6 is cast to u32 before the cap (wraps), and the division is on whole seconds (F9)', () => {
    expect(benchmarkScore(1000n, 0n, 715_827_883n)).toBe(2); // 6·715827883 = 2^32 + 2
    expect(benchmarkScore(2999n, 0n, 100n)).toBe(300); // 2999 ms → 2 whole seconds: 100/2·6
  });

  it('a report not after its start is InvalidBenchReport (swallowed); under one second elapsed it panics (F9)', () => {
    spec.given([stored(w1.hex)]).when(relayer, asWorker(w1, bench(700_000n, 1n)), { number: 5, timestampMs: 700_000 }).thenEmits([accepted(W1)]);
    const s = spec.given([stored(w1.hex)]).when(relayer, asWorker(w1, bench(699_500n, 1n)), { number: 5, timestampMs: 700_000 }).thenRejects('BenchmarkReportInvalid');
    expect(nextIngressSequence(s, W1)).toBe(0n);
  });

  it('an undecodable payload is swallowed (MessageCodecError)', () => {
    spec.given([stored(w1.hex)]).when(relayer, asWorker(w1, Uint8Array.of(9))).thenEmits([accepted(W1)]);
  });
});

describe('PhalaRegistry codecs', () => {
  it('round-trips every call and event through SCALE', () => {
    const i = info();
    const calls = [
      call('force_set_benchmark_duration', { value: 50 }),
      call('force_register_worker', { pubkey: w1.hex, ecdhPubkey: w2.hex, operator: w2.hex }),
      call('register_gatekeeper', { gatekeeper: w1.hex }),
      call('unregister_gatekeeper', { gatekeeper: w1.hex }),
      call('rotate_master_key', undefined),
      register(i, ias(i)),
      register(i, undefined),
      call('add_pruntime', { pruntimeHash: Uint8Array.of(1) }),
      call('remove_pruntime', { pruntimeHash: Uint8Array.of(1) }),
      call('add_relaychain_genesis_block_hash', { genesisBlockHash: GENESIS }),
      call('remove_relaychain_genesis_block_hash', { genesisBlockHash: GENESIS }),
      call('set_minimum_pruntime_version', [1, 2, 3]),
      call('set_pruntime_consensus_version', { version: 4 }),
    ];
    for (const c of calls) expect(runtime.callCodec.dec(runtime.callCodec.enc(c))).toEqual(c);
    expect(runtime.callCodec.enc(call('register_gatekeeper', { gatekeeper: w1.hex }))[1]).toBe(3);
    const events: PhalaRegistryEvent[] = [
      { tag: 'GatekeeperAdded', value: { pubkey: w1.hex } },
      { tag: 'GatekeeperRemoved', value: { pubkey: w1.hex } },
      { tag: 'WorkerAdded', value: { pubkey: w1.hex, attestationProvider: 'Dcap', confidenceLevel: 5 } },
      { tag: 'WorkerUpdated', value: { pubkey: w1.hex, attestationProvider: undefined, confidenceLevel: 1 } },
      { tag: 'MasterKeyRotated', value: { rotationId: 3n, masterPubkey: master.hex } },
      { tag: 'MasterKeyRotationFailed', value: { rotationLock: undefined, gatekeeperRotationId: 1n } },
      { tag: 'InitialScoreSet', value: { pubkey: w1.hex, initScore: 6000 } },
      { tag: 'MinimumPRuntimeVersionChangedTo', value: [1, 2, 3] },
      { tag: 'PRuntimeConsensusVersionChangedTo', value: 9 },
      { tag: 'GatekeeperLaunched', value: undefined },
      (stored(w1.hex, { initialScore: 5, operator: w2.hex, attestationProvider: 'Ias', features: [1, 4] }, 3).value as PhalaRegistryEvent),
      { tag: 'ConsensusVersionCounted', value: { version: 1, count: 2 } },
      { tag: 'BenchmarkDurationSet', value: { duration: 8 } },
      { tag: 'MasterKeyRotationStarted', value: { rotationId: 1n } },
      { tag: 'GatekeeperMasterPubkeySet', value: { masterPubkey: master.hex } },
      { tag: 'PRuntimeAdded', value: { pruntimeHash: new Uint8Array(68) } },
      { tag: 'PRuntimeRemoved', value: { pruntimeHash: new Uint8Array(68) } },
      { tag: 'RelaychainGenesisBlockHashAdded', value: { hash: GENESIS } },
      { tag: 'RelaychainGenesisBlockHashRemoved', value: { hash: GENESIS } },
    ];
    for (const e of events) expect(runtime.eventCodec.dec(runtime.eventCodec.enc(ev(e)))).toEqual(ev(e));
  });

  it('genesis stores BenchmarkDuration only with genesis workers (F2) and queues Registered, BenchStart, FirstGatekeeper', () => {
    const s = decider(runtime, (st) => buildRegistryGenesis(st, { workers: [{ pubkey: w1.hex, ecdhPubkey: w1.hex }], gatekeepers: [w1.hex, w2.hex], benchmarkDuration: 50 })).given([]).storage;
    expect(BenchmarkDuration.get(s)).toBe(50);
    const queued = QueuedOutboundMessage.get(s);
    expect(workerEvents(queued)).toEqual([{ tag: 'Registered', value: { confidenceLevel: 128 } }, { tag: 'BenchStart', value: { duration: 50 } }]);
    // w2 is not a registered worker, so only w1 becomes gatekeeper
    expect(launchMessages(queued)).toEqual([{ tag: 'FirstGatekeeper', value: { pubkey: w1.pubkey, ecdhPubkey: w1.pubkey } }]);
    expect(queued).toHaveLength(3);
    const none = decider(runtime, (st) => buildRegistryGenesis(st, { benchmarkDuration: 50 })).given([]).storage;
    expect(BenchmarkDuration.get(none)).toBeUndefined();
  });
});
