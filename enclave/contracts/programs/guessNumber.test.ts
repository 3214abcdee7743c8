import * as E from 'fp-ts/Either';
import type { MessageOrigin } from '../../../domain/codec/mq.codec';
import { seededRandom } from '../../../simulations/seededRandom';
import { unsealContractState } from '../contractState';
import { type ContractClient, createContractClient } from '../contractClient';
import { testCluster } from '../testing/contractCluster';
import { type GuessCommand, type GuessResponse, guessCommandCodec, guessInitCodec, guessNumberProgram, guessQueryCodec, guessResponseCodec } from './guessNumber';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const from = (c: ContractClient): MessageOrigin => ({ tag: 'AccountId', value: c.account });

function game(seed: number) {
  const r = seededRandom(seed);
  const cluster = testCluster(r.fork('cluster'));
  const [alice, bob] = [createContractClient(r.fork('alice')), createContractClient(r.fork('bob'))];
  const { deployment, hosts } = cluster.deploy(guessNumberProgram, alice.account, 2, guessInitCodec.enc({ maxNumber: 1_000_000 }));
  let block = 21;
  /** the same encrypted command, in chain order, on every worker */
  const command = (who: ContractClient, cmd: GuessCommand) => {
    block += 1;
    const payload = who.encryptedCommand(hosts[0]!.publicKey, guessCommandCodec.enc(cmd));
    return hosts.map((h) => h.handleCommand(from(who), payload, block));
  };
  const query = (i: number, who: ContractClient, q: Parameters<typeof guessQueryCodec.enc>[0]): GuessResponse => {
    const prepared = who.query(cluster.workers[i]!.vault.identityPublicKey, deployment.contractId, guessQueryCodec.enc(q), { kind: 'session', ttl: 10_000 });
    return guessResponseCodec.dec(right(prepared.open(right(hosts[i]!.handleQuery(prepared.request, block)))).result);
  };
  const secretOn = (i: number): number => {
    const w = cluster.workers[i]!;
    const sealed = right(unsealContractState(w.platform, cluster.measurement, hosts[i]!.sealState(w.platform, cluster.measurement)));
    return (sealed.program.context as { secret: number }).secret;
  };
  return { alice, bob, hosts, command, query, secretOn };
}

describe('GuessNumber', () => {
  it('a binary search by encrypted guesses finds the secret; every worker gives the same verdicts and the same round result', () => {
    const { alice, bob, command, query, secretOn } = game(7);
    const secret = secretOn(0);
    expect([secretOn(1), secretOn(2)]).toEqual([secret, secret]);
    let [lo, hi] = [1, 1_000_000];
    let found: number | undefined;
    for (let step = 0; step < 25 && found === undefined; step++) {
      const guess = Math.floor((lo + hi) / 2);
      for (const r of command(bob, { tag: 'Guess', value: { number: guess } })) right(r);
      const answers = [0, 1, 2].map((i) => query(i, bob, { tag: 'MyGuesses', value: undefined }));
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
      const last = answers[0]!.tag === 'Guesses' ? answers[0]!.value.at(-1)! : undefined;
      if (last?.verdict.tag === 'Correct') found = guess;
      else if (last?.verdict.tag === 'TooSmall') lo = guess + 1;
      else hi = guess - 1;
    }
    expect(found).toBe(secret);
    expect(query(1, alice, { tag: 'MyGuesses', value: undefined })).toEqual({ tag: 'Guesses', value: [] });
    expect(query(2, alice, { tag: 'Round', value: undefined })).toEqual({ tag: 'Round', value: { round: 1, maxNumber: 1_000_000, winner: bob.account } });
    expect(command(bob, { tag: 'Guess', value: { number: 1 } })).toEqual([0, 1, 2].map(() => E.left({ _tag: 'CommandRefused', reason: 'RoundSolved' })));
  });

  it('only the owner resets; a reset draws a new secret, the same on every worker', () => {
    const { alice, bob, command, query, secretOn } = game(8);
    const first = secretOn(0);
    expect(command(bob, { tag: 'Reset', value: undefined })).toEqual([0, 1, 2].map(() => E.left({ _tag: 'CommandRefused', reason: 'BadOrigin' })));
    for (const r of command(alice, { tag: 'Reset', value: undefined })) right(r);
    const second = secretOn(0);
    expect(second).not.toBe(first);
    expect([secretOn(1), secretOn(2)]).toEqual([second, second]);
    expect(query(0, bob, { tag: 'Round', value: undefined })).toEqual({ tag: 'Round', value: { round: 2, maxNumber: 1_000_000, winner: undefined } });
  });

  it('two deployments of the same program draw different secrets', () => {
    expect(game(9).secretOn(0)).not.toBe(game(10).secretOn(0));
  });
});
