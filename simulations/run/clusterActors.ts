/**
 * The clusters' actors in a run, hosted by the run's actor system on the virtual clock:
 *
 * * one contract actor (`actors/contract.machine.ts`) per contract per worker of its cluster,
 *   spawned when the worker's cluster side first hosts the contract; told once per block with
 *   commands to it (`COMMAND_BATCH`, never once per command), per query it answered or refused,
 *   when the worker sealed its state (a crash checkpoint) and when it left the cluster; it lives
 *   in its worker's process, so when the worker crashes it crashes too — after the seal is
 *   persisted — and its supervisor restores it from that snapshot;
 * * one client actor (`actors/client.machine.ts`) per scenario client: its own seeded Poisson
 *   schedule (the scenario's contract command and query rates, shared among the clients) decides
 *   when it sends a command or asks a query; the driver only turns each intent into the call.
 *
 * Snapshots of the actors an event reached, and of the clients that sent something, are persisted
 * once per block (`afterBlock`).
 */
import type { ActorKind, ActorSystem } from '../../actors/actorSystem';
import { type ClientIntent, clientMachine } from '../../actors/client.machine';
import { type ContractEvent, contractMachine } from '../../actors/contract.machine';
import type { Clock } from '../../domain/ports/clock';
import type { Random } from '../../domain/ports/random';
import type { ClusterBlockOutput } from '../../enclave/pruntime/clusterRuntime';
import type { VerifiedBlockView } from '../../enclave/pruntime/blockView';
import { decodeClusterInbound } from '../../enclave/pruntime/clusterInbound';
import { GENESIS_TIMESTAMP_MS } from './genesisConfig';
import type { ClusterHost } from './clusterHosts';
import type { ContractUser, LiveContract } from './clusterWorkload';
import type { World } from './simulation';

const CONTRACT: ActorKind = { kind: 'contract', machine: contractMachine, maxRestarts: 3, backoffMs: (n) => n * 100 };

/** The contract actors of every cluster worker. */
export interface ContractActors {
  /** what `h` did with block `view`: contracts it now hosts, commands it ran, whether it left */
  onHostBlock(h: ClusterHost, view: VerifiedBlockView, out: ClusterBlockOutput): void;
  /** a query to `contractId` at `h` was answered (failure undefined) or refused */
  onQuery(h: ClusterHost, contractId: string, failure: string | undefined): void;
  /** `h` sealed its cluster checkpoint (a crash) after `block`: its contract actors crash with it */
  onSealed(h: ClusterHost, block: number): void;
  /** persists the actors something happened to this block, then crashes those whose worker crashed */
  afterBlock(): Promise<void>;
  /** the address of the actor of `contractId` on `h` */
  address(h: ClusterHost, contractId: string): string;
}

/** Creates the contract actors' host (they are spawned as contracts appear). */
export function hostContracts(world: World, system: ActorSystem): ContractActors {
  const spawned = new Map<ClusterHost, Set<string>>();
  const dirty = new Set<string>();
  /** actors whose worker crashed this block: they go down once their seal is persisted */
  const crashing = new Map<string, string>();
  const id = (h: ClusterHost, contractId: string) => `${h.host.name}-${contractId}`;
  const address = (h: ClusterHost, contractId: string) => `${CONTRACT.kind}-${id(h, contractId)}`;
  const send = (addr: string, event: ContractEvent) => {
    system.send(addr, event);
    dirty.add(addr);
  };
  return {
    address,
    onHostBlock(h, view, out) {
      let mine = spawned.get(h);
      if (mine === undefined) spawned.set(h, (mine = new Set()));
      const cluster = h.runtime.cluster();
      for (const c of h.runtime.contracts()) {
        if (mine.has(c.contractId) || cluster === undefined) continue;
        mine.add(c.contractId);
        system.spawn(CONTRACT, id(h, c.contractId), { contractId: c.contractId, clusterId: `0x${Buffer.from(cluster.id).toString('hex')}`, workerId: h.host.name, codeHash: c.codeHash });
        send(address(h, c.contractId), { type: 'INSTANTIATED', block: view.number });
      }
      const commands = commandsByContract(view);
      for (const [contractId, count] of commands) {
        if (!mine.has(contractId)) continue;
        const refused = out.rejected.filter((r) => r.reason === 'CommandRejected' && r.detail.startsWith(`${contractId}:`)).length;
        send(address(h, contractId), { type: 'COMMAND_BATCH', block: view.number, count, refused });
      }
      if (out.exitRequired) for (const contractId of mine) send(address(h, contractId), { type: 'STOPPED', block: view.number, reason: `${h.host.name} left cluster ${h.cluster}` });
    },
    onQuery(h, contractId, failure) {
      if (!spawned.get(h)?.has(contractId)) return;
      const block = world.block - 1;
      send(address(h, contractId), failure === undefined ? { type: 'QUERY_ANSWERED', block } : { type: 'QUERY_REFUSED', block, reason: failure });
    },
    onSealed(h, block) {
      for (const contractId of spawned.get(h) ?? []) {
        send(address(h, contractId), { type: 'STATE_SEALED', block });
        crashing.set(address(h, contractId), `its worker ${h.host.name} crashed (sealed at block ${block})`);
      }
    },
    async afterBlock() {
      for (const addr of dirty) await system.persist(addr);
      dirty.clear();
      for (const [addr, reason] of crashing) system.crash(addr, reason);
      crashing.clear();
    },
  };
}

