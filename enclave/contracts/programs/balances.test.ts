import * as E from 'fp-ts/Either';
import { toHex } from '../../../domain/codec/hex';
import { type MessageOrigin, messageSigningBytes } from '../../../domain/codec/mq.codec';
import { topicBytes } from '../../../domain/codec/topics';
import { sr25519Verify } from '../../../domain/crypto';
import { seededRandom } from '../../../simulations/seededRandom';
import type { ContractHost } from '../contractHost';
import { unsealContractState } from '../contractState';
import { createContractClient } from '../contractClient';
import { testCluster } from '../testing/contractCluster';
import {
  BALANCES_TRANSFER_TOPIC,
  NOT_AUTHORIZED,
  type BalancesCommand,
  type BalancesResponse,
  balancesCommandCodec,
  balancesInitCodec,
  balancesProgram,
  balancesQueryCodec,
  balancesResponseCodec,
  balancesTransferCodec,
} from './balances';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return e.right;
};
const from = (account: Uint8Array): MessageOrigin => ({ tag: 'AccountId', value: account });

function setup(seed: number) {
  const r = seededRandom(seed);
  const cluster = testCluster(r.fork('cluster'));
  const [alice, bob] = [createContractClient(r.fork('alice')), createContractClient(r.fork('bob'))];
  const { deployment, hosts } = cluster.deploy(balancesProgram, alice.account, 1, balancesInitCodec.enc({ supply: 1000n }));
  const send = (host: ContractHost, who: typeof alice, cmd: BalancesCommand, block: number) =>
    host.handleCommand(from(who.account), who.encryptedCommand(host.publicKey, balancesCommandCodec.enc(cmd)), block);
  const ask = (host: ContractHost, workerIndex: number, who: typeof alice, account: Uint8Array, auth: Parameters<typeof alice.query>[3] = { kind: 'account', ttl: 100 }): BalancesResponse => {
    const q = who.query(cluster.workers[workerIndex]!.vault.identityPublicKey, deployment.contractId, balancesQueryCodec.enc({ tag: 'FreeBalance', value: { account } }), auth);
    const response = right(q.open(right(host.handleQuery(q.request, 50))));
    return balancesResponseCodec.dec(response.result);
  };
  return { r, cluster, alice, bob, deployment, hosts, send, ask };
}

describe('Balances', () => {
  it('a non-owner cannot read a balance (NotAuthorized); the holder can', () => {
    const { alice, bob, hosts, send, ask } = setup(1);
    for (const h of hosts) right(send(h, alice, { tag: 'Transfer', value: { dest: bob.account, value: 300n } }, 21));
    const h0 = hosts[0]!;
    expect(ask(h0, 0, alice, alice.account)).toEqual({ tag: 'FreeBalance', value: { balance: 700n } });
    expect(ask(h0, 0, bob, bob.account, { kind: 'session', ttl: 100 })).toEqual({ tag: 'FreeBalance', value: { balance: 300n } });
    expect(ask(h0, 0, bob, alice.account)).toEqual({ tag: 'Error', value: NOT_AUTHORIZED });
    expect(ask(h0, 0, alice, alice.account, { kind: 'anonymous' })).toEqual({ tag: 'Error', value: NOT_AUTHORIZED });
  });

  it('TotalIssuance is public; TransferToChain burns and emits a contract-signed BalancesTransfer', () => {
    const { cluster, alice, hosts, deployment, send } = setup(2);
    const receipts = hosts.map((h) => right(send(h, alice, { tag: 'TransferToChain', value: { dest: alice.account, value: 250n } }, 22)));
    const payloads = receipts.map((rc) => rc.egress.map((m) => toHex(messageSigningBytes(m.message, m.sequence))));
    expect(new Set(payloads.map((p) => p.join()))).toEqual(new Set([payloads[0]!.join()]));
    const m = receipts[0]!.egress[0]!;
    expect(m.message.sender).toEqual({ tag: 'Contract', value: deployment.contractId });
    expect(m.message.destination).toEqual(topicBytes(BALANCES_TRANSFER_TOPIC));
    expect(balancesTransferCodec.dec(m.message.payload)).toEqual({ dest: alice.account, amount: 250n });
    expect(m.sequence).toBe(0n);
    for (const rc of receipts) expect(sr25519Verify(messageSigningBytes(rc.egress[0]!.message, 0n), rc.egress[0]!.signature, hosts[0]!.publicKey)).toBe(true);
    const q = alice.query(cluster.workers[1]!.vault.identityPublicKey, deployment.contractId, balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }), { kind: 'anonymous' });
    expect(balancesResponseCodec.dec(right(q.open(right(hosts[1]!.handleQuery(q.request, 50)))).result)).toEqual({ tag: 'TotalIssuance', value: { totalIssuance: 750n } });
  });

  it("refuses what Phala refuses and leaves the state unchanged", () => {
    const { cluster, alice, bob, hosts, send } = setup(3);
    const h = hosts[0]!;
    const w = cluster.workers[0]!;
    const before = right(unsealContractState(w.platform, cluster.measurement, h.sealState(w.platform, cluster.measurement)));
    expect(send(h, bob, { tag: 'Transfer', value: { dest: alice.account, value: 1n } }, 21)).toEqual(E.left({ _tag: 'CommandRefused', reason: 'NoBalance' }));
    expect(send(h, alice, { tag: 'Transfer', value: { dest: bob.account, value: 1001n } }, 21)).toEqual(E.left({ _tag: 'CommandRefused', reason: 'InsufficientBalance' }));
    expect(send(h, alice, { tag: 'TransferToTee', value: { who: alice.account, amount: 5n } }, 21)).toEqual(E.left({ _tag: 'CommandRefused', reason: 'BadOrigin' }));
    const after = right(unsealContractState(w.platform, cluster.measurement, h.sealState(w.platform, cluster.measurement)));
    expect(after).toEqual(before);
    const mint = h.handleCommand({ tag: 'Pallet', value: new TextEncoder().encode('PhalaPhatContracts') }, alice.plainCommand(balancesCommandCodec.enc({ tag: 'TransferToTee', value: { who: bob.account, amount: 5n } })), 22);
    expect(right(mint).egress).toEqual([]);
  });
});
