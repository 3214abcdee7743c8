import * as E from 'fp-ts/Either';
import { ClusterOperationScale, ClusterRegistryEventScale } from '../../domain/codec/contractEvents.codec';
import { GatekeeperEventScale, KeyDistributionScale } from '../../domain/codec/gatekeeperEvents.codec';
import { RegistryEventScale, WorkingInfoUpdateEventScale } from '../../domain/codec/systemEvents.codec';
import { topics } from '../../domain/codec/topics';
import { defaultTokenomicParameters, workerPubkeyHash } from '../../domain/economics';
import { seededRandom } from '../../simulations/seededRandom';
import { IV_BYTES } from '../aead';
import { agree } from '../ecdh';
import { pairFromSeed } from '../keys/sr25519Pair';
import { createKeyVault } from '../vault/keyVault';
import { createGatekeeperRuntime } from './gatekeeperRuntime';
import type { GkEgressEntry } from './gkEgress';
import {
  change,
  clusterEvent,
  createMiniChain,
  createNode,
  heartbeat,
  identityOf,
  launch,
  randomNumberEvent,
  restartNode,
  testMeasurement,
  system,
  workerEvent,
} from './gkTestKit';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const topicOf = (e: GkEgressEntry) => new TextDecoder().decode(e.message.destination);
const workerKey = (n: number) => new Uint8Array(32).fill(n);
const ONE = 1n << 64n;

/** G1 launched: FirstGatekeeper at block 1, MasterPubkeyOnChain relayed into block 2. */
function launched(seed: string) {
  const chain = createMiniChain();
  const g1 = createNode('g1', seededRandom(0, seed).fork('g1'));
  chain.step([g1], [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })]);
  chain.step([g1]);
  return { chain, g1 };
}

describe('gatekeeper launch', () => {
  it('the first GK generates the master key, seals it and publishes its pubkey on its worker channel', () => {
    const chain = createMiniChain();
    const g1 = createNode('g1', seededRandom(0, 'launch').fork('g1'));
    chain.step([g1], [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })]);
    const out = g1.outputs.get(1)!;
    const history = g1.vault.masterKeyHistory();
    expect(history.map((k) => [k.rotationId, k.blockHeight])).toEqual([[0n, 0]]);
    expect(out.sealedMasterKeys).toBeDefined();
    expect(out.workerEgress).toHaveLength(1);
    expect(out.workerEgress[0]!.sender).toEqual({ tag: 'Worker', value: g1.vault.identityPublicKey });
    const published = RegistryEventScale.decode(out.workerEgress[0]!.payload);
    expect(published.tag === 'MasterPubkey' && hex(published.value.masterPubkey)).toBe(hex(history[0]!.publicKey));
    expect(g1.runtime.status()).toMatchObject({ onChain: false, registered: true });
    chain.step([g1]);
    expect(g1.runtime.status()?.onChain).toBe(true);
    expect(hex(chain.masterPubkey()!)).toBe(hex(history[0]!.publicKey));
  });

  it('a first GK that reboots from its seals keeps its key and replays to the same outputs', () => {
    const { chain, g1 } = launched('reboot');
    for (let n = 3; n <= 10; n++) chain.step([g1]);
    const before = [...g1.outputs.entries()].map(([n, o]) => [n, o.gatekeeperEgress.map((e) => `${e.sequence}:${hex(e.message.payload)}`)]);
    const key = hex(g1.vault.masterKeyHistory()[0]!.publicKey);
    restartNode(g1, seededRandom(0, 'reboot').fork('restart'));
    chain.replay(g1);
    expect(hex(g1.vault.masterKeyHistory()[0]!.publicKey)).toBe(key);
    expect(g1.outputs.get(1)!.sealedMasterKeys).toBeUndefined(); // nothing new to seal
    expect([...g1.outputs.entries()].map(([n, o]) => [n, o.gatekeeperEgress.map((e) => `${e.sequence}:${hex(e.message.payload)}`)])).toEqual(before);
  });

  it('a pRuntime that is not the named GK and holds no key stays without the role', () => {
    const chain = createMiniChain();
    const r = seededRandom(0, 'bystander');
    const [g1, w] = [createNode('g1', r.fork('g1')), createNode('w', r.fork('w'))];
    chain.step([g1, w], [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })]);
    expect(w.runtime.isGatekeeper()).toBe(false);
    expect(w.outputs.get(1)!.workerEgress).toEqual([]);
  });

  it('refuses a MasterPubkeyOnChain that is not its key', () => {
    const { g1 } = (() => {
      const chain = createMiniChain();
      const node = createNode('g1', seededRandom(0, 'mismatch'));
      chain.step([node], [launch({ tag: 'FirstGatekeeper', value: identityOf(node.vault) })]);
      return { g1: node };
    })();
    const block = { number: 2, timestampMs: 24_000, messages: [launch({ tag: 'MasterPubkeyOnChain', value: { masterPubkey: workerKey(1) } })] };
    expect(() => g1.runtime.processBlock(block)).toThrow('master key mismatch');
  });

  it('a gatekeeper must sync from genesis', () => {
    const g1 = createNode('g1', seededRandom(0, 'late'));
    const block = { number: 7, timestampMs: 84_000, messages: [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })] };
    expect(() => g1.runtime.processBlock(block)).toThrow('first block');
  });
});

