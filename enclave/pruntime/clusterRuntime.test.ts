/**
 * The contract cluster end to end on the assembled runtime: a gatekeeper launches, governance
 * creates a cluster of two workers, the gatekeepers dispatch its key, the workers deploy it,
 * a user instantiates Balances, the cluster registers the contract's pubkey on chain, encrypted
 * commands change its state on both workers alike, encrypted queries read it back off-chain, and
 * a worker restarted from its sealed checkpoint answers the same.
 */
import * as E from 'fp-ts/Either';
import { ClusterKeys, ContractKeys } from '../../domain/chain/pallets/phat.state';
import { toHex } from '../../domain/codec/hex';
import { BlockScale } from '../../domain/chain/block';
import { SignedMessageScale } from '../../domain/codec/mq.codec';
import { ClusterId, ContractId } from '../../domain/ids/ids';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { seededRandom } from '../../simulations/seededRandom';
import { instantiateProgramCall, programContractId, pushContractMessageCall, uploadProgramCall } from '../contracts/contractCalls';
import { type ContractClient, createContractClient } from '../contracts/contractClient';
import { balancesCommandCodec, balancesInitCodec, balancesQueryCodec, balancesResponseCodec, balancesProgram } from '../contracts/programs/balances';
import { codeHashOf } from '../contracts/programRegistry';
import { shippedProgramRegistry } from '../contracts/programs';
import { secretsForLeakScan } from '../testing/secretsForLeakScan';
import { type ClusterRuntime, restoreClusterRuntime } from './clusterRuntime';
import { type ClusterChain, clusterTestMeasurement, createClusterChain, messageKey, restartFromCheckpoint, setUpCluster } from './testing/clusterChain';

