/**
 * Hand-computed SCALE bytes for every variant of the mq payload enums. Variant indices and field
 * orders follow Phala's type-info snapshots (`crates/phala-types/src/snapshots/*dump_type_info*`).
 */
import {
  clusterEventCodec,
  clusterOperationCodec,
  clusterRegistryEventCodec,
  contractCommandCodec,
  contractOperationCodec,
  contractQueryCodec,
  contractRegistryEventCodec,
  workerClusterReportCodec,
} from './contractEvents.codec';
import { batchRotateSigningBytes, gatekeeperChangeCodec, gatekeeperEventCodec, gatekeeperLaunchCodec, keyDistributionCodec } from './gatekeeperEvents.codec';
import { toHexPlain } from './hex';
import { runtimeInfoHash, workerRegistrationInfoV2Codec } from './registration.codec';
import { type Codec, decodeExact } from './scale';
import {
  gatekeeperRegistryEventCodec,
  registryEventCodec,
  systemEventCodec,
  workerEventCodec,
  workingInfoUpdateEventCodec,
  workingReportEventCodec,
} from './systemEvents.codec';

const b = (n: number, x: number) => new Uint8Array(n).fill(x);
const k = (x: number) => b(32, x);
const K = (x: number) => toHexPlain(k(x));
const le = (v: bigint, bytes: number) => {
  let s = '';
  for (let i = 0; i < bytes; i++) s += Number((v >> BigInt(8 * i)) & 0xffn).toString(16).padStart(2, '0');
  return s;
};
const u32 = (v: number) => le(BigInt(v), 4);
const u64 = (v: bigint) => le(v, 8);
const u128 = (v: bigint) => le(v, 16);

function check<T>(codec: Codec<T>, value: NoInfer<T>, ...hexParts: string[]): void {
  const expected = hexParts.join('');
  expect(toHexPlain(codec.enc(value))).toBe(expected);
  expect(decodeExact(codec, Buffer.from(expected, 'hex'), 'payload')).toEqual(value);
}

const ek = { ecdhPubkey: k(7), encryptedKey: Uint8Array.of(0xaa), iv: b(12, 1) };
const EK = [K(7), '04aa', '01'.repeat(12)].join('');

describe('system and registry payloads', () => {
  it('WorkerEvent variants 0..6', () => {
    check(workerEventCodec, { tag: 'Registered', value: { confidenceLevel: 1 } }, '00', '01');
    check(workerEventCodec, { tag: 'BenchStart', value: { duration: 8 } }, '01', u32(8));
    check(workerEventCodec, { tag: 'BenchScore', value: 600 }, '02', '58020000');
    check(workerEventCodec, { tag: 'Started', value: { sessionId: 1, initV: 1n << 64n, initP: 1000 } }, '03', u32(1), u128(1n << 64n), 'e8030000');
    check(workerEventCodec, { tag: 'Stopped', value: undefined }, '04');
    check(workerEventCodec, { tag: 'EnterUnresponsive', value: undefined }, '05');
    check(workerEventCodec, { tag: 'ExitUnresponsive', value: undefined }, '06');
  });

  it('SystemEvent: WorkerEvent(with key) and HeartbeatChallenge{U256, U256}', () => {
    check(systemEventCodec, { tag: 'WorkerEvent', value: { pubkey: k(9), event: { tag: 'Stopped', value: undefined } } }, '00', K(9), '04');
    const target = (1n << 255n) + 3n;
    check(systemEventCodec, { tag: 'HeartbeatChallenge', value: { seed: 1n, onlineTarget: target } }, '01', le(1n, 32), le(target, 32));
  });

  it('WorkingReportEvent Heartbeat and HeartbeatV2', () => {
    const hb = { sessionId: 1, challengeBlock: 2, challengeTime: 3n, iterations: 4n };
    check(workingReportEventCodec, { tag: 'Heartbeat', value: hb }, '00', u32(1), u32(2), u64(3n), u64(4n));
    check(workingReportEventCodec, { tag: 'HeartbeatV2', value: { ...hb, nClusters: 5, nContracts: 6 } }, '01', u32(1), u32(2), u64(3n), u64(4n), u32(5), u32(6));
  });

  it('WorkingInfoUpdateEvent with SettleInfoRecord', () => {
    const value = {
      blockNumber: 5,
      timestampMs: 6n,
      offline: [k(1)],
      recoveredToOnline: [],
      settle: [{ pubkey: k(2), v: 1n, payout: 2n, treasury: 3n }],
    };
    check(workingInfoUpdateEventCodec, value, u32(5), u64(6n), '04', K(1), '00', '04', K(2), u128(1n), u128(2n), u128(3n));
  });

  it('RegistryEvent and GatekeeperRegistryEvent', () => {
    check(registryEventCodec, { tag: 'BenchReport', value: { startTime: 1n, iterations: 2n } }, '00', u64(1n), u64(2n));
    check(registryEventCodec, { tag: 'MasterPubkey', value: { masterPubkey: k(3) } }, '01', K(3));
    check(gatekeeperRegistryEventCodec, { tag: 'RotatedMasterPubkey', value: { rotationId: 1n, masterPubkey: k(3) } }, '00', u64(1n), K(3));
  });

  it('WorkerRegistrationInfoV2 field order, and its hash is blake2_256 of those bytes', () => {
    const info = {
      version: 1,
      machineId: Uint8Array.of(0xab),
      pubkey: k(1),
      ecdhPubkey: k(2),
      genesisBlockHash: k(3),
      features: [1, 4],
      operator: k(4),
      paraId: 2035,
      maxConsensusVersion: 0,
    };
    check(workerRegistrationInfoV2Codec, info, u32(1), '04ab', K(1), K(2), K(3), '08', u32(1), u32(4), '01', K(4), u32(2035), u32(0));
    check(workerRegistrationInfoV2Codec, { ...info, operator: undefined }, u32(1), '04ab', K(1), K(2), K(3), '08', u32(1), u32(4), '00', u32(2035), u32(0));
    // blake2b-256 of the bytes above, computed independently (Python hashlib.blake2b, digest_size=32)
    expect(toHexPlain(runtimeInfoHash(info))).toBe('1ac4f71b787c52131c5fed76beeec54829aadde4a108a4170e7ae9122e6c09f5');
  });
});

