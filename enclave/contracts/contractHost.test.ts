import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { ContractQueryScale, EncryptedDataScale } from '../../domain/codec/contractEvents.codec';
import { blake2b256 } from '../../domain/codec/hash';
import { toHex } from '../../domain/codec/hex';
import { type MessageOrigin, messageSigningBytes } from '../../domain/codec/mq.codec';
import { str, tuple } from '../../domain/codec/scale';
import { seededRandom } from '../../simulations/seededRandom';
import { createSimulatedPlatform } from '../platform/platform';
import { createAttestationVendor } from '../platform/attestationVendor';
import { type ContractHost, restoreContractHost } from './contractHost';
import { unsealContractState } from './contractState';
import { codeHashOf, createProgramRegistry } from './programRegistry';
import { type BalancesCommand, balancesCommandCodec, balancesInitCodec, balancesProgram, balancesQueryCodec } from './programs/balances';
import { shippedProgramRegistry, shippedPrograms } from './programs';
import { certificateBodyCodec, verifyQuerySignature } from './queryCertificate';
import { type ContractClient, createContractClient } from './contractClient';
import { type TestCluster, testCluster } from './testing/contractCluster';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const from = (c: ContractClient): MessageOrigin => ({ tag: 'AccountId', value: c.account });
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function plaintextOf(cluster: TestCluster, hosts: readonly ContractHost[], i: number): string {
  const w = cluster.workers[i]!;
  const blob = hosts[i]!.sealState(w.platform, cluster.measurement);
  return text(right(w.platform.unseal(cluster.measurement, blob)));
}

function balancesWorld(seed: number) {
  const r = seededRandom(seed);
  const cluster = testCluster(r.fork('cluster'));
  const clients = ['a', 'b', 'c'].map((l) => createContractClient(r.fork(l))) as [ContractClient, ContractClient, ContractClient];
  const { deployment, hosts } = cluster.deploy(balancesProgram, clients[0].account, 1, balancesInitCodec.enc({ supply: 1_000n }));
  return { r, cluster, clients, deployment, hosts };
}

describe('program registry', () => {
  it('code hash = blake2_256(SCALE((name, version))); lookup by it; a duplicate is a build bug', () => {
    expect(toHex(codeHashOf('Balances', '1'))).toBe(toHex(blake2b256(tuple(str, str).enc(['Balances', '1']))));
    const registry = shippedProgramRegistry();
    expect(registry.lookup(codeHashOf('GuessNumber', '1'))?.name).toBe('GuessNumber');
    expect(registry.lookup(codeHashOf('GuessNumber', '2'))).toBeUndefined();
    expect(registry.codeHashes()).toHaveLength(shippedPrograms.length);
    expect(() => createProgramRegistry([balancesProgram, balancesProgram])).toThrow(/registered twice/);
  });
});

