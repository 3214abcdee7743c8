/**
 * Every exported codec: decode(encode(x)) == x, encode(decode(b)) == b, and damaged bytes either
 * fail with a DecodeError or decode to a value that re-encodes to exactly those bytes.
 */
import fc from 'fast-check';
import { attestationReportCodec, quoteBodyCodec } from '../attestation/quote.codec';
import { blockHeaderCodec } from './blockHeader.codec';
import * as C from './contractEvents.codec';
import * as G from './gatekeeperEvents.codec';
import { messageCodec, messageOriginCodec, signedMessageCodec } from './mq.codec';
import { workerRegistrationInfoV2Codec } from './registration.codec';
import { type Codec, DecodeError, decodeExact } from './scale';
import * as S from './systemEvents.codec';

const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const k32 = bytesN(32);
const bytes = fc.uint8Array({ maxLength: 48 });
const u8 = fc.integer({ min: 0, max: 255 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const ubig = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
const u64 = ubig(64);
const u128 = ubig(128);
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const v = <T extends string, V>(tag: T, value: fc.Arbitrary<V>) => fc.record({ tag: fc.constant(tag), value });
const unit = <T extends string>(tag: T) => fc.constant({ tag, value: undefined });
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 3 });
const pubkeyMap = <T>(a: fc.Arbitrary<T>) =>
  fc.uniqueArray(fc.tuple(k32, a), { maxLength: 3, selector: ([key]) => Buffer.from(key).toString('hex') }).map((es) =>
    [...es].sort((x, y) => Buffer.compare(Buffer.from(x[0]), Buffer.from(y[0]))),
  );

const origin = fc.oneof(
  v('Pallet', bytes),
  v('Contract', k32),
  v('Worker', k32),
  v('AccountId', k32),
  v('MultiLocation', bytes),
  unit('Gatekeeper'),
  v('Cluster', k32),
  unit('Reserved'),
);
const message = fc.record({ sender: origin, destination: bytes, payload: bytes });
const workerEvent = fc.oneof(
  v('Registered', fc.record({ confidenceLevel: u8 })),
  v('BenchStart', fc.record({ duration: u32 })),
  v('BenchScore', u32),
  v('Started', fc.record({ sessionId: u32, initV: u128, initP: u32 })),
  unit('Stopped'),
  unit('EnterUnresponsive'),
  unit('ExitUnresponsive'),
);
const hb = { sessionId: u32, challengeBlock: u32, challengeTime: u64, iterations: u64 };
const identity = fc.record({ pubkey: k32, ecdhPubkey: k32 });
const encryptedKey = fc.record({ ecdhPubkey: k32, encryptedKey: bytes, iv: bytesN(12) });
const tokenomic = fc.record({
  phaRate: u128, rho: u128, budgetPerBlock: u128, vMax: u128, costK: u128, costB: u128, slashRate: u128,
  treasuryRatio: u128, heartbeatWindow: u32, rigK: u128, rigB: u128, re: u128, k: u128, kappa: u128,
});
const encryptedData = fc.record({ iv: bytesN(12), pubkey: k32, data: bytes });
const contractInfo = fc.record({ deployer: k32, codeIndex: v('WasmCode', k32), salt: bytes, clusterId: k32, instantiateData: bytes });
const str = fc.string({ maxLength: 12 });

