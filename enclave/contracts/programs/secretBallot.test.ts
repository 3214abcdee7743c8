import * as E from 'fp-ts/Either';
import type { MessageOrigin } from '../../../domain/codec/mq.codec';
import { topicBytes } from '../../../domain/codec/topics';
import { seededRandom } from '../../../simulations/seededRandom';
import { type ContractClient, createContractClient } from '../contractClient';
import { testCluster } from '../testing/contractCluster';
import {
  BALLOT_RESULT_TOPIC,
  type BallotCommand,
  type BallotResponse,
  ballotCommandCodec,
  ballotInitCodec,
  ballotQueryCodec,
  ballotResponseCodec,
  ballotResultCodec,
  secretBallotProgram,
} from './secretBallot';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const from = (c: ContractClient): MessageOrigin => ({ tag: 'AccountId', value: c.account });

describe('SecretBallot', () => {
  const r = seededRandom(31);
  const cluster = testCluster(r.fork('cluster'));
  const [owner, v1, v2, v3] = ['owner', 'v1', 'v2', 'v3'].map((l) => createContractClient(r.fork(l))) as [ContractClient, ContractClient, ContractClient, ContractClient];
  const { deployment, hosts } = cluster.deploy(secretBallotProgram, owner.account, 3, ballotInitCodec.enc({ choices: ['tea', 'coffee'], deadline: 30 }));
  const command = (who: ContractClient, cmd: BallotCommand, block: number) => {
    const payload = who.encryptedCommand(hosts[0]!.publicKey, ballotCommandCodec.enc(cmd));
    return hosts.map((h) => h.handleCommand(from(who), payload, block));
  };
  const query = (i: number, who: ContractClient, q: Parameters<typeof ballotQueryCodec.enc>[0], block: number): BallotResponse => {
    const p = who.query(cluster.workers[i]!.vault.identityPublicKey, deployment.contractId, ballotQueryCodec.enc(q), { kind: 'account', ttl: 1000 });
    return ballotResponseCodec.dec(right(p.open(right(hosts[i]!.handleQuery(p.request, block)))).result);
  };

  it('ballots are private, the tally is hidden until the deadline, the last ballot counts', () => {
    for (const [who, choice] of [[v1, 0], [v2, 1], [v3, 1], [v3, 0]] as const) for (const x of command(who, { tag: 'Vote', value: { choice } }, 25)) right(x);
    expect(query(0, v3, { tag: 'MyBallot', value: undefined }, 26)).toEqual({ tag: 'MyBallot', value: 0 });
    expect(query(1, owner, { tag: 'MyBallot', value: undefined }, 26)).toEqual({ tag: 'MyBallot', value: undefined });
    expect(query(2, owner, { tag: 'Turnout', value: undefined }, 26)).toEqual({ tag: 'Turnout', value: 3 });
    expect(query(2, owner, { tag: 'Tally', value: undefined }, 30)).toEqual({ tag: 'Error', value: 'VotingOpen' });
    expect(command(v1, { tag: 'Vote', value: { choice: 7 } }, 26)[0]).toEqual(E.left({ _tag: 'CommandRefused', reason: 'NoSuchChoice' }));
    expect(command(v1, { tag: 'Close', value: undefined }, 30)[0]).toEqual(E.left({ _tag: 'CommandRefused', reason: 'DeadlineNotReached' }));
    expect(command(v1, { tag: 'Vote', value: { choice: 1 } }, 31)[1]).toEqual(E.left({ _tag: 'CommandRefused', reason: 'VotingClosed' }));
    expect(query(1, v2, { tag: 'Tally', value: undefined }, 31)).toEqual({ tag: 'Tally', value: [{ choice: 'tea', votes: 2 }, { choice: 'coffee', votes: 1 }] });
  });

  it('Close after the deadline publishes the result, signed by the contract, once', () => {
    const receipts = command(v2, { tag: 'Close', value: undefined }, 32).map(right);
    for (const rc of receipts) {
      expect(rc.egress.map((m) => [m.message.destination, ballotResultCodec.dec(m.message.payload)])).toEqual([[topicBytes(BALLOT_RESULT_TOPIC), { tally: [2, 1], turnout: 3 }]]);
    }
    expect(command(v2, { tag: 'Close', value: undefined }, 33)[2]).toEqual(E.left({ _tag: 'CommandRefused', reason: 'AlreadyClosed' }));
  });
});
