/**
 * The people of a scenario acting on the chain, block by block: operators registering their
 * workers with an attestation, governance registering gatekeepers and rotating the master key,
 * pool owners creating pools, adding benchmarked workers and starting them, stakers contributing
 * and withdrawing. Each acts on what the chain state says (never on what it hopes it said), and
 * re-tries a submission that did not land after `RETRY_BLOCKS` blocks.
 */
import { Gatekeeper, GatekeeperLaunchedAt, GatekeeperMasterPubkey, MasterKeyRotationLock, Workers } from '../../domain/chain/pallets/registryState';
import { Sessions, WorkerBindings } from '../../domain/chain/pallets/computationState';
import { Pools } from '../../domain/chain/pallets/poolStorage';
import { WphaBalances } from '../../domain/chain/pallets/wrappedBalances.pallet';
import type { Random } from '../../domain/ports/random';
import type { RuntimeEvent, Tagged } from '../../domain/runtime/types';
import { createRegistration } from '../../enclave/pruntime/registration';
import { type SimAccount, callOf } from './accounts';
import { PARA_ID, relaychainGenesisHash } from './chainSetup';
import { poissonCount } from './draw';
import { accountNames } from './accountNames';
import { drawContributions } from './genesisDraws';
import { PRUNTIME_BUILD, type HostEnvironment, type WorkerHost } from './hosts';
import type { World } from './simulation';

/**
 * What the scenario's actors read and do: the chain as it stands, the hosts, the accounts, and
 * submissions. The simulation's `World` is one; a cluster's workload role builds another over its
 * node's copy of the chain and Kafka.
 */
export type ActingWorld = Pick<World, 'scenario' | 'chain' | 'workers' | 'gatekeepers' | 'account' | 'block' | 'submit' | 'governance' | 'note'>;
import type { WorkerFleet } from './workerFleet';

const PHA = 10n ** 12n;
const RETRY_BLOCKS = 5;
const QUOTE_STATUS: Record<number, string> = { 1: 'OK', 2: 'SW_HARDENING_NEEDED', 3: 'CONFIGURATION_NEEDED', 5: 'GROUP_OUT_OF_DATE' };

/** One stake pool of the topology. */
interface PoolPlan {
  readonly name: string;
  readonly owner: SimAccount;
  readonly commissionPermill: number;
  readonly capPha: number | null;
  readonly workers: WorkerHost[];
  /**
   * Workers the owner still has to add or start: one whose session computes leaves for good (the
   * driver never stops a session), so the per-block pass costs what is pending, not the pool's size.
   */
  pending: WorkerHost[];
  readonly stakers: { account: SimAccount; contributionPha: number }[];
  pid: bigint | undefined;
  configured: boolean;
  contributed: boolean;
}

/** The plan and memory of the scenario's actors. */
export interface Actors {
  readonly pools: PoolPlan[];
  /** last block each (actor, intent) was submitted, to retry what did not land */
  readonly submitted: Map<string, number>;
  readonly random: Random;
  readonly env: HostEnvironment;
  /** the worker hosts' lifecycle actors: they decide when to (re-)submit a registration */
  fleet: WorkerFleet | undefined;
  /** workers not yet registered on chain (registration is for good: the driver never unregisters) */
  unregistered: WorkerHost[];
}

/**
 * The topology's pools with the accounts and first contributions `genesisConfigOf` endowed (same
 * names, same draws). Pools of a group present at genesis were created, funded and started in
 * block 0 (pid = their order there); the others are created by their owners once the chain runs.
 * Workers go to pools in group order, without sharing.
 */
export function planActors(world: ActingWorld, env: HostEnvironment, random: Random, genesisRandom: Random): Actors {
  const pools: PoolPlan[] = [];
  const contributions = drawContributions(world.scenario, genesisRandom);
  const cursor = new Map<string, number>();
  let genesisPid = 0n;
  world.scenario.topology.pools.forEach((set, si) => {
    const group = world.scenario.topology.workerGroups.find((g) => g.name === set.workerGroup);
    const members = world.workers.filter((w) => w.group === set.workerGroup);
    for (let p = 0; p < set.count; p++) {
      const first = cursor.get(set.workerGroup) ?? 0;
      cursor.set(set.workerGroup, first + set.workersPerPool);
      const workers = members.slice(first, first + set.workersPerPool);
      const stakers = (contributions[si]?.[p] ?? []).map((contributionPha, j) => ({ account: world.account(accountNames.staker(set.name, p, j)), contributionPha }));
      const atGenesis = group?.atGenesis === true;
      const plan: PoolPlan = {
        name: `${set.name}-${p + 1}`,
        owner: world.account(accountNames.poolOwner(set.name, p)),
        commissionPermill: set.commissionPermill,
        capPha: set.capPha,
        workers,
        pending: [...workers],
        stakers,
        pid: atGenesis ? genesisPid++ : undefined,
        configured: atGenesis,
        contributed: atGenesis,
      };
      for (const w of workers) w.pool = pools.length;
      pools.push(plan);
    }
  });
  return { pools, submitted: new Map(), random: random.fork('workload'), env, fleet: undefined, unregistered: [...world.workers] };
}

