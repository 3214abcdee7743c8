import { blake2b } from '@noble/hashes/blake2.js';
import { ClusterOperationScale, ContractOperationScale } from '../../codec/contractEvents.codec';
import { topicBytes, topics } from '../../codec/topics';
import { ContractId, H256 } from '../../ids/ids';
import { alice, balanceTransfer, bob, c1, c2, call, clusterAdded, endow, ev, palletSender, phatRuntime, phatSpec, ROOT, signed, testDeps } from '../testing/phatForTests';
import { clusterResourceOf, Contracts } from './phat.state';

const spec = phatSpec();
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);
const b2 = (...parts: Uint8Array[]) => hex(blake2b(Uint8Array.from(Buffer.concat(parts)), { dkLen: 32 }));
const CLUSTER_1_ACCOUNT = b2(utf8('cluster:'), bytes(c1));
const onlyAlice = { tag: 'OnlyOwner', value: alice };

describe('cluster_upload_resource', () => {
  const upload = (resourceData: Uint8Array, resourceType = 'InkCode', clusterId = c1) =>
    call('clusterUploadResource', { clusterId, resourceType: { tag: resourceType, value: undefined }, resourceData });

  it('forwards the code to the cluster and records its hash (anyone may upload to a public cluster)', () => {
    const code = utf8('machine:counter@1');
    const codeHash = H256.parse(b2(code));
    const r = spec.given([clusterAdded(1n)]).when(signed(bob), upload(code));
    const s = r.thenEmits([ev('ResourceUploaded', { cluster: c1, uploader: bob, resourceType: { tag: 'InkCode', value: undefined }, codeHash, size: code.length })]);
    expect(clusterResourceOf(s, c1, codeHash)).toEqual({ resourceType: { tag: 'InkCode', value: undefined }, uploader: bob, size: code.length });
    expect(r.outbound).toHaveLength(1);
    expect(r.outbound[0]!.sender).toEqual(palletSender);
    expect(r.outbound[0]!.destination).toEqual(topicBytes('phala/cluster/key'));
    expect(ClusterOperationScale.decode(r.outbound[0]!.payload)).toEqual({
      tag: 'UploadResource',
      value: { origin: bytes(bob), clusterId: bytes(c1), resourceType: { tag: 'InkCode', value: undefined }, resourceData: code },
    });
  });

  it('checks origin, cluster, permission, then size', () => {
    const big = new Uint8Array(11);
    const small = phatSpec(phatRuntime({ ...testDeps, inkCodeSizeLimit: 10, sidevmCodeSizeLimit: 20 }));
    const owned = [clusterAdded(1n, { permission: onlyAlice })];
    small.given(owned).when(ROOT, upload(big)).thenRejects('BadOrigin');
    small.given(owned).when(signed(bob), upload(big, 'InkCode', c2)).thenRejects('ClusterNotFound');
    small.given(owned).when(signed(bob), upload(big)).thenRejects('ClusterPermissionDenied');
    small.given(owned).when(signed(alice), upload(big)).thenRejects('PayloadTooLarge');
    small.given(owned).when(signed(alice), upload(big, 'IndeterministicInkCode')).thenRejects('PayloadTooLarge');
    small.given(owned).when(signed(alice), upload(new Uint8Array(10))).thenEmits(expect.any(Array));
    small.given(owned).when(signed(alice), upload(new Uint8Array(20), 'SidevmCode')).thenEmits(expect.any(Array));
    small.given(owned).when(signed(alice), upload(new Uint8Array(21), 'SidevmCode')).thenRejects('PayloadTooLarge');
  });

  it("uses Phala's limits by default: ink 2 MiB, sidevm 8 MiB", () => {
    const given = { when: (...a: Parameters<ReturnType<typeof spec.given>['when']>) => spec.given([clusterAdded(1n)]).when(...a) };
    given.when(signed(bob), upload(new Uint8Array(2 * 1024 * 1024 + 1))).thenRejects('PayloadTooLarge');
    given.when(signed(bob), upload(new Uint8Array(2 * 1024 * 1024 + 1), 'SidevmCode')).thenEmits(expect.any(Array));
    given.when(signed(bob), upload(new Uint8Array(8 * 1024 * 1024 + 1), 'SidevmCode')).thenRejects('PayloadTooLarge');
  });
});

