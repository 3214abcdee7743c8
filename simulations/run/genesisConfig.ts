/**
 * A resolved scenario → the chain config block 0 is compiled from: chain parameters, endowments,
 * the subsidy pool's funding, and the genesis workers, gatekeepers and stake pools of the worker
 * groups marked `atGenesis`. Keys come from the caller (the enclave derives them); distributed
 * values come from a seeded Random (`genesisDraws.ts`), so one scenario and seed give one config.
 *
 * Choices the scenario format leaves open, made here:
 * * pool sets take their group's workers in order (pool set by pool set, pool by pool); only pool
 *   sets of `atGenesis` groups exist at genesis — the driver creates the others when their
 *   workers register;
 * * a worker in a pool of a `computing` group starts computing with its drawn stake, clamped to
 *   what the pallet accepts (at least `k·√P`, at most the stake whose initial V reaches `vMax`);
 *   a worker scoring below `minInitP` stays unstaked;
 * * when the stakers' contributions fall short of the pool's computing stake, the owner
 *   contributes the rest (endowed for it), so every configured worker can start;
 * * stakers are endowed twice their genesis contribution, keeping half for the workload.
 */
import type { GenesisPool, GenesisWorker, PhalaChainConfig } from '../../domain/chain';
import { productionComputationConfig } from '../../domain/chain/pallets/computationState';
import type { StakePoolConstants } from '../../domain/chain/pallets/stakePoolV2';
import { initialV, minimumStake } from '../../domain/economics';
import { fixedToBalance, PHA_UNITS } from '../../domain/fixed';
import type { Random } from '../../domain/ports/random';
import { seededRandom } from '../seededRandom';
import type { ResolvedScenario } from '../scenario/resolved.codec';
import { accountNames } from './accountNames';
import { drawContributions, drawGenesisWorkers, type GenesisWorkerDraw } from './genesisDraws';

/** What the caller provides: keys derived by the enclaves, accounts by name, attestation roots. */
export interface GenesisKeys {
  workerKeys(globalIndex: number): { readonly pubkey: string; readonly ecdhPubkey: string };
  gatekeeperKeys(i: number): { readonly pubkey: string; readonly ecdhPubkey: string };
  /** the account id of a named actor (`accountNames`) */
  account(name: string): string;
  /** the simulated attestation vendors' public keys */
  readonly trustedVendorKeys?: readonly Uint8Array[];
  /** measurements of the pRuntime builds the chain accepts */
  readonly pruntimeAllowList?: readonly Uint8Array[];
}

/** Genesis time of every simulated chain (2023-11-14T22:13:20Z): fixed, so a ledger depends only on scenario and seed. */
export const GENESIS_TIMESTAMP_MS = 1_700_000_000_000n;
/**
 * PHA endowed to each pool owner beyond any top-up, and each client. Relayers get nothing: the
 * chain charges no fees, so pherry's accounts need no balance — and not endowing them spares a
 * 20,000-worker genesis 20,000 key generations for accounts most of which sign their first
 * extrinsic hours later (the driver creates each when it first relays).
 */
export const OWNER_ENDOWMENT_PHA = 10_000n;
export const CLIENT_ENDOWMENT_PHA = 10_000n;

/** PHA (a float from a distribution) → units, to 10^-6 PHA. */
export const phaUnits = (pha: number): bigint => BigInt(Math.round(pha * 1e6)) * (PHA_UNITS / 1_000_000n);

/** The stake the pallet accepts nearest to `wanted`, or undefined when the score is too low to compute. */
export function acceptedStake(params: ResolvedScenario['chain']['tokenomic'], score: number, confidence: number, wanted: bigint, minInitP: number): bigint | undefined {
  if (score < minInitP) return undefined;
  const min = minimumStake(params, score);
  if (initialV(params, min, score, confidence) > params.vMax) return undefined;
  if (wanted <= min) return min;
  if (initialV(params, wanted, score, confidence) <= params.vMax) return wanted;
  let lo = min;
  let hi = wanted;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (initialV(params, mid, score, confidence) <= params.vMax) lo = mid;
    else hi = mid;
  }
  return lo;
}

function subsidyFunding(s: ResolvedScenario): bigint {
  // twice the whole run's budget: payouts never exceed the budget (the emission audit checks it)
  return 2n * BigInt(s.durationBlocks + 1) * fixedToBalance(s.chain.tokenomic.budgetPerBlock);
}

interface PoolPlan {
  readonly pools: GenesisPool[];
  readonly operators: Map<number, string>;
  readonly endowments: { who: string; amount: bigint }[];
}

