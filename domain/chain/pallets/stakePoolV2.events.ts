/**
 * The events of StakePool v2 (`stake_pool_v2.rs`): Phala's, plus `PoolWorkerCoolingDown` (Phala
 * adds the worker to `cd_workers` without an event of its own). Shared by the pallet and its logic.
 */
import { Enum, Option, Struct, u32, u64, u128, type CodecType } from 'scale-ts';
import { AccountId } from '../../runtime/codecs';
import type { DispatchContext, Tagged } from '../../runtime/types';
import { STAKE_POOL, WorkerPubkey } from './poolStorage';

const PidWorker = Struct({ pid: u64, worker: WorkerPubkey });
const PidAmount = Struct({ pid: u64, amount: u128 });
/** StakePool v2 events, Phala's fields (commission in parts per million). */
export const StakePoolEvent = Enum({
  PoolCreated: Struct({ owner: AccountId, pid: u64, cid: u32, poolAccountId: AccountId }),
  PoolCommissionSet: Struct({ pid: u64, commission: u32 }),
  PoolCapacitySet: Struct({ pid: u64, cap: u128 }),
  PoolWorkerAdded: Struct({ pid: u64, worker: WorkerPubkey, session: AccountId }),
  Contribution: Struct({ pid: u64, user: AccountId, amount: u128, shares: u128, asVault: Option(u64) }),
  OwnerRewardsWithdrawn: Struct({ pid: u64, user: AccountId, amount: u128 }),
  PoolSlashed: PidAmount,
  SlashSettled: Struct({ pid: u64, user: AccountId, amount: u128 }),
  RewardDismissedNotInPool: Struct({ worker: WorkerPubkey, amount: u128 }),
  RewardDismissedNoShare: PidAmount,
  RewardDismissedDust: PidAmount,
  PoolWorkerRemoved: PidWorker,
  WorkerReclaimed: PidWorker,
  RewardReceived: Struct({ pid: u64, toOwner: u128, toStakers: u128 }),
  WorkingStarted: Struct({ pid: u64, worker: WorkerPubkey, amount: u128 }),
  RewardToOwnerDismissedDust: PidAmount,
  RewardToDistributionDismissedDust: PidAmount,
  /** phalanet: the worker entered the pool's `cd_workers` */
  PoolWorkerCoolingDown: PidWorker,
  /** phalanet: block 0 set the runtime constants (`force_set_constants`) */
  RuntimeConstantsSet: Struct({ minContribution: u128, gracePeriodSec: u64, maxPoolWorkers: u32 }),
});
/** One StakePool v2 event. */
export type StakePoolEvent = CodecType<typeof StakePoolEvent>;


/** Emits a StakePoolv2 event. */
export const emitStakePool = (ctx: DispatchContext, e: StakePoolEvent) => ctx.emit(STAKE_POOL, e as Tagged);