describe('contract host: commands', () => {
  it('three workers fed the same chain-ordered commands seal identical plaintexts and emit identical egress', () => {
    const { cluster, clients: [a, b], hosts } = balancesWorld(1);
    const cmds: Array<[ContractClient, BalancesCommand]> = [
      [a, { tag: 'Transfer', value: { dest: b.account, value: 100n } }],
      [b, { tag: 'TransferToChain', value: { dest: b.account, value: 40n } }],
      [a, { tag: 'TransferToChain', value: { dest: a.account, value: 1n } }],
    ];
    const egress: string[][] = [[], [], []];
    cmds.forEach(([who, cmd], n) => {
      const payload = who.encryptedCommand(hosts[0]!.publicKey, balancesCommandCodec.enc(cmd));
      hosts.forEach((h, i) => {
        egress[i]!.push(...right(h.handleCommand(from(who), payload, 30 + n)).egress.map((m) => toHex(messageSigningBytes(m.message, m.sequence))));
      });
    });
    expect(egress[0]).toHaveLength(2);
    expect(egress[1]).toEqual(egress[0]);
    expect(egress[2]).toEqual(egress[0]);
    const plain = plaintextOf(cluster, hosts, 0);
    expect(plaintextOf(cluster, hosts, 1)).toBe(plain);
    expect(plaintextOf(cluster, hosts, 2)).toBe(plain);
    expect(JSON.parse(plain)).toMatchObject({ egressSequence: { $bigint: '2' }, appliedCommands: { $bigint: '3' } });
  });

  it('refuses a tampered ciphertext, a command for another key, and garbage, with the state unchanged', () => {
    const { cluster, clients: [a, b], hosts } = balancesWorld(2);
    const h = hosts[0]!;
    const before = plaintextOf(cluster, hosts, 0);
    const cmd = balancesCommandCodec.enc({ tag: 'Transfer', value: { dest: b.account, value: 5n } });
    const tampered = a.encryptedCommand(h.publicKey, cmd);
    tampered[tampered.length - 1]! ^= 1;
    expect(h.handleCommand(from(a), tampered, 30)).toEqual(E.left({ _tag: 'DecryptFailed', detail: 'AeadDecryptError' }));
    const otherKey = cluster.outsider.identityPublicKey;
    expect(h.handleCommand(from(a), a.encryptedCommand(otherKey, cmd), 30)).toEqual(E.left({ _tag: 'DecryptFailed', detail: 'AeadDecryptError' }));
    expect(h.handleCommand(from(a), Uint8Array.of(7, 1, 2), 30)).toMatchObject(E.left({ _tag: 'UndecodableEnvelope', what: 'Payload' }));
    expect(h.handleCommand(from(a), a.plainCommand(Uint8Array.of(9)), 30)).toMatchObject(E.left({ _tag: 'UndecodableInput', what: 'command' }));
    const badPoint = Uint8Array.of(1, ...EncryptedDataScale.encode({ iv: new Uint8Array(12), pubkey: new Uint8Array(32).fill(0xff), data: new Uint8Array(20) }));
    expect(h.handleCommand(from(a), badPoint, 30)).toEqual(E.left({ _tag: 'BadEphemeralKey' }));
    expect(plaintextOf(cluster, hosts, 0)).toBe(before);
    right(h.handleCommand(from(a), a.plainCommand(cmd), 30));
    expect(plaintextOf(cluster, hosts, 0)).not.toBe(before);
  });

  it('fast-check: random command sequences leave every worker in the same state', () => {
    const { cluster, clients, hosts } = balancesWorld(3);
    const arbCommand = fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 2 }),
      fc.bigInt({ min: 0n, max: 400n }),
      fc.constantFrom('Transfer', 'TransferToChain', 'TransferToTee'),
      fc.boolean(),
    );
    fc.assert(
      fc.property(fc.array(arbCommand, { maxLength: 8 }), (seq) => {
        seq.forEach(([s, d, value, tag, plain], n) => {
          const sender = clients[s]!;
          const dest = clients[d]!.account;
          const cmd: BalancesCommand = tag === 'TransferToTee' ? { tag, value: { who: dest, amount: value } } : { tag, value: { dest, value } };
          const bytes = balancesCommandCodec.enc(cmd);
          const payload = plain ? sender.plainCommand(bytes) : sender.encryptedCommand(hosts[0]!.publicKey, bytes);
          const origin: MessageOrigin = tag === 'TransferToTee' && n % 2 === 0 ? { tag: 'Pallet', value: Uint8Array.of(1) } : from(sender);
          const outcomes = hosts.map((h) => JSON.stringify(E.isLeft(h.handleCommand(origin, payload, 40 + n))));
          expect(new Set(outcomes).size).toBe(1);
        });
        const plain = plaintextOf(cluster, hosts, 0);
        expect([plaintextOf(cluster, hosts, 1), plaintextOf(cluster, hosts, 2)]).toEqual([plain, plain]);
      }),
      { numRuns: 15, seed: 42 },
    );
  });
});