describe('economics inside the GK', () => {
  const w = workerKey(0x11);
  const started = [
    workerEvent(w, { tag: 'Registered', value: { confidenceLevel: 1 } }),
    workerEvent(w, { tag: 'Started', value: { sessionId: 1, initV: 1000n * ONE, initP: 100 } }),
  ];

  it('drops economics messages that arrive before the master pubkey is on chain (F10)', () => {
    const chain = createMiniChain();
    const g1 = createNode('g1', seededRandom(0, 'f10').fork('g1'));
    chain.step([g1], [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) }), ...started]);
    chain.step([g1]);
    expect(g1.runtime.status()?.onChain).toBe(true);
    expect(g1.runtime.economics()!.worker(`0x${hex(w)}`)).toBeUndefined();
    chain.step([g1], started);
    const v = g1.runtime.economics()!.worker(`0x${hex(w)}`)?.v ?? 0n;
    expect(v >= 1000n * ONE && v < 1001n * ONE).toBe(true); // started, plus one block of idle growth
  });

  it('starts from the chain parameters stored at the block that creates the role', () => {
    const chain = createMiniChain();
    const r = seededRandom(0, 'params');
    const base = createNode('g1', r.fork('g1'));
    const asked: number[] = [];
    const tokenomicParametersAt = (n: number) => {
      asked.push(n);
      return { ...defaultTokenomicParameters, vMax: 500n * ONE };
    };
    const g1 = { ...base, runtime: createGatekeeperRuntime({ vault: base.vault, random: base.signing, platform: base.platform, measurement: testMeasurement, tokenomicParametersAt }) };
    chain.step([g1], [launch({ tag: 'FirstGatekeeper', value: identityOf(g1.vault) })]);
    chain.step([g1]);
    chain.step([g1], started);
    for (let n = 4; n <= 8; n++) chain.step([g1]);
    expect(asked).toEqual([1]);
    expect(g1.runtime.economics()!.worker(`0x${hex(w)}`)?.v).toBe(500n * ONE); // the first idle block caps V at this vMax
  });

  it('reports a heartbeat settlement on ^phala/mining/update signed by the master key', () => {
    const { chain, g1 } = launched('report');
    chain.step([g1], started); // block 3
    const challenge = system({ tag: 'HeartbeatChallenge', value: { seed: workerPubkeyHash(`0x${hex(w)}`), onlineTarget: 0n } });
    chain.step([g1], [challenge]); // block 4
    chain.step([g1]); // block 5
    chain.step([g1], [heartbeat(w, { tag: 'HeartbeatV2', value: { sessionId: 1, challengeBlock: 4, challengeTime: 48_000n, iterations: 1000n, nClusters: 0, nContracts: 0 } })]);
    const reports = g1.outputs.get(6)!.gatekeeperEgress.filter((e) => topicOf(e) === topics.workingInfoUpdate);
    expect(reports).toHaveLength(1);
    const report = WorkingInfoUpdateEventScale.decode(reports[0]!.message.payload);
    expect(report.blockNumber).toBe(6);
    expect(report.settle.map((s) => hex(s.pubkey))).toEqual([hex(w)]);
    expect(report.settle[0]!.payout > 0n).toBe(true);
  });
});