describe('instantiate_contract', () => {
  const codeHash = H256.parse(b2(utf8('machine:counter@1')));
  const salt = utf8('salt-1');
  const args = (over: Record<string, unknown> = {}) => ({
    codeIndex: { tag: 'WasmCode', value: codeHash },
    data: Uint8Array.of(1, 2, 3),
    salt,
    clusterId: c1,
    transfer: 5n,
    gasLimit: 1_000_000n,
    storageDepositLimit: undefined,
    deposit: 0n,
    ...over,
  });
  // F33 / §9.2: blake2_256(deployer ‖ code_hash ‖ cluster_id ‖ salt), computed here independently
  const expectedId = ContractId.parse(b2(bytes(bob), bytes(codeHash), bytes(c1), salt));

  it('registers the contract under its derived id and tells the cluster to instantiate it', () => {
    const r = spec.given([clusterAdded(1n)]).when(signed(bob), call('instantiateContract', args()));
    const s = r.thenEmits([ev('Instantiating', { contract: expectedId, cluster: c1, deployer: bob })]);
    expect(Contracts.get(s, expectedId)).toEqual({ deployer: bob, cluster: c1 });
    expect(r.outbound.map((m) => [m.sender, m.destination])).toEqual([[palletSender, topicBytes('phala/contract/op')]]);
    expect(ContractOperationScale.decode(r.outbound[0]!.payload)).toEqual({
      tag: 'InstantiateCode',
      value: {
        contractInfo: { deployer: bytes(bob), codeIndex: { tag: 'WasmCode', value: bytes(codeHash) }, salt, clusterId: bytes(c1), instantiateData: Uint8Array.of(1, 2, 3) },
        transfer: 5n,
        gasLimit: 1_000_000n,
        storageDepositLimit: undefined,
      },
    });
  });

  it('a deposit is moved into the cluster for the deployer first', () => {
    const r = spec.given([endow(bob, 100n), clusterAdded(1n)]).when(signed(bob), call('instantiateContract', args({ deposit: 30n, storageDepositLimit: 7n })));
    r.thenEmits([
      balanceTransfer(bob, CLUSTER_1_ACCOUNT, 30n),
      ev('Transfered', { cluster: c1, account: bob, amount: 30n }),
      ev('Instantiating', { contract: expectedId, cluster: c1, deployer: bob }),
    ]);
    expect(r.outbound.map((m) => m.destination)).toEqual([topicBytes(topics.clusterKey), topicBytes(topics.contractOperation)]);
  });

  it('checks origin, cluster, permission, deposit, then duplicate', () => {
    const given = [endow(bob, 10n), clusterAdded(1n, { permission: onlyAlice }), clusterAdded(2n, { workers: [] })];
    spec.given(given).when(ROOT, call('instantiateContract', args())).thenRejects('BadOrigin');
    spec.given(given).when(signed(bob), call('instantiateContract', args({ clusterId: ContractId.parse(`0x${'00'.repeat(31)}09`) }))).thenRejects('ClusterNotFound');
    spec.given(given).when(signed(bob), call('instantiateContract', args())).thenRejects('ClusterPermissionDenied');
    const dup = [...given, ev('Instantiating', { contract: ContractId.parse(b2(bytes(bob), bytes(codeHash), bytes(c2), salt)), cluster: c2, deployer: bob })];
    spec.given(dup).when(signed(bob), call('instantiateContract', args({ clusterId: c2, deposit: 11n }))).thenRejects('InsufficientBalance');
    spec.given(dup).when(signed(bob), call('instantiateContract', args({ clusterId: c2 }))).thenRejects('DuplicatedContract');
    // another salt is another contract
    spec.given(dup).when(signed(bob), call('instantiateContract', args({ clusterId: c2, salt: utf8('salt-2') }))).thenEmits(expect.any(Array));
  });
});

describe('push_contract_message', () => {
  const id1 = ContractId.parse(`0x${'01'.repeat(32)}`);
  const push = (deposit: bigint, contractId = id1) => call('pushContractMessage', { contractId, payload: Uint8Array.of(0, 42), deposit });

  it('sends the payload on the command topic as AccountId(signer); without a deposit the contract need not exist (F33)', () => {
    const r = spec.given([]).when(signed(bob), push(0n));
    r.thenEmits([]);
    expect(r.outbound).toEqual([{ sender: { tag: 'AccountId', value: bytes(bob) }, destination: topicBytes(`phala/contract/${'01'.repeat(32)}/command`), payload: Uint8Array.of(0, 42) }]);
    // DOMAIN §2.3: the topic bytes for id [1;32]
    expect(Buffer.from(r.outbound[0]!.destination).toString('latin1')).toBe(
      'phala/contract/0101010101010101010101010101010101010101010101010101010101010101/command',
    );
  });

  it('with a deposit, the contract must exist and the deposit goes to its cluster first', () => {
    spec.given([endow(bob, 100n)]).when(signed(bob), push(1n)).thenRejects('ContractNotFound');
    const given = [endow(bob, 100n), ev('Instantiating', { contract: id1, cluster: c1, deployer: alice })];
    const r = spec.given(given).when(signed(bob), push(40n));
    r.thenEmits([balanceTransfer(bob, CLUSTER_1_ACCOUNT, 40n), ev('Transfered', { cluster: c1, account: bob, amount: 40n })]);
    expect(r.outbound.map((m) => m.destination)).toEqual([topicBytes(topics.clusterKey), topicBytes(`phala/contract/${'01'.repeat(32)}/command`)]);
    spec.given(given).when(signed(bob), push(101n)).thenRejects('InsufficientBalance');
  });

  it('is signed only', () => {
    spec.given([]).when(ROOT, push(0n)).thenRejects('BadOrigin');
  });
});
