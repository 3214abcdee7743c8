import * as E from 'fp-ts/Either';
import { toHex } from '../../domain/codec/hex';
import { seededRandom } from '../../simulations/seededRandom';
import { secretsForLeakScan } from '../testing/secretsForLeakScan';
import { balancesCommandCodec, balancesInitCodec, balancesProgram, balancesQueryCodec } from './programs/balances';
import { guessInitCodec, guessNumberProgram, guessQueryCodec } from './programs/guessNumber';
import { unsealContractState } from './contractState';
import { createContractClient } from './contractClient';
import { testCluster } from './testing/contractCluster';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const contains = (hay: Uint8Array, needle: Uint8Array) => Buffer.from(hay).includes(Buffer.from(needle));

describe('contracts leak no secret', () => {
  const r = seededRandom(77);
  const cluster = testCluster(r.fork('cluster'));
  const alice = createContractClient(r.fork('alice'));
  const w = cluster.workers[0]!;

  it('program randomness is the same on every worker, differs per context and is none of the keys', () => {
    const key = { kind: 'contract', clusterId: cluster.clusterId, contractId: new Uint8Array(32).fill(5) } as const;
    const ctx = Uint8Array.of(1, 2, 3);
    const values = cluster.workers.map((x) => toHex(x.vault.contractRandomness(key, ctx)));
    expect(new Set(values).size).toBe(1);
    expect(toHex(w.vault.contractRandomness(key, Uint8Array.of(1, 2, 4)))).not.toBe(values[0]);
    const secrets = secretsForLeakScan(w.vault).flatMap((s) => s.forms.map((f) => toHex(f.bytes)));
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(s.includes(values[0]!.slice(2))).toBe(false);
  });

  it('no egress, reply or sealed blob contains a secret the worker holds', () => {
    const { deployment, hosts } = cluster.deploy(balancesProgram, alice.account, 9, balancesInitCodec.enc({ supply: 50n }));
    const h = hosts[0]!;
    const outputs: Uint8Array[] = [h.publicKey, h.sealState(w.platform, cluster.measurement)];
    const cmd = balancesCommandCodec.enc({ tag: 'TransferToChain', value: { dest: alice.account, value: 5n } });
    for (const m of right(h.handleCommand({ tag: 'AccountId', value: alice.account }, alice.encryptedCommand(h.publicKey, cmd), 30)).egress) outputs.push(m.message.payload, m.signature);
    const q = alice.query(w.vault.identityPublicKey, deployment.contractId, balancesQueryCodec.enc({ tag: 'TotalIssuance', value: undefined }), { kind: 'account', ttl: 99 });
    outputs.push(right(h.handleQuery(q.request, 31)).encodedEncryptedData);
    const forms = secretsForLeakScan(w.vault).flatMap((s) => s.forms.map((f) => f.bytes));
    expect(forms.length).toBeGreaterThan(2);
    for (const out of outputs) for (const secret of forms) expect(contains(out, secret)).toBe(false);
  });

  it('GuessNumber replies never carry the secret', () => {
    const { deployment, hosts } = cluster.deploy(guessNumberProgram, alice.account, 10, guessInitCodec.enc({ maxNumber: 4_000_000_000 }));
    const sealed = right(unsealContractState(w.platform, cluster.measurement, hosts[0]!.sealState(w.platform, cluster.measurement)));
    const secret = (sealed.program.context as { secret: number }).secret;
    const le = Buffer.alloc(4);
    le.writeUInt32LE(secret);
    for (const tag of ['Owner', 'MyGuesses', 'Round'] as const) {
      const q = alice.query(w.vault.identityPublicKey, deployment.contractId, guessQueryCodec.enc({ tag, value: undefined }), { kind: 'account', ttl: 99 });
      const reply = right(q.open(right(hosts[0]!.handleQuery(q.request, 31))));
      expect(contains(reply.result, le)).toBe(false);
    }
  });
});