describe('GK channel order within one block (F11)', () => {
  it('key distribution, then the report, then the random number', () => {
    const { chain, g1 } = launched('f11');
    const w = workerKey(0x22);
    chain.step([g1], [workerEvent(w, { tag: 'Registered', value: { confidenceLevel: 1 } })]);
    chain.step([g1], [workerEvent(w, { tag: 'Started', value: { sessionId: 1, initV: 500n * ONE, initP: 100 } })]);
    for (let n = 5; n < 10; n++) chain.step([g1]);
    const g2 = createKeyVault(seededRandom(0, 'f11').fork('g2'));
    chain.step([g1], [change({ tag: 'Registered', value: identityOf(g2) }), workerEvent(w, { tag: 'Stopped', value: undefined })]);
    const egress = g1.outputs.get(10)!.gatekeeperEgress;
    expect(egress.map(topicOf)).toEqual([topics.gatekeeperKey, topics.workingInfoUpdate, topics.gatekeeperEvent]);
    const seqs = egress.map((e) => e.sequence);
    expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1n, seqs[0]! + 2n]);
    const key = KeyDistributionScale.decode(egress[0]!.message.payload);
    expect(key.tag).toBe('MasterKeyDistribution');
    const beacon = GatekeeperEventScale.decode(egress[2]!.message.payload);
    expect(beacon.tag === 'NewRandomNumber' && beacon.value.blockNumber).toBe(10);
  });
});

describe('random beacon', () => {
  it('emits every 5 blocks, chained on the previous number, before the launch too', () => {
    const { chain, g1 } = launched('beacon');
    for (let n = 3; n <= 10; n++) chain.step([g1]);
    const beacons = [5, 10].map((n) => {
      const [e] = g1.outputs.get(n)!.gatekeeperEgress.filter((x) => topicOf(x) === topics.gatekeeperEvent);
      const decoded = GatekeeperEventScale.decode(e!.message.payload);
      if (decoded.tag !== 'NewRandomNumber') throw new Error('not a random number');
      return decoded.value;
    });
    expect(beacons[0]!.lastRandomNumber).toEqual(new Uint8Array(32));
    expect(hex(beacons[1]!.lastRandomNumber)).toBe(hex(beacons[0]!.randomNumber));
    expect(g1.outputs.get(6)!.gatekeeperEgress).toEqual([]);
  });

  it('accepts its own beacon from the chain and throws on a divergent one', () => {
    const { chain, g1 } = launched('diverge');
    for (let n = 3; n <= 6; n++) chain.step([g1]); // block 5's beacon relayed into block 6
    expect(chain.blocks[5]!.messages.some((m) => new TextDecoder().decode(m.destination) === topics.gatekeeperEvent)).toBe(true);
    const forged = randomNumberEvent(5, new Uint8Array(32).fill(9), new Uint8Array(32));
    expect(() => g1.runtime.processBlock({ number: 7, timestampMs: 84_000, messages: [forged] })).toThrow('GK state poisoned');
  });
});