describe('contract host: queries', () => {
  const { cluster, clients: [a], deployment, hosts } = balancesWorld(4);
  const worker0 = cluster.workers[0]!.vault.identityPublicKey;
  const ask = (auth: Parameters<ContractClient['query']>[3], block = 50, to = worker0, id = deployment.contractId) =>
    hosts[0]!.handleQuery(a.query(to, id, balancesQueryCodec.enc({ tag: 'FreeBalance', value: { account: a.account } }), auth).request, block);

  it('ContractQuery puts the contract id before the nonce (F21)', () => {
    const id = new Uint8Array(32).fill(0xaa);
    const nonce = new Uint8Array(32).fill(0xbb);
    const bytes = ContractQueryScale.encode({ head: { id, nonce }, data: Uint8Array.of(1) });
    expect(toHex(bytes.subarray(0, 32))).toBe(toHex(id));
    expect(toHex(bytes.subarray(32, 64))).toBe(toHex(nonce));
  });

  it('refuses an expired certificate, accepts one valid through the current block', () => {
    expect(ask({ kind: 'session', ttl: 49 })).toEqual(E.left({ _tag: 'QuerySignatureRejected', reason: { _tag: 'CertificateExpired', ttl: 49, currentBlock: 50 } }));
    expect(ask({ kind: 'account', ttl: 49 })).toMatchObject(E.left({ reason: { _tag: 'CertificateExpired' } }));
    expect(E.isRight(ask({ kind: 'session', ttl: 50 }))).toBe(true);
  });

  it('refuses a forged signature, a chain deeper than two, a query for another worker or contract', () => {
    const q = a.query(worker0, deployment.contractId, Uint8Array.of(1), { kind: 'account', ttl: 100 });
    const forged = { ...q.request.signature!, signature: q.request.signature!.signature.map((x, i) => (i === 0 ? x ^ 1 : x)) };
    expect(hosts[0]!.handleQuery({ ...q.request, signature: forged }, 50)).toEqual(E.left({ _tag: 'QuerySignatureRejected', reason: { _tag: 'InvalidSignature' } }));
    const deep = { signedBy: { encodedBody: certificateBodyCodec.enc({ pubkey: a.account, ttl: 100, configBits: 0 }), signature: q.request.signature! }, signatureType: 'Sr25519' as const, signature: new Uint8Array(64) };
    expect(verifyQuerySignature({ ...deep, signedBy: { ...deep.signedBy, signature: deep } }, Uint8Array.of(1), 50)).toMatchObject(E.left({ _tag: 'InvalidSignature' }));
    expect(verifyQuerySignature(deep, Uint8Array.of(1), 50, 0)).toEqual(E.left({ _tag: 'TooLongCertificateChain' }));
    expect(verifyQuerySignature({ ...deep, signatureType: 'Unsupported' }, Uint8Array.of(1), 50)).toEqual(E.left({ _tag: 'InvalidSignatureType' }));
    expect(ask({ kind: 'anonymous' }, 50, cluster.workers[1]!.vault.identityPublicKey)).toEqual(E.left({ _tag: 'DecryptFailed', detail: 'AeadDecryptError' }));
    expect(ask({ kind: 'anonymous' }, 50, worker0, new Uint8Array(32).fill(3))).toMatchObject(E.left({ _tag: 'WrongContract' }));
  });

  it('a reply opens only with the querier ephemeral key; its IV is fresh each time', () => {
    const q = a.query(worker0, deployment.contractId, balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }), { kind: 'anonymous' });
    const r1 = right(hosts[0]!.handleQuery(q.request, 50));
    const r2 = right(hosts[0]!.handleQuery(q.request, 50));
    expect(toHex(EncryptedDataScale.decode(r1.encodedEncryptedData).iv)).not.toBe(toHex(EncryptedDataScale.decode(r2.encodedEncryptedData).iv));
    expect(E.isRight(q.open(r1))).toBe(true);
    const other = a.query(worker0, deployment.contractId, Uint8Array.of(), { kind: 'anonymous' });
    expect(other.open(r1)).toEqual(E.left('reply does not decrypt: AeadDecryptError'));
  });
});

describe('contract host: sealed state', () => {
  it('round trip: a restored host continues exactly like the original; another platform cannot open it', () => {
    const { r, cluster, clients: [a, b], hosts } = balancesWorld(5);
    const w = cluster.workers[0]!;
    const blob = hosts[0]!.sealState(w.platform, cluster.measurement);
    const restored = right(restoreContractHost(w.ports, shippedProgramRegistry(), w.platform, cluster.measurement, blob));
    const payload = a.encryptedCommand(hosts[0]!.publicKey, balancesCommandCodec.enc({ tag: 'TransferToChain', value: { dest: b.account, value: 9n } }));
    const e1 = right(hosts[0]!.handleCommand(from(a), payload, 31)).egress.map((m) => toHex(messageSigningBytes(m.message, m.sequence)));
    const e2 = right(restored.handleCommand(from(a), payload, 31)).egress.map((m) => toHex(messageSigningBytes(m.message, m.sequence)));
    expect(e2).toEqual(e1);
    expect(plaintextOf(cluster, [restored], 0)).toBe(plaintextOf(cluster, hosts, 0));
    const elsewhere = createSimulatedPlatform(createAttestationVendor(r.fork('v2')), r.fork('p2'));
    expect(unsealContractState(elsewhere, cluster.measurement, blob)).toEqual(E.left({ _tag: 'SealIntegrityFailure' }));
    expect(restoreContractHost(w.ports, createProgramRegistry([]), w.platform, cluster.measurement, blob)).toMatchObject(E.left({ _tag: 'UnknownProgram' }));
    const junk = w.platform.seal(cluster.measurement, new TextEncoder().encode('{"version":1}'));
    expect(unsealContractState(w.platform, cluster.measurement, junk)).toMatchObject(E.left({ _tag: 'SealedContractMalformed' }));
  });

  it('the sealed blob never contains the plaintext state', () => {
    const { cluster, hosts, deployment } = balancesWorld(6);
    const w = cluster.workers[0]!;
    const blob = Buffer.from(hosts[0]!.sealState(w.platform, cluster.measurement));
    const state = right(unsealContractState(w.platform, cluster.measurement, blob));
    expect(state.deployment.contractId).toEqual(deployment.contractId);
    expect(blob.includes(Buffer.from('totalIssuance'))).toBe(false);
    expect(blob.includes(Buffer.from(toHex(deployment.contractId)))).toBe(false);
  });
});
