/**
 * The scenario's contract clusters in a run (quickstart's "contract cluster with encrypted
 * commands and queries"). Each cluster's life, driven by chain state only:
 *
 * 1. governance sets the pink system code (once, for all clusters);
 * 2. at `createAtBlock`, once its workers are registered and the master key is on chain,
 *    governance adds the cluster with those workers (`add_cluster`); the gatekeepers dispatch its
 *    key and the workers deploy it (their cluster runtimes, `clusterHosts.ts`);
 * 3. once the cluster key is on chain, the deployer (the first client) uploads the programs and
 *    instantiates `contracts` contracts, alternating the shipped programs;
 * 4. once a contract's pubkey is on chain, the client actors send it encrypted commands and query
 *    it on their own schedules (`clusterActors.ts`, `clusterWorkload.ts`); each contract on each
 *    worker has its own contract actor.
 *
 * A submission that did not land is retried after `RETRY_BLOCKS` blocks.
 */
import { GatekeeperMasterPubkey, Workers } from '../../domain/chain/pallets/registryState';
import { ClusterByWorkers, ClusterKeys, ContractKeys, Contracts, PinkSystemCodeHash } from '../../domain/chain/pallets/phat.state';
import { fromHex } from '../../domain/codec/hex';
import { type ClusterId, ContractId, WorkerPubkey } from '../../domain/ids/ids';
import { instantiateProgramCall, programContractId, uploadProgramCall } from '../../enclave/contracts/contractCalls';
import type { ContractClient } from '../../enclave/contracts/contractClient';
import type { VerifiedBlockView } from '../../enclave/pruntime/blockView';
import { callOf, type SimAccount } from './accounts';
import { auditorClient, type ClusterHost, type ClusterSyncFacts, createClusterHosts, syncClusterHosts } from './clusterHosts';
import { programFor, type WorkloadProgram } from './clusterPrograms';
import { askQuery, contractUsers, type LiveContract, type QueryTally, sendCommand } from './clusterWorkload';
import { type ContractActors, hostClients, hostContracts } from './clusterActors';
import type { ActorSystem } from '../../actors/actorSystem';
import type { Clock } from '../../domain/ports/clock';
import type { WorkerHost } from './hosts';
import type { World } from './simulation';

const RETRY_BLOCKS = 5;
/** The pink system code governance installs (the simulated runtime only hashes it). */
const PINK_SYSTEM_CODE = new TextEncoder().encode('phalanet pink system v1');

interface PlannedContract {
  readonly program: WorkloadProgram;
  readonly salt: Uint8Array;
  id: string | undefined;
  live: LiveContract | undefined;
}

interface ClusterPlan {
  readonly name: string;
  readonly createAtBlock: number;
  readonly hosts: readonly ClusterHost[];
  readonly contracts: PlannedContract[];
  id: ClusterId | undefined;
}

/** What the clusters did in one block, for notes and the `contractsAgree` check. */
export interface ClusterBlockFacts extends ClusterSyncFacts {
  readonly commandsSent: number;
  readonly queriesAnswered: number;
  readonly queriesFailed: number;
}

/** Totals over the run. */
export interface ClusterTotals {
  clusters: number;
  contracts: number;
  commandsIncluded: number;
  commandsRefused: number;
  queriesAnswered: number;
  queriesFailed: number;
}

/** The run's closing log line about its clusters (`parseClusterTotals` reads it back). */
export const clusterTotalsLine = (t: ClusterTotals): string =>
  `contracts over the run: ${t.clusters} cluster(s), ${t.contracts} contract(s) live, ${t.commandsIncluded} command(s) included (${t.commandsRefused} refused), ${t.queriesAnswered} quer(ies) answered, ${t.queriesFailed} failed`;