describe('gatekeeper payloads', () => {
  it('GatekeeperLaunch variants 0..3', () => {
    check(gatekeeperLaunchCodec, { tag: 'FirstGatekeeper', value: { pubkey: k(1), ecdhPubkey: k(2) } }, '00', K(1), K(2));
    check(gatekeeperLaunchCodec, { tag: 'MasterPubkeyOnChain', value: { masterPubkey: k(3) } }, '01', K(3));
    check(gatekeeperLaunchCodec, { tag: 'RotateMasterKey', value: { rotationId: 1n, gkIdentities: [{ pubkey: k(1), ecdhPubkey: k(2) }] } }, '02', u64(1n), '04', K(1), K(2));
    check(gatekeeperLaunchCodec, { tag: 'MasterPubkeyRotated', value: { masterPubkey: k(3) } }, '03', K(3));
  });

  it('GatekeeperChange variants', () => {
    check(gatekeeperChangeCodec, { tag: 'Registered', value: { pubkey: k(1), ecdhPubkey: k(2) } }, '00', K(1), K(2));
    check(gatekeeperChangeCodec, { tag: 'Unregistered', value: { pubkey: k(1) } }, '01', K(1));
  });

  it('KeyDistribution variants; the BTreeMap encodes in key order', () => {
    check(keyDistributionCodec, { tag: 'MasterKeyDistribution', value: { dest: k(1), ecdhPubkey: k(2), encryptedMasterKey: Uint8Array.of(0xaa, 0xbb), iv: b(12, 5) } }, '00', K(1), K(2), '08aabb', '05'.repeat(12));
    const rotation = { rotationId: 1n, secretKeys: [[k(9), ek] as [Uint8Array, typeof ek], [k(8), ek] as [Uint8Array, typeof ek]], sender: k(1), sig: Uint8Array.of(0xcc) };
    const bytes = keyDistributionCodec.enc({ tag: 'MasterKeyRotation', value: rotation });
    expect(toHexPlain(bytes)).toBe(['01', u64(1n), '08', K(8), EK, K(9), EK, K(1), '04cc'].join(''));
    expect(() => decodeExact(keyDistributionCodec, Buffer.from(['01', u64(1n), '08', K(9), EK, K(8), EK, K(1), '04cc'].join(''), 'hex'), 'kd')).toThrow(/non-canonical/);
    expect(() => keyDistributionCodec.enc({ tag: 'MasterKeyRotation', value: { ...rotation, secretKeys: [[k(8), ek], [k(8), ek]] } })).toThrow(/duplicate/);
    // data_be_signed: {rotation_id, secret_keys, sender} without the signature
    expect(toHexPlain(batchRotateSigningBytes(rotation))).toBe([u64(1n), '08', K(8), EK, K(9), EK, K(1)].join(''));
    check(keyDistributionCodec, { tag: 'MasterKeyHistory', value: { dest: k(1), encryptedMasterKeyHistory: [[1n, 2, ek]] } }, '02', K(1), '04', u64(1n), u32(2), EK);
  });

  it('GatekeeperEvent variants 0..4 incl. the reserved ones', () => {
    check(gatekeeperEventCodec, { tag: 'NewRandomNumber', value: { blockNumber: 5, randomNumber: k(1), lastRandomNumber: k(2) } }, '00', u32(5), K(1), K(2));
    const params = { phaRate: 1n, rho: 2n, budgetPerBlock: 3n, vMax: 4n, costK: 5n, costB: 6n, slashRate: 7n, treasuryRatio: 8n, heartbeatWindow: 9, rigK: 10n, rigB: 11n, re: 12n, k: 13n, kappa: 14n };
    const P = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n].map(u128).join('') + u32(9) + [10n, 11n, 12n, 13n, 14n].map(u128).join('');
    check(gatekeeperEventCodec, { tag: 'TokenomicParametersChanged', value: params }, '01', P);
    check(gatekeeperEventCodec, { tag: '_RepairV', value: undefined }, '02');
    check(gatekeeperEventCodec, { tag: '_PhalaLaunched', value: undefined }, '03');
    check(gatekeeperEventCodec, { tag: '_UnrespFix', value: undefined }, '04');
  });
});