/** The account that registers a worker: its pool's owner (Phala requires operator = owner), else its operator. */
export const operatorOf = (actors: Actors, w: WorkerHost): SimAccount => (w.pool === undefined ? w.operator : actors.pools[w.pool]!.owner);

function due(actors: Actors, key: string, block: number): boolean {
  const last = actors.submitted.get(key);
  if (last !== undefined && block - last < RETRY_BLOCKS) return false;
  actors.submitted.set(key, block);
  return true;
}

/** `register_worker_v2` for a host, signed by `operator`, with a quote at the head's time. */
export function registerWorker(world: ActingWorld, actors: Actors, host: { name: string; runtime: WorkerHost['runtime']; platform: WorkerHost['platform'] }, operator: SimAccount, confidenceLevel: number): void {
  const params = {
    operator: Buffer.from(operator.id.slice(2), 'hex'),
    paraId: PARA_ID,
    genesisBlockHash: relaychainGenesisHash(world.chain.spec.chainName),
    version: 2,
    maxConsensusVersion: 1,
  };
  const build = { measurement: actors.env.measurement, isvProdId: PRUNTIME_BUILD.isvProdId, isvSvn: PRUNTIME_BUILD.isvSvn, mrSigner: actors.env.mrSigner };
  const nowSecs = world.chain.head.timestamp / 1000n;
  const reg = createRegistration(host.runtime, host.platform, build, params, nowSecs, QUOTE_STATUS[confidenceLevel] ?? 'OK');
  const attestation = confidenceLevel === 128 ? undefined : reg.attestation;
  world.submit(host.name, operator, callOf('PhalaRegistry', 'register_worker_v2', { pruntimeInfo: reg.info, attestation }));
}

/** Everything the actors do before block `world.block` is produced. */
export function act(world: ActingWorld, actors: Actors): void {
  const n = world.block;
  const s = world.chain.storage;
  // workers register with an attestation once the gatekeepers have launched: the chain binds only
  // workers registered after the launch (`is_worker_registered_after_gk_launched`)
  const launched = GatekeeperLaunchedAt.get(s) !== undefined;
  if (launched && actors.unregistered.length > 0) {
    actors.unregistered = actors.unregistered.filter((w) => Workers.get(s, w.pubkeyHex) === undefined);
    for (const w of actors.unregistered) {
      if (w.down || n < Math.max(1, w.registerAtBlock)) continue;
      // the worker's lifecycle actor submits the registration and retries it on its own timer
      actors.fleet?.start(w, n - 1);
    }
  }
  for (const g of world.gatekeepers) {
    if (g.down || n < Math.max(1, g.joinAtBlock - 5)) continue;
    if (Workers.get(s, g.pubkeyHex) === undefined) {
      if (due(actors, `register/${g.name}`, n)) registerWorker(world, actors, { name: g.name, runtime: g.worker, platform: g.platform }, g.operator, 1);
      continue;
    }
    const list = Gatekeeper.get(s);
    if (list.includes(g.pubkeyHex) || n < g.joinAtBlock || MasterKeyRotationLock.get(s) !== undefined) continue;
    if (list.length > 0 && GatekeeperMasterPubkey.get(s) === undefined) continue;
    if (due(actors, `gatekeeper/${g.name}`, n)) {
      world.note(`governance registers ${g.name} as a gatekeeper`);
      world.governance(callOf('PhalaRegistry', 'register_gatekeeper', { gatekeeper: g.pubkeyHex }));
    }
  }
  if (world.scenario.topology.gatekeepers.rotateMasterKeyAtBlocks.includes(n)) {
    world.note('governance rotates the master key');
    world.governance(callOf('PhalaRegistry', 'rotate_master_key', undefined));
  }
  for (const plan of actors.pools) actPool(world, actors, plan);
  workload(world, actors);
}

