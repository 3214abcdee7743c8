import { ClusterRegistryEventScale, ContractRegistryEventScale, WorkerClusterReportScale } from '../../codec/contractEvents.codec';
import type { MessageOrigin } from '../../codec/mq.codec';
import { topics } from '../../codec/topics';
import { ContractId, H256 } from '../../ids/ids';
import { alice, bob, c1, c2, clusterAdded, ev, inject, message, phatSpec, ROOT, w1, w2 } from '../testing/phatForTests';
import { ClusterContracts, ClusterKeys, clusterKeyOf, ContractKeys, contractKeyOf, Contracts } from './phat.state';

const spec = phatSpec();
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
const key = (byte: number) => H256.parse(`0x${byte.toString(16).padStart(2, '0').repeat(32)}`);
const worker = (w: string): MessageOrigin => ({ tag: 'Worker', value: bytes(w) });
const cluster = (c: string): MessageOrigin => ({ tag: 'Cluster', value: bytes(c) });
const GK: MessageOrigin = { tag: 'Gatekeeper', value: undefined };
const forged: MessageOrigin[] = [GK, worker(w1), cluster(c1), { tag: 'AccountId', value: bytes(alice) }, { tag: 'Pallet', value: Uint8Array.of(1) }, { tag: 'Contract', value: bytes(c1) }];

/** A forged origin changes nothing: the injecting call still succeeds (errors swallowed, F8) and emits nothing. */
function expectIgnored(given: Parameters<typeof spec.given>[0], sender: MessageOrigin, topic: string, payload: Uint8Array) {
  const before = spec.given(given).storage.allEntries();
  const s = spec.given(given).when(ROOT, inject(message(sender, topic, payload))).thenEmits([]);
  expect(s.allEntries()).toEqual(before);
}

describe('phala/cluster/worker/report', () => {
  const deployed = WorkerClusterReportScale.encode({ tag: 'ClusterDeployed', value: { id: bytes(c1), pubkey: bytes(key(9)) } });
  const failed = WorkerClusterReportScale.encode({ tag: 'ClusterDeploymentFailed', value: { id: bytes(c1) } });

  it('records the worker’s deployment outcome (the message also goes off-chain)', () => {
    const r = spec.given([clusterAdded(1n)]).when(ROOT, inject(message(worker(w1), topics.workerClusterReport, deployed)));
    r.thenEmits([ev('ClusterDeployed', { cluster: c1, pubkey: key(9), worker: w1 })]);
    expect(r.outbound).toHaveLength(1);
    spec
      .given([])
      .when(ROOT, inject(message(worker(w2), topics.workerClusterReport, failed)))
      .thenEmits([ev('ClusterDeploymentFailed', { cluster: c1, worker: w2 })]);
  });

  it('ignores any sender but a worker, and undecodable payloads', () => {
    for (const sender of forged.filter((o) => o.tag !== 'Worker')) expectIgnored([], sender, topics.workerClusterReport, deployed);
    expectIgnored([], worker(w1), topics.workerClusterReport, Uint8Array.of(7));
    expectIgnored([], worker(w1), topics.workerClusterReport, deployed.subarray(0, 40));
  });

  it('accepts trailing bytes after a valid payload, as Phala’s `Decode::decode` does', () => {
    const padded = Uint8Array.from([...failed, 0xee, 0xee]);
    spec.given([]).when(ROOT, inject(message(worker(w2), topics.workerClusterReport, padded))).thenEmits([ev('ClusterDeploymentFailed', { cluster: c1, worker: w2 })]);
  });
});

describe('^phala/registry/cluster', () => {
  const announce = (k: number) => ClusterRegistryEventScale.encode({ tag: 'PubkeyAvailable', value: { cluster: bytes(c1), pubkey: bytes(key(k)) } });

  it('stores the key the gatekeepers announce, and lets them overwrite it', () => {
    const r = spec.given([]).when(ROOT, inject(message(GK, topics.clusterRegistry, announce(5))));
    const s = r.thenEmits([ev('ClusterPubkeyAvailable', { cluster: c1, pubkey: key(5) })]);
    expect(clusterKeyOf(s, c1)).toEqual(bytes(key(5)));
    expect(clusterKeyOf(s, bytes(c1))).toEqual(bytes(key(5)));
    expect(clusterKeyOf(s, c2)).toBeUndefined();
    // an on-chain-only topic never reaches the outbound messages
    expect(r.outbound).toEqual([]);
    const again = spec.given([ev('ClusterPubkeyAvailable', { cluster: c1, pubkey: key(5) })]).when(ROOT, inject(message(GK, topics.clusterRegistry, announce(6)))).thenEmits(expect.any(Array));
    expect(ClusterKeys.get(again, c1)).toBe(key(6));
  });

  it('a forged origin changes nothing', () => {
    for (const sender of forged.filter((o) => o.tag !== 'Gatekeeper')) expectIgnored([], sender, topics.clusterRegistry, announce(5));
  });

  it('only the exact topic is routed', () => {
    expectIgnored([], GK, '^phala/registry/clusters', announce(5));
    expectIgnored([], GK, 'phala/registry/cluster', announce(5));
  });
});

describe('^phala/registry/contract', () => {
  const contract = ContractId.parse(`0x${'c0'.repeat(32)}`);
  const announce = (deployer: string) => ContractRegistryEventScale.encode({ tag: 'PubkeyAvailable', value: { contract: bytes(contract), pubkey: bytes(key(4)), deployer: bytes(deployer) } });

  it('stores the contract key announced by its cluster and records a contract the cluster created itself', () => {
    const r = spec.given([]).when(ROOT, inject(message(cluster(c2), topics.contractRegistry, announce(bob))));
    const s = r.thenEmits([
      ev('ContractPubkeyAvailable', { contract, cluster: c2, pubkey: key(4) }),
      ev('Instantiated', { contract, cluster: c2, deployer: H256.parse(bob) }),
    ]);
    expect(contractKeyOf(s, contract)).toEqual(bytes(key(4)));
    expect(contractKeyOf(s, bytes(contract))).toEqual(bytes(key(4)));
    expect(ContractKeys.get(s, contract)).toBe(key(4));
    expect(ClusterContracts.get(s, c2)).toEqual([contract]);
    expect(Contracts.get(s, contract)).toEqual({ deployer: bob, cluster: c2 });
    expect(r.outbound).toEqual([]);
  });

  it('keeps the record of a contract a user instantiated', () => {
    const given = [ev('Instantiating', { contract, cluster: c1, deployer: alice })];
    const s = spec.given(given).when(ROOT, inject(message(cluster(c1), topics.contractRegistry, announce(bob)))).thenEmits(expect.any(Array));
    expect(Contracts.get(s, contract)).toEqual({ deployer: alice, cluster: c1 });
  });

  it('a forged origin changes nothing', () => {
    for (const sender of forged.filter((o) => o.tag !== 'Cluster')) expectIgnored([], sender, topics.contractRegistry, announce(bob));
    expect(contractKeyOf(spec.given([]).storage, contract)).toBeUndefined();
  });
});
