import fc from 'fast-check';
import { contractQueryCodec } from '../../codec/contractEvents.codec';
import { decodeExact } from '../../codec/scale';
import { contractId } from '../../ids/accounts';
import { AccountId, ClusterId, ContractId, H256, WorkerPubkey } from '../../ids/ids';
import { ClusterInfo } from './phat.state';
import { alice, bob, c1, call, clusterAdded, ev, phatRuntime, testDeps, treasury, w1, w2 } from '../testing/phatForTests';

const runtime = phatRuntime();
const h = (byte: number) => `0x${byte.toString(16).padStart(2, '0').repeat(32)}`;
const contract = ContractId.parse(h(0xc0));
const pub = H256.parse(h(0x55));
const unitTag = (tag: string) => ({ tag, value: undefined });

const calls = [
  call('addCluster', {
    owner: alice,
    permission: { tag: 'OnlyOwner', value: alice },
    deployWorkers: [w1, w2],
    deposit: 2n ** 127n,
    gasPrice: 1n,
    depositPerItem: 2n,
    depositPerByte: 3n,
    treasuryAccount: treasury,
  }),
  call('clusterUploadResource', { clusterId: c1, resourceType: unitTag('SidevmCode'), resourceData: Uint8Array.of(1, 2) }),
  call('transferToCluster', { amount: 9n, clusterId: c1, destAccount: bob }),
  call('pushContractMessage', { contractId: contract, payload: Uint8Array.of(9), deposit: 0n }),
  call('instantiateContract', {
    codeIndex: { tag: 'WasmCode', value: pub },
    data: Uint8Array.of(),
    salt: Uint8Array.of(1),
    clusterId: c1,
    transfer: 1n,
    gasLimit: 2n ** 64n - 1n,
    storageDepositLimit: 4n,
    deposit: 5n,
  }),
  call('clusterDestroy', { cluster: c1 }),
  call('setPinkSystemCode', { code: Uint8Array.of(0, 1) }),
  call('setPinkRuntimeVersion', { version: [1, 0] }),
  call('addWorkerToCluster', { workerPubkey: w1, clusterId: c1 }),
  call('removeWorkerFromCluster', { workerPubkey: w1, clusterId: c1 }),
  call('cleanupRemovedWorkers', { clusterId: c1 }),
];

const events = [
  ev('ClusterCreated', { cluster: c1, systemContract: contract }),
  ev('ClusterPubkeyAvailable', { cluster: c1, pubkey: pub }),
  ev('ClusterDeployed', { cluster: c1, pubkey: pub, worker: w1 }),
  ev('ClusterDeploymentFailed', { cluster: c1, worker: w1 }),
  ev('Instantiating', { contract, cluster: c1, deployer: alice }),
  ev('ContractPubkeyAvailable', { contract, cluster: c1, pubkey: pub }),
  ev('Instantiated', { contract, cluster: c1, deployer: H256.parse(alice) }),
  ev('ClusterDestroyed', { cluster: c1 }),
  ev('Transfered', { cluster: c1, account: H256.parse(bob), amount: 7n }),
  ev('WorkerAddedToCluster', { worker: w1, cluster: c1 }),
  ev('WorkerRemovedFromCluster', { worker: w1, cluster: c1 }),
  clusterAdded(1n, { workers: [w1, w2], permission: { tag: 'OnlyOwner', value: bob } }),
  ev('ResourceUploaded', { cluster: c1, uploader: bob, resourceType: unitTag('IndeterministicInkCode'), codeHash: pub, size: 3 }),
  ev('PinkSystemCodeScheduled', { code: Uint8Array.of(7) }),
  ev('PinkSystemCodeApplied', { version: 2, codeHash: pub }),
  ev('PinkRuntimeVersionSet', { version: [1, 2] }),
  ev('RemovedWorkersCleaned', { cluster: c1 }),
];

