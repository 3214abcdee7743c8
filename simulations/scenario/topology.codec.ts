/** The `topology` section: what exists, counted, with distributions of per-worker values. */
import * as t from 'io-ts';
import { refine, strict } from './combinators';
import { distribution } from './distribution.codec';
import { Bool, CommissionPercent, ConfidenceLevel, MIN_CONTRIBUTION_PHA, Name, NonNegative, NonNegativeInt, PoolWorkerCount, PositiveInt } from './values.codec';

const ContributionPha = refine<typeof NonNegative, { readonly ContributionPha: unique symbol }>(
  NonNegative,
  `an amount of PHA of at least ${MIN_CONTRIBUTION_PHA} (MinContribution)`,
  (n) => (n >= MIN_CONTRIBUTION_PHA ? undefined : `must be at least ${MIN_CONTRIBUTION_PHA} PHA, Phala's MinContribution (got ${n})`),
  { minimum: MIN_CONTRIBUTION_PHA },
);

const Score = refine<typeof NonNegative, { readonly Score: unique symbol }>(
  NonNegative,
  'a score from 0 to 6000',
  (n) => (Number.isSafeInteger(n) && n <= 6000 ? undefined : `must be an integer score from 0 to 6000 (got ${n})`),
  { type: 'integer', maximum: 6000 },
);

/** The gatekeepers: how many at genesis, when more join, when the master key rotates */
export const GatekeepersSection = strict(
  'gatekeepers',
  { count: PositiveInt },
  { joinAtBlocks: t.array(NonNegativeInt, 'a list of block numbers'), rotateMasterKeyAtBlocks: t.array(NonNegativeInt, 'a list of block numbers') },
  {
    count: 'gatekeepers at genesis, at least 1 (the first one launches the master key)',
    joinAtBlocks: 'blocks at which one more gatekeeper registers and receives the master key',
    rotateMasterKeyAtBlocks: 'blocks at which governance rotates the master key',
  },
);

/** A group of workers that share their distributions */
export const WorkerGroup = strict(
  'a worker group',
  { name: Name, count: NonNegativeInt },
  {
    atGenesis: Bool,
    registerAtBlock: NonNegativeInt,
    computing: Bool,
    initialScore: distribution('score', Score, true),
    confidenceLevel: distribution('confidence level', ConfidenceLevel, false),
    cpuSpeedIterationsPerSec: distribution('CPU speed', NonNegative, true),
    stakePha: distribution('stake in PHA', NonNegative, true),
  },
  {
    name: 'name other sections use to refer to this group',
    count: 'number of workers',
    atGenesis: 'already registered, benchmarked and (if computing) computing at genesis (default false)',
    registerAtBlock: 'block at which the group registers with an attestation, when not at genesis (default 1)',
    computing: 'start computing once benchmarked (default true)',
    initialScore: 'benchmark score of workers present at genesis, 0–6000 (default: 6 × CPU speed, at most 6000)',
    confidenceLevel: 'attestation confidence level; 128 means no attestation (default fixed 1)',
    cpuSpeedIterationsPerSec: 'benchmark iterations per second (default fixed 350, a score of 2100)',
    stakePha: 'stake per worker when it starts computing, PHA (default fixed 10000)',
  },
);

/** Stakers of each pool and what they contribute */
export const StakersSection = strict(
  'stakers',
  { perPool: NonNegativeInt, contributionPha: distribution('contribution in PHA', ContributionPha, true) },
  {},
  { perPool: 'stakers per pool at genesis', contributionPha: 'each staker’s first contribution, at least MinContribution 0.01 PHA' },
);

/** A set of identical stake pools, each owned by its own account */
export const PoolSet = strict(
  'a set of stake pools',
  { name: Name, workerGroup: Name, workersPerPool: PoolWorkerCount },
  { count: PositiveInt, commissionPercent: CommissionPercent, capPha: NonNegative, stakers: StakersSection },
  {
    name: 'name of this set of pools',
    workerGroup: 'worker group whose workers the pools take (in order, without sharing)',
    workersPerPool: 'workers added to each pool, at most MaxPoolWorkers (200)',
    count: 'number of pools, each with its own owner (default 1)',
    commissionPercent: 'owner’s payout commission in percent (default 0)',
    capPha: 'pool capacity in PHA (default none)',
    stakers: 'stakers of each pool (default none)',
  },
);

/** A contract cluster and its workers */
export const ClusterSpec = strict(
  'a contract cluster',
  { name: Name, workerGroup: Name, workers: PositiveInt },
  { contracts: NonNegativeInt, createAtBlock: NonNegativeInt },
  {
    name: 'name of the cluster',
    workerGroup: 'worker group the cluster workers come from',
    workers: 'workers that join the cluster',
    contracts: 'contracts instantiated in the cluster (default 1)',
    createAtBlock: 'block at which the cluster is created (default 1)',
  },
);

/** The `topology` section */
export const TopologySection = strict(
  'topology',
  { gatekeepers: GatekeepersSection, workerGroups: t.array(WorkerGroup, 'a list of worker groups') },
  { pools: t.array(PoolSet, 'a list of pool sets'), clusters: t.array(ClusterSpec, 'a list of clusters'), clients: NonNegativeInt },
  {
    gatekeepers: 'gatekeepers, their joins and master-key rotations',
    workerGroups: 'groups of workers with their distributions',
    pools: 'stake pools, with owners and stakers (default none)',
    clusters: 'contract clusters (default none)',
    clients: 'client accounts that send contract commands and queries (default 0)',
  },
);
/** The decoded `topology` section */
export type TopologySection = t.TypeOf<typeof TopologySection>;
