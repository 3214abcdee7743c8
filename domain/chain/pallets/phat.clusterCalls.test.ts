import { blake2b } from '@noble/hashes/blake2.js';
import { ClusterEventScale, ClusterOperationScale } from '../../codec/contractEvents.codec';
import { topicBytes, topics } from '../../codec/topics';
import { ClusterId } from '../../ids/ids';
import {
  addClusterArgs,
  alice,
  balanceTransfer,
  bob,
  c1,
  c2,
  call,
  clusterAdded,
  ecdhOf,
  endow,
  ev,
  palletSender,
  phatSpec,
  ROOT,
  signed,
  stranger,
  SYSTEM_CODE_HASH,
  systemCodeReady,
  treasury,
  w1,
  w2,
  w3,
} from '../testing/phatForTests';
import { account } from './balances.pallet';
import { ClusterByWorkers, ClusterCounter, Clusters, ClusterWorkers, REMOVED_WORKERS_CLUSTER } from './phat.state';

const spec = phatSpec();
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);
const b2 = (...parts: Uint8Array[]) => hex(blake2b(Uint8Array.from(Buffer.concat(parts)), { dkLen: 32 }));

// §14 F33, computed here from the definitions, independently of domain/ids
const CLUSTER_1_ACCOUNT = b2(utf8('cluster:'), bytes(c1));
const SYSTEM_CONTRACT_1 = b2(bytes(alice), bytes(SYSTEM_CODE_HASH), bytes(c1));
const funded = [endow(alice, 1_000n), ...systemCodeReady];

describe('add_cluster', () => {
  it('creates cluster 1 with F33 ids, binds the workers, moves the deposit and tells the gatekeepers', () => {
    const r = spec.given(funded).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w1, w2] })));
    expect(c1).toBe(`0x${'00'.repeat(31)}01`);
    const info = { owner: alice, permission: { tag: 'Public', value: undefined }, systemContract: SYSTEM_CONTRACT_1, gasPrice: 1n, depositPerItem: 2n, depositPerByte: 3n };
    const s = r.thenEmits([
      ev('ClusterAdded', { cluster: c1, counter: 1n, info, workers: [w1, w2] }),
      ev('ClusterCreated', { cluster: c1, systemContract: SYSTEM_CONTRACT_1 }),
      balanceTransfer(alice, CLUSTER_1_ACCOUNT, 100n),
    ]);
    expect(ClusterCounter.get(s)).toBe(1n);
    expect(Clusters.get(s, c1)).toEqual(info);
    expect(ClusterWorkers.get(s, c1)).toEqual([w1, w2]);
    expect(ClusterByWorkers.get(s, w2)).toBe(c1);
    expect(account(s, CLUSTER_1_ACCOUNT).free).toBe(100n);
    expect(r.outbound).toHaveLength(1);
    const m = r.outbound[0]!;
    expect(m.sender).toEqual(palletSender);
    expect(m.destination).toEqual(topicBytes('phala/cluster/event'));
    expect(ClusterEventScale.decode(m.payload)).toEqual({
      tag: 'DeployCluster',
      value: {
        owner: bytes(alice),
        cluster: bytes(c1),
        workers: [w1, w2].map((w) => ({ pubkey: bytes(w), ecdhPubkey: bytes(ecdhOf(w)) })),
        deposit: 100n,
        gasPrice: 1n,
        depositPerItem: 2n,
        depositPerByte: 3n,
        treasuryAccount: bytes(treasury),
      },
    });
  });

  it('counts ids up: the next cluster is 0x…02', () => {
    const s = spec.given([...funded, clusterAdded(1n)]).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w2] }))).thenEmits(expect.anything());
    expect(ClusterCounter.get(s)).toBe(2n);
    expect(Clusters.has(s, c2)).toBe(true);
  });

  it('is governance only', () => {
    spec.given(funded).when(signed(alice), call('addCluster', addClusterArgs())).thenRejects('BadOrigin');
  });

  it('checks in Phala order: no worker, unknown worker, busy worker, no system code, then the deposit', () => {
    const busy = [endow(alice, 1_000n), clusterAdded(1n, { workers: [w1] })];
    // NoWorkerSpecified before the missing system code
    spec.given([]).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [] }))).thenRejects('NoWorkerSpecified');
    // every worker is looked up before any busy check
    spec.given(busy).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w1, stranger] }))).thenRejects('WorkerNotFound');
    // busy before the missing system code
    spec.given(busy).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w2, w1] }))).thenRejects('WorkerIsBusy');
    spec.given([endow(alice, 1_000n)]).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w2] }))).thenRejects('NoPinkSystemCode');
    const s = spec.given([...systemCodeReady, endow(alice, 99n)]).when(ROOT, call('addCluster', addClusterArgs())).thenRejects('InsufficientBalance');
    expect(ClusterCounter.get(s)).toBe(0n);
    expect(ClusterByWorkers.has(s, w1)).toBe(false);
  });

  it('a worker listed twice is busy the second time', () => {
    spec.given(funded).when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w3, w3] }))).thenRejects('WorkerIsBusy');
  });
});

