/**
 * What the scenario's contract users do (workload `contractCommandsPerBlock`,
 * `contractQueriesPerBlock`), one intent at a time — the client actors (`clusterActors.ts`) decide
 * when: an encrypted command (`push_contract_message`, the payload sealed to the contract key the
 * chain published) to a live contract, or an encrypted, account-signed query to a random worker of
 * its cluster, answered off-chain, whose reply the client opens. Only contracts whose pubkey is on
 * chain are used: that is all a real client can know.
 */
import * as E from 'fp-ts/Either';
import { fromHex } from '../../domain/codec/hex';
import type { Random } from '../../domain/ports/random';
import { pushContractMessageCall } from '../../enclave/contracts/contractCalls';
import { type ContractClient, createContractClient } from '../../enclave/contracts/contractClient';
import type { SimAccount } from './accounts';
import type { ClusterHost } from './clusterHosts';
import type { WorkloadProgram } from './clusterPrograms';
import type { World } from './simulation';

/** A contract whose pubkey is on chain. */
export interface LiveContract {
  readonly id: string;
  readonly program: WorkloadProgram;
  /** the deployer's account (`0x` hex): the owner some programs obey */
  readonly owner: string;
  readonly publicKey: Uint8Array;
  /** the workers of its cluster */
  readonly hosts: readonly ClusterHost[];
}

/** A contract user: a scenario client account and its SDK-like client. */
export interface ContractUser {
  readonly account: SimAccount;
  readonly client: ContractClient;
  readonly accountBytes: Uint8Array;
}

/** What the clients' queries got this block. */
export interface QueryTally {
  answered: number;
  failed: number;
  /** the first failure's reason (for the log) */
  firstFailure: string | undefined;
}

/** The scenario's clients (`client/1..clients`) as contract users. */
export function contractUsers(world: World, random: Random): ContractUser[] {
  return Array.from({ length: world.scenario.topology.clients }, (_, i) => {
    const account = world.account(`client/${i + 1}`);
    return { account, client: createContractClient(random.fork(account.name), account.pair), accountBytes: fromHex(account.id, 'account', 32) };
  });
}

const pick = <T>(list: readonly T[], random: Random): T => list[random.nextInt(0, list.length - 1)]!;

/** One encrypted command from `user` to `contract`: a signed `push_contract_message`. */
export function sendCommand(world: World, users: readonly ContractUser[], user: ContractUser, contract: LiveContract, random: Random): void {
  const others = users.filter((u) => u !== user).map((u) => u.accountBytes);
  const command = contract.program.command(user.account.id, contract.owner, others.length > 0 ? others : [user.accountBytes], random);
  const payload = user.client.encryptedCommand(contract.publicKey, command);
  world.submit(user.account.name, user.account, pushContractMessageCall(contract.id, payload));
}

/** How one query went: answered, or why not; `host` is the worker asked (none when no worker was live). */
export type QueryOutcome = { readonly host: ClusterHost | undefined; readonly failure: string | undefined };

/** One encrypted, account-signed query from `user`, answered off-chain by a random live worker of the contract's cluster. */
export function askQuery(user: ContractUser, contract: LiveContract, random: Random): QueryOutcome {
  const live = contract.hosts.filter((h) => !h.exited && !h.host.down && !h.host.silent);
  if (live.length === 0) return { host: undefined, failure: `no live worker serves ${contract.id}` };
  const host = pick(live, random);
  const prepared = user.client.query(host.runtime.worker.pubkey, fromHex(contract.id, 'contract id', 32), contract.program.ownQuery(user.accountBytes), { kind: 'account', ttl: 10_000 });
  const reply = host.runtime.query(prepared.request);
  if (E.isLeft(reply)) return { host, failure: `${host.host.name} refused a query to ${contract.id}: ${reply.left._tag}` };
  const opened = prepared.open(reply.right);
  if (E.isLeft(opened)) return { host, failure: `${host.host.name}'s reply does not open: ${opened.left}` };
  try {
    const response = contract.program.decodeReply(opened.right.result);
    return { host, failure: response.tag === 'Error' ? `${contract.program.ref.name} answered with an error` : undefined };
  } catch (e) {
    return { host, failure: `${host.host.name}'s reply is not a ${contract.program.ref.name} reply: ${(e as Error).message}` };
  }
}