// biome-ignore lint/suspicious/noExplicitAny: a table of heterogeneous codec/arbitrary pairs
const table: Array<[string, Codec<any>, fc.Arbitrary<any>]> = [
  ['MessageOrigin', messageOriginCodec, origin],
  ['Message', messageCodec, message],
  ['SignedMessage', signedMessageCodec, fc.record({ message, sequence: u64, signature: bytes })],
  ['WorkerEvent', S.workerEventCodec, workerEvent],
  ['SystemEvent', S.systemEventCodec, fc.oneof(v('WorkerEvent', fc.record({ pubkey: k32, event: workerEvent })), v('HeartbeatChallenge', fc.record({ seed: ubig(256), onlineTarget: ubig(256) })))],
  ['WorkingReportEvent', S.workingReportEventCodec, fc.oneof(v('Heartbeat', fc.record(hb)), v('HeartbeatV2', fc.record({ ...hb, nClusters: u32, nContracts: u32 })))],
  ['WorkingInfoUpdateEvent', S.workingInfoUpdateEventCodec, fc.record({ blockNumber: u32, timestampMs: u64, offline: list(k32), recoveredToOnline: list(k32), settle: list(fc.record({ pubkey: k32, v: u128, payout: u128, treasury: u128 })) })],
  ['RegistryEvent', S.registryEventCodec, fc.oneof(v('BenchReport', fc.record({ startTime: u64, iterations: u64 })), v('MasterPubkey', fc.record({ masterPubkey: k32 })))],
  ['GatekeeperRegistryEvent', S.gatekeeperRegistryEventCodec, v('RotatedMasterPubkey', fc.record({ rotationId: u64, masterPubkey: k32 }))],
  ['GatekeeperLaunch', G.gatekeeperLaunchCodec, fc.oneof(v('FirstGatekeeper', identity), v('MasterPubkeyOnChain', fc.record({ masterPubkey: k32 })), v('RotateMasterKey', fc.record({ rotationId: u64, gkIdentities: list(identity) })), v('MasterPubkeyRotated', fc.record({ masterPubkey: k32 })))],
  ['GatekeeperChange', G.gatekeeperChangeCodec, fc.oneof(v('Registered', identity), v('Unregistered', fc.record({ pubkey: k32 })))],
  ['KeyDistribution', G.keyDistributionCodec, fc.oneof(
    v('MasterKeyDistribution', fc.record({ dest: k32, ecdhPubkey: k32, encryptedMasterKey: bytes, iv: bytesN(12) })),
    v('MasterKeyRotation', fc.record({ rotationId: u64, secretKeys: pubkeyMap(encryptedKey), sender: k32, sig: bytes })),
    v('MasterKeyHistory', fc.record({ dest: k32, encryptedMasterKeyHistory: list(fc.tuple(u64, u32, encryptedKey)) })),
  )],
  ['GatekeeperEvent', G.gatekeeperEventCodec, fc.oneof(v('NewRandomNumber', fc.record({ blockNumber: u32, randomNumber: k32, lastRandomNumber: k32 })), v('TokenomicParametersChanged', tokenomic), unit('_RepairV'), unit('_PhalaLaunched'), unit('_UnrespFix'))],
  ['ClusterEvent', C.clusterEventCodec, v('DeployCluster', fc.record({ owner: k32, cluster: k32, workers: list(identity), deposit: u128, gasPrice: u128, depositPerItem: u128, depositPerByte: u128, treasuryAccount: k32 }))],
  ['ClusterOperation', C.clusterOperationCodec, fc.oneof(
    v('DispatchKeys', fc.record({ secretKeys: pubkeyMap(encryptedKey), cluster: k32, owner: k32, deposit: u128, gasPrice: u128, depositPerItem: u128, depositPerByte: u128, treasuryAccount: k32 })),
    v('DestroyCluster', k32),
    v('UploadResource', fc.record({ origin: k32, clusterId: k32, resourceType: fc.oneof(unit('InkCode'), unit('SidevmCode'), unit('IndeterministicInkCode')), resourceData: bytes })),
    v('Deposit', fc.record({ clusterId: k32, account: k32, amount: u128 })),
    v('RemoveWorker', fc.record({ clusterId: k32, worker: k32 })),
  )],
  ['WorkerClusterReport', C.workerClusterReportCodec, fc.oneof(v('ClusterDeployed', fc.record({ id: k32, pubkey: k32 })), v('ClusterDeploymentFailed', fc.record({ id: k32 })))],
  ['ContractOperation', C.contractOperationCodec, v('InstantiateCode', fc.record({ contractInfo, transfer: u128, gasLimit: u64, storageDepositLimit: opt(u128) }))],
  ['ClusterRegistryEvent', C.clusterRegistryEventCodec, v('PubkeyAvailable', fc.record({ cluster: k32, pubkey: k32 }))],
  ['ContractRegistryEvent', C.contractRegistryEventCodec, v('PubkeyAvailable', fc.record({ contract: k32, pubkey: k32, deployer: k32 }))],
  ['Payload', C.contractCommandCodec, fc.oneof(v('Plain', bytes), v('Encrypted', encryptedData))],
  ['EncryptedData', C.encryptedDataCodec, encryptedData],
  ['InkCommand', C.inkCommandCodec, v('InkMessage', fc.record({ nonce: fc.uint8Array({ maxLength: 32 }), message: bytes, transfer: u128, gasLimit: u64, storageDepositLimit: opt(u128) }))],
  ['ContractQuery', C.contractQueryCodec, fc.record({ head: fc.record({ id: k32, nonce: k32 }), data: bytes })],
  ['ContractQueryResponse', C.contractQueryResponseCodec, fc.record({ nonce: k32, result: bytes })],
  ['WorkerRegistrationInfoV2', workerRegistrationInfoV2Codec, fc.record({ version: u32, machineId: bytes, pubkey: k32, ecdhPubkey: k32, genesisBlockHash: k32, features: list(u32), operator: opt(k32), paraId: u32, maxConsensusVersion: u32 })],
  ['BlockHeader', blockHeaderCodec, fc.record({ number: u32, parentHash: k32, timestamp: u64, extrinsicsRoot: k32, eventsRoot: k32, outboundRoot: k32, stateRoot: k32, author: k32 })],
  ['QuoteBody', quoteBodyCodec, fc.record({ pruntimeHash: bytesN(68), reportData: bytesN(64), timestampSecs: u64, quoteStatus: str, advisoryIds: list(str) })],
  ['AttestationReport', attestationReportCodec, v('SimulatedIas', fc.record({ report: bytes, signature: bytes, vendorPubkey: k32 }))],
];

const damage = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), extra: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: u8 }),
);

describe.each(table)('%s codec', (name, codec, arb) => {
  it('round-trips values and bytes', () => {
    fc.assert(
      fc.property(arb, (x) => {
        const b = codec.enc(x);
        const y = decodeExact(codec, b, name);
        expect(y).toEqual(x);
        expect(codec.enc(y)).toEqual(b);
      }),
      { numRuns: 60 },
    );
  });

  it('never returns partial data from damaged bytes', () => {
    fc.assert(
      fc.property(arb, damage, (x, d) => {
        const b = codec.enc(x);
        let bad: Uint8Array;
        if (d.kind === 'truncate') bad = b.subarray(0, b.length === 0 ? 0 : d.at % b.length);
        else if (d.kind === 'append') bad = new Uint8Array([...b, ...d.extra]);
        else {
          bad = b.slice();
          if (bad.length > 0) bad[d.at % bad.length] = d.byte;
        }
        try {
          expect(codec.enc(decodeExact(codec, bad, name))).toEqual(bad);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
        if (d.kind !== 'flip') expect(() => decodeExact(codec, bad, name)).toThrow(DecodeError);
      }),
      { numRuns: 60 },
    );
  });
});