/** Commands per contract in a block (the same for every worker of its cluster). */
function commandsByContract(view: VerifiedBlockView): Map<string, number> {
  const out = new Map<string, number>();
  for (const { message } of view.messages) {
    const inbound = decodeClusterInbound(message);
    if (inbound?.kind === 'command') out.set(inbound.contractIdHex, (out.get(inbound.contractIdHex) ?? 0) + 1);
  }
  return out;
}

/** What a client intent asks the driver to do. */
export interface ClientIntentHandler {
  command(user: ContractUser, contract: LiveContract, random: Random): void;
  query(user: ContractUser, contract: LiveContract, random: Random): void;
}

/**
 * Spawns one client actor per contract user, each on its own seeded schedule; `live()` lists the
 * contracts a client can know of (pubkey on chain). Intents with no live contract yet are dropped.
 */
export function hostClients(
  world: World,
  system: ActorSystem,
  clock: Clock,
  random: Random,
  users: readonly ContractUser[],
  live: () => readonly LiveContract[],
  handler: ClientIntentHandler,
): { addresses: string[]; afterBlock(): Promise<void> } {
  const dirty = new Set<string>();
  const afterBlock = async () => {
    for (const addr of dirty) await system.persist(addr);
    dirty.clear();
  };
  if (users.length === 0) return { addresses: [], afterBlock };
  const w = world.scenario.workload;
  const rates = { contributionsPerBlock: 0, withdrawalsPerBlock: 0, contractCommandsPerBlock: w.contractCommandsPerBlock / users.length, contractQueriesPerBlock: w.contractQueriesPerBlock / users.length };
  const blockTimeMs = world.scenario.chain.blockTimeMs;
  const stopAtMs = Number(GENESIS_TIMESTAMP_MS) + world.scenario.durationBlocks * blockTimeMs;
  const addresses = users.map((user) => {
    const own = random.fork(user.account.name);
    const addr = `client-${user.account.name.replace('/', '-')}`;
    const onIntent = (intent: ClientIntent) => {
      // its schedule moved on: the snapshot is persisted after the block
      dirty.add(addr);
      const contracts = live();
      if (contracts.length === 0) return;
      const contract = contracts[intent.pick % contracts.length]!;
      const r = own.fork(`intent/${intent.sequence}`);
      if (intent.kind === 'contractCommand') handler.command(user, contract, r);
      else if (intent.kind === 'contractQuery') handler.query(user, contract, r);
    };
    const machine = clientMachine({ clock, random: own.fork('schedule') }).provide({ actions: { submit: (_, intent: ClientIntent) => onIntent(intent) } });
    const kind: ActorKind = { kind: 'client', machine, maxRestarts: 3, backoffMs: (n) => n * 100 };
    system.spawn(kind, user.account.name.replace('/', '-'), { clientId: user.account.name, rates, blockTimeMs, startAtMs: clock.now(), stopAtMs });
    dirty.add(addr);
    return addr;
  });
  return { addresses, afterBlock };
}