describe('contract payloads', () => {
  it('ClusterEvent::DeployCluster', () => {
    const v = { owner: k(1), cluster: k(2), workers: [{ pubkey: k(3), ecdhPubkey: k(3) }], deposit: 4n, gasPrice: 5n, depositPerItem: 6n, depositPerByte: 7n, treasuryAccount: k(8) };
    check(clusterEventCodec, { tag: 'DeployCluster', value: v }, '00', K(1), K(2), '04', K(3), K(3), u128(4n), u128(5n), u128(6n), u128(7n), K(8));
  });

  it('ClusterOperation variants 0..4', () => {
    const dispatch = { secretKeys: [[k(3), ek] as [Uint8Array, typeof ek]], cluster: k(2), owner: k(1), deposit: 1n, gasPrice: 2n, depositPerItem: 3n, depositPerByte: 4n, treasuryAccount: k(5) };
    check(clusterOperationCodec, { tag: 'DispatchKeys', value: dispatch }, '00', '04', K(3), EK, K(2), K(1), u128(1n), u128(2n), u128(3n), u128(4n), K(5));
    check(clusterOperationCodec, { tag: 'DestroyCluster', value: k(2) }, '01', K(2));
    check(clusterOperationCodec, { tag: 'UploadResource', value: { origin: k(1), clusterId: k(2), resourceType: { tag: 'SidevmCode', value: undefined }, resourceData: Uint8Array.of(1, 2, 3) } }, '02', K(1), K(2), '01', '0c010203');
    check(clusterOperationCodec, { tag: 'Deposit', value: { clusterId: k(2), account: k(1), amount: 9n } }, '03', K(2), K(1), u128(9n));
    check(clusterOperationCodec, { tag: 'RemoveWorker', value: { clusterId: k(2), worker: k(3) } }, '04', K(2), K(3));
  });

  it('WorkerClusterReport, registry events and ContractOperation', () => {
    check(workerClusterReportCodec, { tag: 'ClusterDeployed', value: { id: k(1), pubkey: k(2) } }, '00', K(1), K(2));
    check(workerClusterReportCodec, { tag: 'ClusterDeploymentFailed', value: { id: k(1) } }, '01', K(1));
    check(clusterRegistryEventCodec, { tag: 'PubkeyAvailable', value: { cluster: k(1), pubkey: k(2) } }, '00', K(1), K(2));
    check(contractRegistryEventCodec, { tag: 'PubkeyAvailable', value: { contract: k(1), pubkey: k(2), deployer: k(3) } }, '00', K(1), K(2), K(3));
    const info = { deployer: k(1), codeIndex: { tag: 'WasmCode' as const, value: k(2) }, salt: Uint8Array.of(1), clusterId: k(3), instantiateData: Uint8Array.of(0xed, 0x4b, 0x9d, 0x1b) };
    check(contractOperationCodec, { tag: 'InstantiateCode', value: { contractInfo: info, transfer: 1n, gasLimit: 2n, storageDepositLimit: 3n } }, '00', K(1), '00', K(2), '0401', K(3), '10ed4b9d1b', u128(1n), u64(2n), '01', u128(3n));
  });

  it('command Payload::Plain / Encrypted and ContractQuery with id before nonce (F21)', () => {
    check(contractCommandCodec, { tag: 'Plain', value: Uint8Array.of(1, 2) }, '00', '080102');
    check(contractCommandCodec, { tag: 'Encrypted', value: { iv: b(12, 1), pubkey: k(2), data: Uint8Array.of(3) } }, '01', '01'.repeat(12), K(2), '0403');
    check(contractQueryCodec, { head: { id: k(1), nonce: k(2) }, data: Uint8Array.of(3) }, K(1), K(2), '0403');
  });
});