describe('transfer_to_cluster', () => {
  it('moves PHA to the cluster account and pushes Deposit for the destination account', () => {
    const r = spec.given([endow(bob, 50n)]).when(signed(bob), call('transferToCluster', { amount: 20n, clusterId: c1, destAccount: alice }));
    // the cluster need not exist (Phala does not check)
    r.thenEmits([balanceTransfer(bob, CLUSTER_1_ACCOUNT, 20n), ev('Transfered', { cluster: c1, account: alice, amount: 20n })]);
    expect(r.outbound.map((m) => [m.destination, ClusterOperationScale.decode(m.payload)])).toEqual([
      [topicBytes(topics.clusterKey), { tag: 'Deposit', value: { clusterId: bytes(c1), account: bytes(alice), amount: 20n } }],
    ]);
  });

  it('is signed only and needs the balance', () => {
    spec.given([endow(bob, 50n)]).when(ROOT, call('transferToCluster', { amount: 1n, clusterId: c1, destAccount: alice })).thenRejects('BadOrigin');
    spec.given([endow(bob, 5n)]).when(signed(bob), call('transferToCluster', { amount: 6n, clusterId: c1, destAccount: alice })).thenRejects('InsufficientBalance');
  });
});

describe('cluster_destroy', () => {
  it('forgets the cluster, tells its workers, and leaves them bound (Phala)', () => {
    const r = spec.given([clusterAdded(1n)]).when(ROOT, call('clusterDestroy', { cluster: c1 }));
    const s = r.thenEmits([ev('ClusterDestroyed', { cluster: c1 })]);
    expect(Clusters.has(s, c1)).toBe(false);
    expect(ClusterByWorkers.get(s, w1)).toBe(c1);
    expect(r.outbound.map((m) => ClusterOperationScale.decode(m.payload))).toEqual([{ tag: 'DestroyCluster', value: bytes(c1) }]);
  });

  it('is root only and needs the cluster', () => {
    spec.given([clusterAdded(1n)]).when(signed(alice), call('clusterDestroy', { cluster: c1 })).thenRejects('BadOrigin');
    spec.given([clusterAdded(1n)]).when(ROOT, call('clusterDestroy', { cluster: c2 })).thenRejects('ClusterNotFound');
  });

  it('a destroyed cluster keeps its workers busy', () => {
    spec
      .given([...funded, clusterAdded(1n), ev('ClusterDestroyed', { cluster: c1 })])
      .when(ROOT, call('addCluster', addClusterArgs({ deployWorkers: [w1] })))
      .thenRejects('WorkerIsBusy');
  });
});