function planPools(s: ResolvedScenario, keys: GenesisKeys, draws: Map<number, GenesisWorkerDraw>, contributions: number[][][]): PoolPlan {
  const plan: PoolPlan = { pools: [], operators: new Map(), endowments: [] };
  const cursor = new Map<string, number>();
  const minInitP = productionComputationConfig.minInitP;
  s.topology.pools.forEach((set, si) => {
    const group = s.topology.workerGroups.find((g) => g.name === set.workerGroup);
    if (group === undefined) throw new Error(`pool set ${set.name}: unknown worker group ${set.workerGroup}`);
    for (let p = 0; p < set.count; p++) {
      const owner = keys.account(accountNames.poolOwner(set.name, p));
      const stakers = contributions[si]![p]!.map((pha, j) => ({ who: keys.account(accountNames.staker(set.name, p, j)), amount: phaUnits(pha) }));
      if (!group.atGenesis) {
        plan.endowments.push({ who: owner, amount: OWNER_ENDOWMENT_PHA * PHA_UNITS }, ...stakers.map((x) => ({ who: x.who, amount: 2n * x.amount })));
        continue;
      }
      const first = cursor.get(group.name) ?? 0;
      if (first + set.workersPerPool > group.count) throw new Error(`pool set ${set.name}: worker group ${group.name} has ${group.count} workers, too few for its pools; lower workersPerPool or count`);
      cursor.set(group.name, first + set.workersPerPool);
      const workers = Array.from({ length: set.workersPerPool }, (_, k) => group.firstWorker + first + k);
      for (const w of workers) plan.operators.set(w, owner);
      const computing = group.computing
        ? workers.flatMap((w) => {
            const d = draws.get(w)!;
            const stake = acceptedStake(s.chain.tokenomic, d.initialScore, d.confidenceLevel, phaUnits(d.stakePha), minInitP);
            return stake === undefined ? [] : [{ worker: keys.workerKeys(w).pubkey, stake }];
          })
        : [];
      const need = computing.reduce((n, c) => n + c.stake, 0n);
      const have = stakers.reduce((n, x) => n + x.amount, 0n);
      const topUp = need > have ? need - have : 0n;
      const cap = set.capPha === null ? undefined : phaUnits(set.capPha);
      if (cap !== undefined && have + topUp > cap) throw new Error(`pool set ${set.name}: capPha ${set.capPha} cannot hold the genesis stake of pool ${p}; raise capPha`);
      const contributors = stakers.filter((x) => x.amount > 0n);
      if (topUp > 0n) contributors.push({ who: owner, amount: topUp });
      plan.endowments.push({ who: owner, amount: OWNER_ENDOWMENT_PHA * PHA_UNITS + topUp }, ...stakers.map((x) => ({ who: x.who, amount: 2n * x.amount })));
      plan.pools.push({
        owner,
        commissionPermill: set.commissionPermill,
        ...(cap === undefined ? {} : { cap }),
        workers: workers.map((w) => keys.workerKeys(w).pubkey),
        stakers: contributors,
        computing,
      });
    }
  });
  return plan;
}

function otherEndowments(s: ResolvedScenario, keys: GenesisKeys): { who: string; amount: bigint }[] {
  const out: { who: string; amount: bigint }[] = [];
  for (let c = 0; c < s.topology.clients; c++) out.push({ who: keys.account(accountNames.client(c)), amount: CLIENT_ENDOWMENT_PHA * PHA_UNITS });
  return out;
}

/**
 * The chain config of a run. `random` defaults to the scenario seed's `genesis` stream; pass the
 * run's own stream (`fork('genesis')`) when the driver holds one.
 */
export function genesisConfigOf(scenario: ResolvedScenario, keys: GenesisKeys, random: Random = seededRandom(scenario.seed, 'genesis')): PhalaChainConfig {
  const c = scenario.chain;
  const heartbeatSeedSalt = random.fork('heartbeat-seed-salt').bytes(32);
  const draws = drawGenesisWorkers(scenario, random);
  const byIndex = new Map(draws.map((d) => [d.globalIndex, d]));
  const plan = planPools(scenario, keys, byIndex, drawContributions(scenario, random));
  const genesisWorkers: GenesisWorker[] = draws.map((d) => {
    const operator = plan.operators.get(d.globalIndex);
    return { ...keys.workerKeys(d.globalIndex), ...(operator === undefined ? {} : { operator }), initialScore: d.initialScore, confidenceLevel: d.confidenceLevel };
  });
  return {
    chainName: `phalanet-${scenario.name}`,
    blockTimeMs: c.blockTimeMs,
    genesisTimestampMs: GENESIS_TIMESTAMP_MS,
    rootAccount: keys.account(accountNames.root),
    endowments: [...plan.endowments, ...otherEndowments(scenario, keys)],
    subsidyPoolFunding: subsidyFunding(scenario),
    registry: {
      ...(keys.trustedVendorKeys === undefined ? {} : { trustedVendorKeys: [...keys.trustedVendorKeys] }),
      // simulated relay chains have no genesis hash to allow-list
      verifyRelaychainGenesisBlockHash: false,
    },
    ...(keys.pruntimeAllowList === undefined ? {} : { pruntimeAllowList: keys.pruntimeAllowList }),
    benchmarkDuration: c.benchmarkDurationBlocks,
    computation: { expectedBlockTimeSec: Math.max(1, Math.round(c.blockTimeMs / 1000)), heartbeatSeedSalt },
    coolDownPeriodSec: c.coolDownPeriodSec,
    tokenomicParameters: c.tokenomic,
    heartbeatPaused: c.heartbeatsPaused,
    expectedHeartbeatCount: c.expectedHeartbeatCount,
    genesisWorkers,
    genesisGatekeepers: Array.from({ length: scenario.topology.gatekeepers.count }, (_, i) => keys.gatekeeperKeys(i)),
    genesisPools: plan.pools,
    stakePoolConstants: stakePoolConstantsOf(scenario),
  };
}

/**
 * The stake pool's runtime constants a scenario sets (the grace period, `MaxPoolWorkers`,
 * `MinContribution`): recorded in block 0 (`PhalaStakePoolv2.force_set_constants`), so that the
 * run and its replay build the same default runtime and read them from the ledger.
 */
export function stakePoolConstantsOf(scenario: ResolvedScenario): StakePoolConstants {
  const c = scenario.chain;
  return { gracePeriodSec: BigInt(c.gracePeriodSec), maxPoolWorkers: c.maxPoolWorkers, minContribution: phaUnits(c.minContributionPha) };
}