/** Reads {@link clusterTotalsLine} back (tests, log readers); undefined for any other line. */
export function parseClusterTotals(line: string): ClusterTotals | undefined {
  const m = /^contracts over the run: (\d+) cluster\(s\), (\d+) contract\(s\) live, (\d+) command\(s\) included \((\d+) refused\), (\d+) quer\(ies\) answered, (\d+) failed$/.exec(line);
  if (m === null) return undefined;
  const [clusters, contracts, commandsIncluded, commandsRefused, queriesAnswered, queriesFailed] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { clusters, contracts, commandsIncluded, commandsRefused, queriesAnswered, queriesFailed };
}

/** The clusters of a run. */
export interface ClusterDriver {
  /** the governance, deployer and client submissions before block `world.block` is produced */
  act(): void;
  /** after the block: learns ids and keys from the chain, persists the actors, returns this block's facts */
  afterBlock(): Promise<ClusterBlockFacts>;
  readonly totals: ClusterTotals;
  /** the cluster side of a worker that serves a cluster and has not left it */
  hostOf(w: WorkerHost): ClusterHost | undefined;
  readonly contractActors: ContractActors;
  /** the client actors' addresses */
  readonly clientActors: readonly string[];
}

/** Creates the clusters' hosts and hooks their block processing into `world`; undefined when the scenario has none. */
export function createClusterDriver(world: World, system: ActorSystem, clock: Clock): ClusterDriver | undefined {
  if (world.scenario.topology.clusters.length === 0) return undefined;
  const random = world.random.fork('clusters');
  const hosts = createClusterHosts(world);
  const users = contractUsers(world, random.fork('users'));
  const deployer = users[0]?.account ?? world.root;
  const plans: ClusterPlan[] = world.scenario.topology.clusters.map((spec) => ({
    name: spec.name,
    createAtBlock: spec.createAtBlock,
    hosts: hosts.filter((h) => h.cluster === spec.name),
    contracts: Array.from({ length: spec.contracts }, (_, k) => ({ program: programFor(k), salt: new TextEncoder().encode(`${spec.name}/${k}`), id: undefined, live: undefined })),
    id: undefined,
  }));
  const auditor: ContractClient = auditorClient(random);
  const workload = random.fork('workload');
  const submitted = new Map<string, number>();
  const due = (key: string) => {
    const last = submitted.get(key);
    if (last !== undefined && world.block - last < RETRY_BLOCKS) return false;
    submitted.set(key, world.block);
    return true;
  };
  const totals: ClusterTotals = { clusters: 0, contracts: 0, commandsIncluded: 0, commandsRefused: 0, queriesAnswered: 0, queriesFailed: 0 };
  let synced: ClusterSyncFacts = { commands: 0, refused: 0, digests: [] };
  let commandsSent = 0;
  let queries: QueryTally = { answered: 0, failed: 0, firstFailure: undefined };
  const contractActors = hostContracts(world, system);
  world.blockHooks.push((view: VerifiedBlockView) => {
    synced = syncClusterHosts(world, hosts, view, auditor, (h, out) => contractActors.onHostBlock(h, view, out));
  });
  const live = () => plans.flatMap((p) => p.contracts.flatMap((c) => (c.live === undefined ? [] : [c.live])));
  const clients = hostClients(world, system, clock, workload, users, live, {
    command: (user, contract, r) => {
      sendCommand(world, users, user, contract, r);
      commandsSent++;
    },
    query: (user, contract, r) => {
      const outcome = askQuery(user, contract, r);
      if (outcome.host !== undefined) contractActors.onQuery(outcome.host, contract.id, outcome.failure);
      if (outcome.failure === undefined) queries.answered++;
      else {
        queries.failed++;
        queries.firstFailure ??= outcome.failure;
      }
    },
  });
  const byWorker = new Map(hosts.map((h) => [h.host, h]));
  return {
    totals,
    contractActors,
    clientActors: clients.addresses,
    hostOf: (w) => {
      const h = byWorker.get(w);
      return h === undefined || h.exited ? undefined : h;
    },
    act() {
      if (PinkSystemCodeHash.get(world.chain.storage) === undefined) {
        if (due('pink-system-code')) world.governance(callOf('PhalaPhatContracts', 'setPinkSystemCode', { code: PINK_SYSTEM_CODE }));
        return;
      }
      for (const plan of plans) actCluster(world, plan, deployer, due);
    },
    async afterBlock() {
      for (const plan of plans) learn(world, plan, deployer, totals);
      await contractActors.afterBlock();
      await clients.afterBlock();
      totals.commandsIncluded += synced.commands;
      totals.commandsRefused += synced.refused;
      totals.queriesAnswered += queries.answered;
      totals.queriesFailed += queries.failed;
      if (synced.commands > 0 || queries.failed > 0) {
        const failure = queries.firstFailure === undefined ? '' : ` (first failure: ${queries.firstFailure})`;
        world.note(`contracts: ${synced.commands} command(s) included (${synced.refused} refused), ${queries.answered} quer(ies) answered, ${queries.failed} failed${failure}`);
      }
      const facts = { ...synced, commandsSent, queriesAnswered: queries.answered, queriesFailed: queries.failed };
      commandsSent = 0;
      queries = { answered: 0, failed: 0, firstFailure: undefined };
      return facts;
    },
  };
}