const names = (events: RuntimeEvent[]) => events.map((e) => `${e.tag}.${e.value.tag}`);
const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}`);
  return e.right;
};
const CLUSTER = ClusterId.fromCounter(1n);
const bytes32 = (hex: string) => Buffer.from(hex.slice(2), 'hex');

function ask(client: ContractClient, cluster: ClusterRuntime, contractId: string, query: Parameters<typeof balancesQueryCodec.enc>[0]) {
  const prepared = client.query(cluster.worker.pubkey, bytes32(contractId), balancesQueryCodec.enc(query), { kind: 'account', ttl: 10_000 });
  const reply = right(cluster.query(prepared.request));
  return balancesResponseCodec.dec(right(prepared.open(reply)).result);
}

describe('a contract cluster on the assembled chain', () => {
  const cc: ClusterChain = createClusterChain(7);
  const { alice, bob } = cc.accounts;
  const r = seededRandom(7).fork('clients');
  const aliceClient = createContractClient(r.fork('alice'), alice.pair);
  const bobClient = createContractClient(r.fork('bob'), bob.pair);
  const [w1, w2] = cc.workers as [(typeof cc.workers)[0], (typeof cc.workers)[0]];
  const contractId = programContractId(alice.id, CLUSTER, balancesProgram, Uint8Array.of(1));
  const log = new Map<number, RuntimeEvent[]>();
  let checkpointAt6: Uint8Array = new Uint8Array();
  // the vaults before any restart (a restored worker has a new vault object)
  const originalVaults = [cc.gk, ...cc.workers].map((h) => h.worker.identity.vault);

  beforeAll(() => {
    for (const [n, events] of setUpCluster(cc).entries()) log.set(n + 1, events);
    log.set(5, cc.step([
      [alice, uploadProgramCall(CLUSTER, balancesProgram)],
      [alice, instantiateProgramCall(CLUSTER, balancesProgram, balancesInitCodec.enc({ supply: 1_000n }), Uint8Array.of(1))],
    ]));
    log.set(6, cc.step()); // the cluster's PubkeyAvailable for the contract
    checkpointAt6 = w1.cluster!.checkpoint();
    const contractPubkey = ContractKeys.get(cc.chain.storage, ContractId.parse(contractId))!;
    const transfer = balancesCommandCodec.enc({ tag: 'Transfer', value: { dest: bytes32(bob.id), value: 300n } });
    const toChain = balancesCommandCodec.enc({ tag: 'TransferToChain', value: { dest: bytes32(alice.id), value: 50n } });
    log.set(7, cc.step([
      [alice, pushContractMessageCall(contractId, aliceClient.encryptedCommand(bytes32(contractPubkey), transfer))],
      [alice, pushContractMessageCall(contractId, aliceClient.encryptedCommand(bytes32(contractPubkey), toChain))],
    ]));
    log.set(8, cc.step()); // the contract's own egress (TransferToChain) reaches the chain
  });

  it('the gatekeepers dispatch the cluster key and both workers deploy the cluster', () => {
    expect(names(log.get(4)!)).toContain('PhalaPhatContracts.ClusterPubkeyAvailable');
    const clusterKey = ClusterKeys.get(cc.chain.storage, CLUSTER);
    for (const w of [w1, w2]) expect(toHex(w.cluster!.cluster()!.publicKey)).toBe(clusterKey);
    const deployed = log.get(5)!.filter((e) => e.value.tag === 'ClusterDeployed');
    expect(deployed.map((e) => (e.value.value as { worker: string }).worker).sort()).toEqual([toHex(w1.worker.pubkey), toHex(w2.worker.pubkey)].sort());
    expect(w1.worker.nClusters).toBe(1);
  });

  it('instantiation registers the contract pubkey on chain, announced identically by both workers', () => {
    const uploaded = log.get(5)!.find((e) => e.value.tag === 'ResourceUploaded')!.value.value as { codeHash: string };
    expect(uploaded.codeHash).toBe(toHex(codeHashOf(balancesProgram.name, balancesProgram.version)));
    expect(names(log.get(5)!)).toContain('PhalaPhatContracts.Instantiating');
    expect(names(log.get(6)!)).toEqual(expect.arrayContaining(['PhalaPhatContracts.ContractPubkeyAvailable', 'PhalaPhatContracts.Instantiated']));
    const onChain = ContractKeys.get(cc.chain.storage, ContractId.parse(contractId));
    for (const w of [w1, w2]) expect(w.cluster!.contracts().map((c) => [c.contractId, toHex(c.publicKey)])).toEqual([[contractId, onChain]]);
    const announced = (w: typeof w1) => w.outputs.get(5)!.egress.map(messageKey);
    expect(announced(w1)).toHaveLength(1);
    expect(announced(w1)).toEqual(announced(w2));
    expect(w1.worker.nContracts).toBe(1);
  });

  it('encrypted commands change the state, and encrypted queries read it back on either worker', () => {
    for (const w of [w1, w2]) {
      expect(w.outputs.get(7)!.rejected).toEqual([]);
      expect(ask(aliceClient, w.cluster!, contractId, { tag: 'FreeBalance', value: { account: bytes32(alice.id) } })).toEqual({ tag: 'FreeBalance', value: { balance: 650n } });
      expect(ask(bobClient, w.cluster!, contractId, { tag: 'FreeBalance', value: { account: bytes32(bob.id) } })).toEqual({ tag: 'FreeBalance', value: { balance: 300n } });
      expect(ask(bobClient, w.cluster!, contractId, { tag: 'FreeBalance', value: { account: bytes32(alice.id) } })).toEqual({ tag: 'Error', value: 'not authorized' });
      expect(ask(bobClient, w.cluster!, contractId, { tag: 'TotalIssuance', value: undefined })).toEqual({ tag: 'TotalIssuance', value: { totalIssuance: 950n } });
    }
  });

  it("the contract's egress is signed by its key and accepted by the chain at sequence 0", () => {
    const egress = (w: typeof w1) => w.outputs.get(7)!.egress.map(messageKey);
    expect(egress(w1)).toHaveLength(1);
    expect(egress(w1)).toEqual(egress(w2));
    expect(cc.nextSequence({ tag: 'Contract', value: bytes32(contractId) })).toBe(1n);
    expect(cc.nextSequence({ tag: 'Cluster', value: bytes32(CLUSTER) })).toBe(1n);
  });

  it('a query encrypted to another worker, or for an unknown contract, gets no answer', () => {
    const q = aliceClient.query(w2.worker.pubkey, bytes32(contractId), balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }), { kind: 'anonymous' });
    expect(E.isLeft(w1.cluster!.query(q.request))).toBe(true);
    const unknown = aliceClient.query(w1.worker.pubkey, new Uint8Array(32).fill(9), balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }), { kind: 'anonymous' });
    expect(w1.cluster!.query(unknown.request)).toMatchObject({ _tag: 'Left', left: { _tag: 'ContractNotFound' } });
    const reply = right(w1.cluster!.query(aliceClient.query(w1.worker.pubkey, bytes32(contractId), balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }), { kind: 'anonymous' }).request));
    expect(E.isLeft(q.open(reply))).toBe(true);
  });

  it('a worker restarted from its checkpoint at the head answers the same', () => {
    const sealed = w2.cluster!.checkpoint();
    restartFromCheckpoint(cc, w2, sealed);
    expect(w2.cluster!.lastBlock()).toBe(8);
    expect(ask(aliceClient, w2.cluster!, contractId, { tag: 'FreeBalance', value: { account: bytes32(alice.id) } })).toEqual({ tag: 'FreeBalance', value: { balance: 650n } });
    expect(w2.worker.nContracts).toBe(1);
  });

  it('a worker restarted from an older checkpoint replays the blocks since and reaches the same state and egress', () => {
    const before = w1.outputs.get(7)!.egress.map(messageKey);
    restartFromCheckpoint(cc, w1, checkpointAt6);
    expect(w1.cluster!.lastBlock()).toBe(8);
    expect(w1.outputs.get(7)!.egress.map(messageKey)).toEqual(before);
    expect(ask(bobClient, w1.cluster!, contractId, { tag: 'FreeBalance', value: { account: bytes32(bob.id) } })).toEqual({ tag: 'FreeBalance', value: { balance: 300n } });
    // both workers keep following the chain in step
    const more = balancesCommandCodec.enc({ tag: 'Transfer', value: { dest: bytes32(alice.id), value: 100n } });
    const contractPubkey = bytes32(ContractKeys.get(cc.chain.storage, ContractId.parse(contractId))!);
    cc.step([[bob, pushContractMessageCall(contractId, bobClient.encryptedCommand(contractPubkey, more))]]);
    for (const w of [w1, w2]) {
      expect(ask(bobClient, w.cluster!, contractId, { tag: 'FreeBalance', value: { account: bytes32(bob.id) } })).toEqual({ tag: 'FreeBalance', value: { balance: 200n } });
    }
  });

  it('a checkpoint opens neither on another platform nor with a flipped bit', () => {
    const sealed = w1.cluster!.checkpoint();
    const options = { registry: shippedProgramRegistry(), measurement: clusterTestMeasurement, workerRandom: w1.workerRandom, queryRandom: w1.queryRandom };
    expect(E.isRight(restoreClusterRuntime(sealed, { ...options, platform: w1.platform }))).toBe(true);
    expect(restoreClusterRuntime(sealed, { ...options, platform: w2.platform })).toMatchObject({ _tag: 'Left' });
    const flipped = Uint8Array.from(sealed, (b, i) => (i === 40 ? b ^ 1 : b));
    expect(restoreClusterRuntime(flipped, { ...options, platform: w1.platform })).toMatchObject({ _tag: 'Left' });
  });

  it('no block, egress, reply or checkpoint carries a secret any enclave held', () => {
    const outputs: Uint8Array[] = cc.blocks.map((b) => BlockScale.encode(b));
    for (const w of [w1, w2]) {
      for (const out of w.outputs.values()) for (const m of out.egress) outputs.push(SignedMessageScale.encode(m));
      const q = aliceClient.query(w.worker.pubkey, bytes32(contractId), balancesQueryCodec.enc({ tag: 'FreeBalance', value: { account: bytes32(alice.id) } }), { kind: 'account', ttl: 10_000 });
      outputs.push(right(w.cluster!.query(q.request)).encodedEncryptedData, w.cluster!.checkpoint());
    }
    const owners = [...originalVaults, ...[cc.gk, w1, w2].flatMap((h) => [h.worker.identity.vault, h.platform])];
    const held = owners.flatMap((o) => secretsForLeakScan(o));
    expect(held.map((s) => s.label)).toEqual(expect.arrayContaining(['identity key', 'master key 0', 'cluster key', 'contract key']));
    const secrets = held.flatMap((s) => s.forms.map((f) => Buffer.from(f.bytes)));
    const encodings = secrets.flatMap((s) => [s, Buffer.from(s.toString('hex')), Buffer.from(s.toString('base64'))]);
    for (const out of outputs) {
      const hay = Buffer.from(out);
      for (const needle of encodings) expect(hay.includes(needle)).toBe(false);
    }
  });
});

describe('determinism', () => {
  const run = (seed: number) => {
    const cc = createClusterChain(seed);
    setUpCluster(cc);
    cc.step([[cc.accounts.alice, instantiateProgramCall(CLUSTER, balancesProgram, balancesInitCodec.enc({ supply: 1n }), Uint8Array.of(2))]]);
    cc.step();
    expect(cc.workers[0]!.cluster!.contracts()).toHaveLength(1);
    // extrinsic signatures come from the chain test kit's one shared signing stream, so whole
    // block hashes depend on what ran before in the process: compare what the runtime and the
    // enclaves decided instead — every block's outbound messages and events, and the state root
    return JSON.stringify(cc.blocks.map((b) => [toHex(b.header.outboundRoot), toHex(b.header.eventsRoot), toHex(b.header.stateRoot)]));
  };

  it('the same seed gives the same messages, events and state roots; another seed others', () => {
    const head = run(11);
    expect(run(11)).toBe(head);
    expect(run(12)).not.toBe(head);
  });
});
