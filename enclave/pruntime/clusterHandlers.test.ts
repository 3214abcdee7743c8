/**
 * The cluster side's refusals, on hand-built blocks: wrong origins, a key that does not decrypt, a
 * second cluster, unknown programs, duplicate contracts, undecodable commands, and leaving the
 * cluster. Every refusal leaves the state as it was.
 */
import * as E from 'fp-ts/Either';
import type { BlockHeader } from '../../domain/codec/blockHeader.codec';
import { ClusterOperationScale, type ClusterOperation, ContractOperationScale, WorkerClusterReportScale } from '../../domain/codec/contractEvents.codec';
import { toHex } from '../../domain/codec/hex';
import type { Message, MessageOrigin } from '../../domain/codec/mq.codec';
import { commandTopic, topicBytes, topics } from '../../domain/codec/topics';
import { seededRandom } from '../../simulations/seededRandom';
import { codeHashOf } from '../contracts/programRegistry';
import { shippedProgramRegistry } from '../contracts/programs';
import { balancesInitCodec } from '../contracts/programs/balances';
import { createAttestationVendor } from '../platform/attestationVendor';
import { measurementOf } from '../platform/measurement';
import { createSimulatedPlatform } from '../platform/platform';
import { createKeyVault } from '../vault/keyVault';
import { verifyBlock } from './blockView';
import { type ClusterBlockOutput, type ClusterRuntime, createClusterRuntime } from './clusterRuntime';
import { genesisHeader, nextBlock } from './testing/pruntimeFixtures';
import { createWorkerIdentity } from './workerIdentity';
import { createWorkerRuntime } from './workerRuntime';

const r = seededRandom(3).fork('cluster-handlers');
const gk = createKeyVault(r.fork('gk'));
gk.generateFirstMasterKey();
const PALLET: MessageOrigin = { tag: 'Pallet', value: topicBytes('PhalaPhatContracts') };
const GK: MessageOrigin = { tag: 'Gatekeeper', value: undefined };
const C1 = new Uint8Array(32).fill(1);
const C2 = new Uint8Array(32).fill(2);
const OWNER = new Uint8Array(32).fill(0xaa);
const BALANCES = codeHashOf('Balances', '1');

let workers = 0;
function setup() {
  workers += 1;
  const worker = createWorkerRuntime(createWorkerIdentity(r.fork(`w-${workers}`)), { iterationsPer6s: 1000n });
  const platform = createSimulatedPlatform(createAttestationVendor(r.fork('vendor')), r.fork('platform'));
  const cluster = createClusterRuntime({ worker, registry: shippedProgramRegistry(), queryRandom: r.fork('q'), platform, measurement: measurementOf('pruntime', 't') });
  let head: BlockHeader = genesisHeader();
  const step = (messages: Message[]): ClusterBlockOutput => {
    const block = nextBlock(head, messages);
    const view = verifyBlock(head, block);
    if (E.isLeft(view)) throw new Error(view.left._tag);
    head = block.header;
    return cluster.processBlock(view.right);
  };
  return { worker, cluster, step };
}

const op = (origin: MessageOrigin, operation: ClusterOperation): Message => ({ sender: origin, destination: topicBytes(topics.clusterKey), payload: ClusterOperationScale.encode(operation) });
const base = { owner: OWNER, deposit: 0n, gasPrice: 0n, depositPerItem: 0n, depositPerByte: 0n, treasuryAccount: OWNER };
const dispatch = (origin: MessageOrigin, cluster: Uint8Array, to: Uint8Array, encryptedTo: Uint8Array = to) =>
  op(origin, { tag: 'DispatchKeys', value: { ...base, cluster, secretKeys: [[to, gk.shareClusterKey(cluster, encryptedTo, 1, 0n)]] } });
const instantiate = (origin: MessageOrigin, cluster: Uint8Array, codeHash: Uint8Array, salt = Uint8Array.of(1)): Message => ({
  sender: origin,
  destination: topicBytes(topics.contractOperation),
  payload: ContractOperationScale.encode({
    tag: 'InstantiateCode',
    value: { contractInfo: { deployer: OWNER, codeIndex: { tag: 'WasmCode', value: codeHash }, salt, clusterId: cluster, instantiateData: balancesInitCodec.enc({ supply: 5n }) }, transfer: 0n, gasLimit: 0n, storageDepositLimit: undefined },
  }),
});
const reports = (out: ClusterBlockOutput) => out.egress.map((m) => WorkerClusterReportScale.decode(m.message.payload).tag);
const reasons = (out: ClusterBlockOutput) => out.rejected.map((x) => x.reason);