/** Governance adds the cluster when it can; the deployer instantiates what is not on chain yet. */
function actCluster(world: World, plan: ClusterPlan, deployer: SimAccount, due: (key: string) => boolean): void {
  const s = world.chain.storage;
  if (plan.id === undefined) {
    if (world.block < plan.createAtBlock || GatekeeperMasterPubkey.get(s) === undefined) return;
    if (plan.hosts.some((h) => Workers.get(s, h.host.pubkeyHex) === undefined)) return;
    if (!due(`add-cluster/${plan.name}`)) return;
    world.note(`governance adds cluster ${plan.name} with ${plan.hosts.map((h) => h.host.name).join(', ')}`);
    world.governance(
      callOf('PhalaPhatContracts', 'addCluster', {
        owner: deployer.id,
        permission: { tag: 'Public', value: undefined },
        deployWorkers: plan.hosts.map((h) => h.host.pubkeyHex),
        deposit: 0n,
        gasPrice: 0n,
        depositPerItem: 0n,
        depositPerByte: 0n,
        treasuryAccount: deployer.id,
      }),
    );
    return;
  }
  if (ClusterKeys.get(s, plan.id) === undefined) return;
  for (const c of plan.contracts) {
    if (c.id !== undefined && Contracts.get(s, ContractId.parse(c.id)) !== undefined) continue;
    if (!due(`instantiate/${plan.name}/${toText(c.salt)}`)) continue;
    c.id = programContractId(deployer.id, plan.id, c.program.ref, c.salt);
    world.submit(deployer.name, deployer, uploadProgramCall(plan.id, c.program.ref));
    world.submit(deployer.name, deployer, instantiateProgramCall(plan.id, c.program.ref, c.program.init(world.scenario.durationBlocks), c.salt));
  }
}

/** Reads the cluster id, and the contracts whose pubkeys landed, off the chain. */
function learn(world: World, plan: ClusterPlan, deployer: SimAccount, totals: ClusterTotals): void {
  const s = world.chain.storage;
  const first = plan.hosts[0];
  if (plan.id === undefined && first !== undefined) {
    plan.id = ClusterByWorkers.get(s, WorkerPubkey.parse(first.host.pubkeyHex));
    if (plan.id !== undefined) {
      totals.clusters++;
      world.note(`cluster ${plan.name} created on chain as ${plan.id}`);
    }
  }
  for (const c of plan.contracts) {
    if (c.id === undefined || c.live !== undefined) continue;
    const key = ContractKeys.get(s, ContractId.parse(c.id));
    if (key === undefined) continue;
    c.live = { id: c.id, program: c.program, owner: deployer.id, publicKey: fromHex(key, 'contract key', 32), hosts: plan.hosts };
    totals.contracts++;
    world.note(`contract ${c.program.ref.name} ${c.id} instantiated in ${plan.name}; its pubkey is on chain`);
  }
}

const toText = (b: Uint8Array) => new TextDecoder().decode(b);