function actPool(world: ActingWorld, actors: Actors, plan: PoolPlan): void {
  const n = world.block;
  const s = world.chain.storage;
  const sp = (tag: string, value: unknown): RuntimeEvent => callOf('PhalaStakePoolv2', tag, value);
  if (plan.pid === undefined) {
    if (due(actors, `create/${plan.name}`, n)) world.submit(plan.owner.name, plan.owner, sp('create', {}));
    return;
  }
  const pid = plan.pid;
  if (!plan.configured) {
    plan.configured = true;
    world.submit(plan.owner.name, plan.owner, sp('set_payout_pref', { pid, payoutCommission: plan.commissionPermill }));
    if (plan.capPha !== null) world.submit(plan.owner.name, plan.owner, sp('set_cap', { pid, cap: BigInt(Math.round(plan.capPha)) * PHA }));
  }
  if (!plan.contributed) {
    plan.contributed = true;
    for (const st of plan.stakers) {
      if (st.contributionPha <= 0) continue;
      const amount = BigInt(Math.round(st.contributionPha * 1e6)) * 1_000_000n;
      world.submit(st.account.name, st.account, callOf('PhalaWrappedBalances', 'wrap', { amount }));
      world.submit(st.account.name, st.account, sp('contribute', { pid, amount, asVault: undefined }));
    }
  }
  if (plan.pending.length === 0) return;
  const pool = Pools.get(s, pid);
  if (pool?.tag !== 'StakePool') return;
  const inPool = new Set(pool.value.workers);
  let free = WphaBalances.get(s, pool.value.basepool.poolAccountId) ?? 0n;
  const still: WorkerHost[] = [];
  for (const w of plan.pending) {
    const info = Workers.get(s, w.pubkeyHex);
    if (info?.initialScore === undefined || w.down) {
      still.push(w);
      continue;
    }
    if (!inPool.has(w.pubkeyHex)) {
      if (due(actors, `add/${w.name}`, n)) world.submit(plan.owner.name, plan.owner, sp('add_worker', { pid, pubkey: w.pubkeyHex }));
      still.push(w);
      continue;
    }
    const session = WorkerBindings.get(s, w.pubkeyHex);
    const state = session === undefined ? undefined : Sessions.get(s, session)?.state;
    if (!w.computes || (state !== undefined && state !== 'Ready')) continue; // placed for good
    still.push(w);
    const stake = BigInt(Math.round(w.stakePha)) * PHA;
    if (state !== 'Ready' || free < stake) continue;
    if (due(actors, `start/${w.name}`, n)) {
      free -= stake;
      world.submit(plan.owner.name, plan.owner, sp('start_computing', { pid, worker: w.pubkeyHex, stake }));
    }
  }
  plan.pending = still;
}

function workload(world: ActingWorld, actors: Actors): void {
  const w = world.scenario.workload;
  const stakers = actors.pools.filter((p) => p.pid !== undefined).flatMap((p) => p.stakers.map((st) => ({ st, pid: p.pid! })));
  if (stakers.length === 0) return;
  const r = actors.random;
  for (let i = poissonCount(w.contributionsPerBlock, r); i > 0; i--) {
    const { st, pid } = stakers[r.nextInt(0, stakers.length - 1)]!;
    const amount = BigInt(r.nextInt(1, 1000)) * PHA;
    world.submit(st.account.name, st.account, callOf('PhalaWrappedBalances', 'wrap', { amount }));
    world.submit(st.account.name, st.account, callOf('PhalaStakePoolv2', 'contribute', { pid, amount, asVault: undefined }));
  }
  for (let i = poissonCount(w.withdrawalsPerBlock, r); i > 0; i--) {
    const { st, pid } = stakers[r.nextInt(0, stakers.length - 1)]!;
    const shares = BigInt(r.nextInt(1, 2000)) * PHA;
    world.submit(st.account.name, st.account, callOf('PhalaStakePoolv2', 'withdraw', { pid, shares, asVault: undefined }));
  }
}

/**
 * Learns from past blocks what the actors did before (a cluster's workload role taking over
 * mid-run): a pool whose commission was set is configured, one a planned staker contributed to
 * is funded — neither is done again. Pool ids come from `observePools` on the same events.
 */
export function observeHistory(actors: Actors, events: readonly RuntimeEvent[]): void {
  for (const e of events) {
    if (e.tag !== 'PhalaStakePoolv2') continue;
    const { tag, value } = e.value as Tagged;
    const v = value as { pid: bigint; user?: string };
    const plan = actors.pools.find((p) => p.pid === v.pid);
    if (plan === undefined) continue;
    if (tag === 'PoolCommissionSet') plan.configured = true;
    else if (tag === 'Contribution' && plan.stakers.some((st) => st.account.id === v.user)) plan.contributed = true;
  }
}

/** Learns pool ids from `PoolCreated` events. */
export function observePools(actors: Actors, events: readonly RuntimeEvent[]): void {
  for (const e of events) {
    if (e.tag !== 'PhalaStakePoolv2' || (e.value as Tagged).tag !== 'PoolCreated') continue;
    const v = (e.value as Tagged).value as { owner: string; pid: bigint };
    const plan = actors.pools.find((p) => p.owner.id === v.owner && p.pid === undefined);
    if (plan !== undefined) plan.pid = v.pid;
  }
}