describe('add_worker_to_cluster', () => {
  const given = [clusterAdded(1n, { workers: [w1] })];
  it('binds a registered free worker, owner only, with no message to the worker', () => {
    const r = spec.given(given).when(signed(alice), call('addWorkerToCluster', { workerPubkey: w2, clusterId: c1 }));
    const s = r.thenEmits([ev('WorkerAddedToCluster', { worker: w2, cluster: c1 })]);
    expect(ClusterWorkers.get(s, c1)).toEqual([w1, w2]);
    expect(ClusterByWorkers.get(s, w2)).toBe(c1);
    expect(r.outbound).toEqual([]);
  });

  it('checks origin, cluster, owner (even for a public cluster), registration, then busy', () => {
    spec.given(given).when(ROOT, call('addWorkerToCluster', { workerPubkey: w2, clusterId: c1 })).thenRejects('BadOrigin');
    spec.given(given).when(signed(alice), call('addWorkerToCluster', { workerPubkey: stranger, clusterId: c2 })).thenRejects('ClusterNotFound');
    spec.given(given).when(signed(bob), call('addWorkerToCluster', { workerPubkey: stranger, clusterId: c1 })).thenRejects('ClusterPermissionDenied');
    spec.given(given).when(signed(alice), call('addWorkerToCluster', { workerPubkey: stranger, clusterId: c1 })).thenRejects('WorkerNotFound');
    spec.given(given).when(signed(alice), call('addWorkerToCluster', { workerPubkey: w1, clusterId: c1 })).thenRejects('WorkerIsBusy');
  });
});

describe('remove_worker_from_cluster', () => {
  const given = [clusterAdded(1n, { workers: [w1, w2] }), clusterAdded(2n, { workers: [w3], owner: bob })];
  it('parks the worker in cluster 0, drops it from the list and tells it to leave', () => {
    const r = spec.given(given).when(signed(alice), call('removeWorkerFromCluster', { workerPubkey: w1, clusterId: c1 }));
    const s = r.thenEmits([ev('WorkerRemovedFromCluster', { worker: w1, cluster: c1 })]);
    expect(ClusterByWorkers.get(s, w1)).toBe(REMOVED_WORKERS_CLUSTER);
    expect(ClusterWorkers.get(s, c1)).toEqual([w2]);
    expect(r.outbound.map((m) => ClusterOperationScale.decode(m.payload))).toEqual([{ tag: 'RemoveWorker', value: { clusterId: bytes(c1), worker: bytes(w1) } }]);
  });

  it('a removed worker can never join a cluster again', () => {
    spec
      .given([...given, ev('WorkerRemovedFromCluster', { worker: w1, cluster: c1 })])
      .when(signed(bob), call('addWorkerToCluster', { workerPubkey: w1, clusterId: c2 }))
      .thenRejects('WorkerIsBusy');
  });

  it('checks origin, cluster, owner, then membership', () => {
    spec.given(given).when(ROOT, call('removeWorkerFromCluster', { workerPubkey: w1, clusterId: c1 })).thenRejects('BadOrigin');
    spec.given(given).when(signed(alice), call('removeWorkerFromCluster', { workerPubkey: w1, clusterId: ClusterId.fromCounter(3n) })).thenRejects('ClusterNotFound');
    spec.given(given).when(signed(bob), call('removeWorkerFromCluster', { workerPubkey: w1, clusterId: c1 })).thenRejects('ClusterPermissionDenied');
    spec.given(given).when(signed(alice), call('removeWorkerFromCluster', { workerPubkey: w3, clusterId: c1 })).thenRejects('WorkerNotFound');
  });
});

describe('cleanup_removed_workers', () => {
  it('drops from a cluster list the workers parked in cluster 0 (root only)', () => {
    // w1 parked through another cluster's removal: c1's list still holds it (the migration case)
    const given = [clusterAdded(1n, { workers: [w1, w2] }), ev('WorkerRemovedFromCluster', { worker: w1, cluster: c2 })];
    spec.given(given).when(signed(alice), call('cleanupRemovedWorkers', { clusterId: c1 })).thenRejects('BadOrigin');
    const s = spec.given(given).when(ROOT, call('cleanupRemovedWorkers', { clusterId: c1 })).thenEmits([ev('RemovedWorkersCleaned', { cluster: c1 })]);
    expect(ClusterWorkers.get(s, c1)).toEqual([w2]);
  });
});

it('fixtures: the system code hash is blake2_256 of the code', () => {
  expect(SYSTEM_CODE_HASH).toBe(b2(utf8('pink-system v1')));
});