describe('cluster key dispatch', () => {
  it('publishes the derived cluster pubkey and sends each worker its encrypted cluster key', () => {
    const { chain, g1 } = launched('cluster');
    const r = seededRandom(0, 'cluster-workers');
    const workers = [createKeyVault(r.fork('a')), createKeyVault(r.fork('b'))];
    const cluster = new Uint8Array(32);
    cluster[31] = 1;
    const deploy = {
      owner: workerKey(5),
      cluster,
      workers: workers.map(identityOf),
      deposit: 10n,
      gasPrice: 1n,
      depositPerItem: 2n,
      depositPerByte: 3n,
      treasuryAccount: workerKey(6),
    };
    chain.step([g1], [clusterEvent({ tag: 'DeployCluster', value: deploy })]);
    const egress = g1.outputs.get(3)!.gatekeeperEgress;
    expect(egress.map(topicOf)).toEqual([topics.clusterRegistry, topics.clusterKey]);
    const available = ClusterRegistryEventScale.decode(egress[0]!.message.payload);
    const op = ClusterOperationScale.decode(egress[1]!.message.payload);
    if (op.tag !== 'DispatchKeys') throw new Error('expected DispatchKeys');
    expect(op.value.secretKeys).toHaveLength(2);
    for (const worker of workers) {
      const entry = op.value.secretKeys.find(([pk]) => hex(pk) === hex(worker.identityPublicKey));
      const pubkey = worker.acceptClusterKey(cluster, entry![1]);
      expect(E.isRight(pubkey) && hex(pubkey.right)).toBe(hex(available.value.pubkey));
    }
    expect(hex(op.value.secretKeys[0]![1].iv)).not.toBe(hex(op.value.secretKeys[1]![1].iv));
  });

  it('ignores a DeployCluster that does not come from a pallet', () => {
    const { chain, g1 } = launched('cluster-origin');
    const forged = { ...clusterEvent({ tag: 'DeployCluster', value: { owner: workerKey(1), cluster: workerKey(2), workers: [], deposit: 0n, gasPrice: 0n, depositPerItem: 0n, depositPerByte: 0n, treasuryAccount: workerKey(3) } }), sender: { tag: 'Worker' as const, value: workerKey(4) } };
    chain.step([g1], [forged]);
    expect(g1.outputs.get(3)!.gatekeeperEgress).toEqual([]);
    expect(g1.outputs.get(3)!.rejected.map((x) => x.reason)).toEqual(['BadOrigin']);
  });
});

describe('key share path (DOMAIN.md §13.7 K1-K3)', () => {
  it('K1: ECDH agreement is symmetric', () => {
    const a = pairFromSeed(new TextEncoder().encode('12345678901234567890123456789012'));
    const b = pairFromSeed(new TextEncoder().encode('12345678901234567890123456789013'));
    expect(hex(agree(a, b.publicKey))).toBe(hex(agree(b, a.publicKey)));
  });

  it('K2/K3: the master key a GK distributes opens with the recipient identity; ciphertext = 64 + 16 bytes', () => {
    const { chain, g1 } = launched('k2');
    const newcomer = createNode('g2', seededRandom(0, 'k2').fork('g2'));
    chain.step([g1, newcomer], [change({ tag: 'Registered', value: identityOf(newcomer.vault) })]);
    const [dist] = g1.outputs.get(3)!.gatekeeperEgress;
    const key = KeyDistributionScale.decode(dist!.message.payload);
    if (key.tag !== 'MasterKeyDistribution') throw new Error('expected MasterKeyDistribution');
    expect(key.value.encryptedMasterKey).toHaveLength(64 + 16);
    expect(key.value.iv).toHaveLength(IV_BYTES);
    chain.step([g1, newcomer]);
    expect(newcomer.outputs.get(4)!.restartRequired).toBe(true);
    expect(hex(newcomer.vault.masterKeyHistory()[0]!.publicKey)).toBe(hex(g1.vault.masterKeyHistory()[0]!.publicKey));
  });
});