describe('Phat SCALE', () => {
  it('round-trips every call, at Phala’s call index', () => {
    calls.forEach((c, index) => {
      const bytes = runtime.callCodec.enc(c);
      expect([bytes[0], bytes[1]]).toEqual([2, index]);
      expect(decodeExact(runtime.callCodec, bytes, 'call')).toEqual(c);
    });
  });

  it('round-trips every event; Phala’s events keep indices 0–10, phalanet’s follow', () => {
    events.forEach((e, index) => {
      const bytes = runtime.eventCodec.enc(e);
      expect([bytes[0], bytes[1]]).toEqual([2, index]);
      expect(decodeExact(runtime.eventCodec, bytes, 'event')).toEqual(e);
    });
  });

  it('push_contract_message has Phala’s layout: id, Vec<u8> payload, u128 deposit (not compact)', () => {
    const bytes = runtime.callCodec.enc(call('pushContractMessage', { contractId: contract, payload: Uint8Array.of(9, 8), deposit: 258n }));
    const deposit = new Uint8Array(16);
    deposit.set([2, 1]);
    expect(Buffer.from(bytes).toString('hex')).toBe(`0203${'c0'.repeat(32)}080908${Buffer.from(deposit).toString('hex')}`);
  });

  it('set_pink_system_code is a BoundedVec: a code over the ink limit does not decode', () => {
    const small = phatRuntime({ ...testDeps, inkCodeSizeLimit: 4 });
    const over = runtime.callCodec.enc(call('setPinkSystemCode', { code: new Uint8Array(5) }));
    expect(() => decodeExact(small.callCodec, over, 'call')).toThrow(/exceeds bound 4/);
    expect(decodeExact(small.callCodec, runtime.callCodec.enc(call('setPinkSystemCode', { code: new Uint8Array(4) })), 'call')).toBeDefined();
  });

  it('F21: the query head encodes the contract id before the nonce', () => {
    const id = new Uint8Array(32).fill(1);
    const nonce = new Uint8Array(32).fill(2);
    const bytes = contractQueryCodec.enc({ head: { id, nonce }, data: Uint8Array.of(3) });
    expect(Buffer.from(bytes).toString('hex')).toBe(`${'01'.repeat(32)}${'02'.repeat(32)}0403`);
  });

  it("Phala's contract id vector (phala-types `test_codecs`) holds for the id the pallet uses", () => {
    const ones = `0x${'01'.repeat(32)}`;
    expect(contractId(ones, '0x010203', ones, '0x010203')).toBe('0x29a773373d12f21a9407333f6e1c9db09aed5c03d21e91060c2f34ac2b86ecb4');
  });

  it('ClusterInfo is stored in Phala v8 layout: owner, permission, system contract, three u128', () => {
    const ones = AccountId.parse(`0x${'01'.repeat(32)}`);
    const info = { owner: ones, permission: { tag: 'Public' as const, value: undefined }, systemContract: ContractId.parse(ones), gasPrice: 0n, depositPerItem: 0n, depositPerByte: 0n };
    expect(Buffer.from(ClusterInfo.enc(info)).toString('hex')).toBe(`${'01'.repeat(32)}00${'01'.repeat(32)}${'00'.repeat(48)}`);
  });

  it('id types agree: a cluster id is from_low_u64_be', () => {
    expect(ClusterId.fromCounter(258n)).toBe(`0x${'00'.repeat(30)}0102`);
    expect(AccountId.is(alice) && WorkerPubkey.is(w1)).toBe(true);
  });
});

describe('Phat SCALE properties', () => {
  const id = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `0x${Buffer.from(b).toString('hex')}`);
  const u128 = fc.bigInt({ min: 0n, max: 2n ** 128n - 1n });
  const blob = fc.uint8Array({ maxLength: 64 });
  const permission = fc.oneof(fc.constant({ tag: 'Public', value: undefined }), id.map((a) => ({ tag: 'OnlyOwner', value: a })));
  const resourceType = fc.constantFrom('InkCode', 'SidevmCode', 'IndeterministicInkCode').map(unitTag);
  const event = fc.oneof(
    fc.record({ cluster: id, systemContract: id }).map((v) => ev('ClusterCreated', v)),
    fc.record({ cluster: id, pubkey: id, worker: id }).map((v) => ev('ClusterDeployed', v)),
    fc.record({ contract: id, cluster: id, deployer: id }).map((v) => ev('Instantiated', v)),
    fc.record({ cluster: id, account: id, amount: u128 }).map((v) => ev('Transfered', v)),
    fc
      .record({
        cluster: id,
        counter: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        info: fc.record({ owner: id, permission, systemContract: id, gasPrice: u128, depositPerItem: u128, depositPerByte: u128 }),
        workers: fc.array(id, { maxLength: 4 }),
      })
      .map((v) => ev('ClusterAdded', v)),
    fc.record({ cluster: id, uploader: id, resourceType, codeHash: id, size: fc.nat({ max: 2 ** 32 - 1 }) }).map((v) => ev('ResourceUploaded', v)),
    fc.record({ code: blob }).map((v) => ev('PinkSystemCodeScheduled', v)),
  );
  const anyCall = fc.oneof(
    fc.record({ contractId: id, payload: blob, deposit: u128 }).map((v) => call('pushContractMessage', v)),
    fc.record({ clusterId: id, resourceType, resourceData: blob }).map((v) => call('clusterUploadResource', v)),
    fc
      .record({
        codeIndex: id.map((h) => ({ tag: 'WasmCode', value: h })),
        data: blob,
        salt: blob,
        clusterId: id,
        transfer: u128,
        gasLimit: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        storageDepositLimit: fc.option(u128, { nil: undefined }),
        deposit: u128,
      })
      .map((v) => call('instantiateContract', v)),
  );

  it('events and calls decode to what was encoded', () => {
    fc.assert(fc.property(event, (e) => expect(decodeExact(runtime.eventCodec, runtime.eventCodec.enc(e), 'event')).toEqual(e)));
    fc.assert(fc.property(anyCall, (c) => expect(decodeExact(runtime.callCodec, runtime.callCodec.enc(c), 'call')).toEqual(c)));
  });
});
