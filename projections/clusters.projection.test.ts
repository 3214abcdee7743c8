import { clustersProjection, queryCluster, queryClusters } from './clusters.projection';
import { contractsProjection, queryContract, queryContracts } from './contracts.projection';
import { expectIdempotent, foldInto } from './testing/projectionSpec';
import { ev, syntheticChain } from './testing/syntheticChain';

const h = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const [c1, c2, sys, owner, wa, wb, k1, ca, cb, deployer, kA] = [h(0xc1), h(0xc2), h(0x5e), h(0x01), h(0xa1), h(0xa2), h(0x4b), h(0xca), h(0xcb), h(0x02), h(0x4a)];
const P = 'PhalaPhatContracts';
const info = (permission: object) => ({ owner, permission, systemContract: sys, gasPrice: 1n, depositPerItem: 2n, depositPerByte: 3n });
const blocks = syntheticChain([
  [],
  [ev(P, 'ClusterAdded', { cluster: c1, counter: 1n, info: info({ tag: 'Public', value: undefined }), workers: [wa] }), ev(P, 'ClusterCreated', { cluster: c1, systemContract: sys })],
  [ev(P, 'ClusterPubkeyAvailable', { cluster: c1, pubkey: k1 }), ev(P, 'ClusterDeployed', { cluster: c1, pubkey: k1, worker: wa }), ev(P, 'WorkerAddedToCluster', { worker: wb, cluster: c1 })],
  [ev(P, 'ClusterDeploymentFailed', { cluster: c1, worker: wb }), ev(P, 'Instantiating', { contract: ca, cluster: c1, deployer })],
  [ev(P, 'ContractPubkeyAvailable', { contract: ca, cluster: c1, pubkey: kA }), ev(P, 'Instantiated', { contract: ca, cluster: c1, deployer })],
  [ev(P, 'Instantiated', { contract: cb, cluster: c1, deployer: sys }), ev(P, 'WorkerRemovedFromCluster', { worker: wb, cluster: c1 })],
  [ev(P, 'ClusterAdded', { cluster: c2, counter: 2n, info: info({ tag: 'OnlyOwner', value: owner }), workers: [] }), ev(P, 'ClusterDestroyed', { cluster: c2 })],
]);

describe('clusters projection', () => {
  it('folds a cluster: info, key, deployed and failed workers, contracts, destruction', async () => {
    const store = await foldInto(clustersProjection, blocks);
    expect(await queryCluster(store, c1)).toEqual({
      cluster: c1,
      owner,
      permission: 'Public',
      systemContract: sys,
      gasPrice: '1',
      depositPerItem: '2',
      depositPerByte: '3',
      createdAtBlock: 1,
      pubkey: k1,
      workers: [wa],
      deployedWorkers: [wa],
      failedWorkers: [wb],
      contracts: [ca],
      resourcesUploaded: 0,
      destroyedAtBlock: null,
    });
    expect((await queryClusters(store)).map((c) => [c.cluster, c.permission, c.destroyedAtBlock])).toEqual([
      [c1, 'Public', null],
      [c2, `OnlyOwner:${owner}`, 6],
    ]);
    expect((await queryClusters(store, { after: c1 })).map((c) => c.cluster)).toEqual([c2]);
    expect(await queryCluster(store, h(0x99))).toBeUndefined();
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(clustersProjection, blocks);
  });
});

describe('contracts projection', () => {
  it('folds requested, keyed and instantiated contracts, and ones created inside a cluster', async () => {
    const store = await foldInto(contractsProjection, blocks);
    expect(await queryContract(store, ca)).toEqual({ contract: ca, cluster: c1, deployer, requestedAtBlock: 3, pubkey: kA, instantiatedAtBlock: 4 });
    expect(await queryContract(store, cb)).toEqual({ contract: cb, cluster: c1, deployer: sys, requestedAtBlock: null, pubkey: null, instantiatedAtBlock: 5 });
    expect((await queryContracts(store, { cluster: c1 })).map((c) => c.contract)).toEqual([ca, cb]);
    expect(await queryContracts(store, { cluster: c2 })).toEqual([]);
    expect((await queryContracts(store, { after: ca, limit: 1 })).map((c) => c.contract)).toEqual([cb]);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(contractsProjection, blocks);
  });
});