describe('cluster key dispatch', () => {
  it('takes its key from the gatekeepers only, and reports the deployment', () => {
    const { worker, cluster, step } = setup();
    expect(reasons(step([dispatch(PALLET, C1, worker.pubkey)]))).toEqual(['BadOrigin']);
    expect(cluster.cluster()).toBeUndefined();
    const other = createKeyVault(r.fork('other-worker')).identityPublicKey;
    expect(step([dispatch(GK, C1, other)]).egress).toEqual([]);
    const out = step([dispatch(GK, C1, worker.pubkey)]);
    expect(reports(out)).toEqual(['ClusterDeployed']);
    expect(toHex(cluster.cluster()!.publicKey)).toBe(toHex(gk.publicKeyOf({ kind: 'cluster', clusterId: C1 })));
    expect(out.egress[0]!.message.sender).toEqual({ tag: 'Worker', value: worker.pubkey });
  });

  it('reports a failure for a key it cannot decrypt, and for a second cluster', () => {
    const { worker, cluster, step } = setup();
    expect(reports(step([dispatch(GK, C1, worker.pubkey, new Uint8Array(gk.identityPublicKey))]))).toEqual(['ClusterDeploymentFailed']);
    expect(cluster.cluster()).toBeUndefined();
    step([dispatch(GK, C1, worker.pubkey)]);
    const second = step([dispatch(GK, C2, worker.pubkey)]);
    expect(reports(second)).toEqual(['ClusterDeploymentFailed']);
    expect(cluster.cluster()!.id).toEqual(C1);
  });
});

describe('contracts in the hosted cluster', () => {
  function deployed(): { cluster: ClusterRuntime; step: (m: Message[]) => ClusterBlockOutput } {
    const s = setup();
    s.step([dispatch(GK, C1, s.worker.pubkey)]);
    return s;
  }

  it('instantiates from the Phat pallet only, known programs only, each contract once, in its own cluster only', () => {
    const { cluster, step } = deployed();
    expect(reasons(step([instantiate(GK, C1, BALANCES)]))).toEqual(['BadOrigin']);
    expect(reasons(step([instantiate(PALLET, C1, new Uint8Array(32).fill(7))]))).toEqual(['UnknownProgram']);
    expect(step([instantiate(PALLET, C2, BALANCES)])).toEqual({ egress: [], rejected: [], exitRequired: false });
    const out = step([instantiate(PALLET, C1, BALANCES)]);
    expect(out.egress.map((m) => m.message.sender)).toEqual([{ tag: 'Cluster', value: C1 }]);
    expect(reasons(step([instantiate(PALLET, C1, BALANCES)]))).toEqual(['DuplicatedContract']);
    expect(cluster.contracts()).toHaveLength(1);
    expect(cluster.worker.nContracts).toBe(1);
  });

  it('refuses an undecodable command and leaves the contract as it was', () => {
    const { cluster, step } = deployed();
    step([instantiate(PALLET, C1, BALANCES)]);
    const id = cluster.contracts()[0]!.contractId;
    const bad: Message = { sender: { tag: 'AccountId', value: OWNER }, destination: topicBytes(commandTopic(id)), payload: Uint8Array.of(1, 2, 3) };
    expect(reasons(step([bad]))).toEqual(['CommandRejected']);
  });

  it('leaves the cluster and stops when the cluster is destroyed', () => {
    const { cluster, step } = deployed();
    expect(step([op(GK, { tag: 'DestroyCluster', value: C1 })]).exitRequired).toBe(false);
    expect(step([op(PALLET, { tag: 'DestroyCluster', value: C2 })]).exitRequired).toBe(false);
    expect(step([op(PALLET, { tag: 'DestroyCluster', value: C1 })]).exitRequired).toBe(true);
    expect(cluster.cluster()).toBeUndefined();
    expect(() => step([])).toThrow('exited');
  });

  it('needs blocks in order', () => {
    const { cluster } = deployed();
    const head = genesisHeader();
    const view = verifyBlock(head, nextBlock(head, []));
    if (E.isLeft(view)) throw new Error(view.left._tag);
    expect(() => cluster.processBlock(view.right)).toThrow('expected block 2, got 1');
  });
});
