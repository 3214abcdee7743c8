/**
 * PhalaComputation (`PB:pallets/phala/src/compute/computation.rs`, DOMAIN.md §5, §14 A): calls
 * with Phala's indices, the `on_finalize` heartbeat challenge and scheduled tokenomic update,
 * and the two mq handlers. Session transitions are the `ComputationApi` the stake pool drives
 * (`computationSessions.ts`); the stake pool's `onReward` / `onUnbound` come in as parameters.
 *
 * Heartbeat seed: Phala takes `RandomnessCollectiveFlip::random(b"PhalaPoW")`, keyed on parent
 * block hashes (§14 G12). phalanet's block context has no parent hash yet, so the default seed
 * is `blake2_256(chain-spec salt ‖ "PhalaPoW" ‖ block number u32 LE)` read big-endian as a U256:
 * deterministic, different every block, fixed by the chain spec. Pass `heartbeatSeed` to use a
 * parent-hash-based source once the block executor stores one.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { Struct, type CodecType } from 'scale-ts';
import { GatekeeperEventScale, type TokenomicParametersRecord, tokenomicParametersCodec } from '../../codec/gatekeeperEvents.codec';
import { blake2b256 } from '../../codec/hash';
import { bool, option, u32, u64, u128, unit, variant } from '../../codec/scale';
import { SystemEventScale } from '../../codec/systemEvents.codec';
import { topicBytes, topics } from '../../codec/topics';
import { powTarget, U256_MAX } from '../../economics/powTarget';
import { AccountId } from '../../runtime/codecs';
import { type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, unreachable } from '../../runtime/types';
import type { ComputationApi, StakePoolHooks } from './computationApi';
import { gatekeeperReportHandler, workingReportHandler } from './computationHandlers';
import { createComputationApi } from './computationSessions';
import {
  BudgetUpdateNonce,
  COMPUTATION,
  ComputationConfigCodec,
  ComputationConfigValue,
  ComputationEvent,
  ContractAccount,
  emitComputation,
  evolveComputation,
  ExpectedHeartbeatCount,
  HeartbeatPaused,
  LastBudgetUpdateBlock,
  MaxBudgetLimit,
  OnlineWorkers,
  ScheduledTokenomicUpdate,
  SessionBindings,
  TokenomicParametersStore,
} from './computationState';
import { pushPalletMessage, queuePalletMessage } from './mq.pallet';
import { Workers } from './registryState';

/** `DEFAULT_EXPECTED_HEARTBEAT_COUNT` */
export const DEFAULT_EXPECTED_HEARTBEAT_COUNT = 20;
const BUDGET_SAFE_MULTIPLIER = 2n;

// commands
const sessionArg = Struct({ session: AccountId });
/** PhalaComputation's calls, Phala's indices 0–8. */
export const ComputationCall = variant('ComputationCall', {
  set_cool_down_expiration: Struct({ period: u64 }),
  unbind: sessionArg,
  force_heartbeat: unit,
  force_start_computing: Struct({ session: AccountId, stake: u128 }),
  force_stop_computing: sessionArg,
  update_tokenomic: Struct({ newParams: tokenomicParametersCodec }),
  set_heartbeat_paused: Struct({ paused: bool }),
  set_budget_per_block: Struct({ nonce: u64, blockNumber: u32, budget: u128 }),
  update_contract_root: Struct({ accountId: AccountId }),
  /** phalanet, Root only: the genesis configuration at once (tokenomic parameters immediate, not scheduled) */
  force_set_config: Struct({
    config: ComputationConfigCodec,
    coolDownPeriod: u64,
    tokenomicParameters: tokenomicParametersCodec,
    heartbeatPaused: bool,
    expectedHeartbeatCount: option(u32),
  }),
}, { force_set_config: 100 });
/** A PhalaComputation call. */
export type ComputationCall = CodecType<typeof ComputationCall>;

const fail = (error: string): Either<DispatchError, never> => left(dispatchError(COMPUTATION, error));
const badOrigin = () => left(dispatchError('System', 'BadOrigin'));
const ok = right(undefined);

function pushChallenge(ctx: DispatchContext, seed: bigint, onlineTarget: bigint): void {
  pushPalletMessage(ctx, COMPUTATION, topics.systemEvent, SystemEventScale.encode({ tag: 'HeartbeatChallenge', value: { seed, onlineTarget } }));
}

/** `update_tokenomic_parameters`: store, tell the gatekeepers, `TokenomicParametersChanged`. */
function applyTokenomic(ctx: DispatchContext, params: TokenomicParametersRecord, fromSchedule: boolean): void {
  emitComputation(ctx, { tag: 'TokenomicParametersSet', value: { params, fromSchedule } });
  pushPalletMessage(ctx, COMPUTATION, topics.gatekeeperEvent, GatekeeperEventScale.encode({ tag: 'TokenomicParametersChanged', value: params }));
  emitComputation(ctx, { tag: 'TokenomicParametersChanged', value: undefined });
}

/**
 * `force_set_config` (what Phala's `GenesisConfig::build` writes): constants, cool-down, tokenomic
 * parameters (stored at once) and the gatekeepers' `TokenomicParametersChanged`, queued for block 1.
 */
function forceSetConfig(ctx: DispatchContext, v: Extract<ComputationCall, { tag: 'force_set_config' }>['value']): void {
  emitComputation(ctx, { tag: 'ConfigSet', value: { config: v.config, expectedHeartbeatCount: v.expectedHeartbeatCount } });
  emitComputation(ctx, { tag: 'CoolDownExpirationChanged', value: { period: v.coolDownPeriod } });
  emitComputation(ctx, { tag: 'TokenomicParametersSet', value: { params: v.tokenomicParameters, fromSchedule: false } });
  emitComputation(ctx, { tag: 'HeartbeatPausedSet', value: { paused: v.heartbeatPaused } });
  queuePalletMessage(ctx, COMPUTATION, topics.gatekeeperEvent, GatekeeperEventScale.encode({ tag: 'TokenomicParametersChanged', value: v.tokenomicParameters }));
}

/** `set_budget_per_block` (signed by `ContractAccount`): nonce, block and limit guards, then the new budget. */
function setBudgetPerBlock(ctx: DispatchContext, nonce: bigint, blockNumber: number, budget: bigint): Either<DispatchError, void> {
  const s = ctx.storage;
  if (nonce <= BudgetUpdateNonce.get(s)) return fail('NonceIndexInvalid');
  if (blockNumber <= LastBudgetUpdateBlock.get(s)) return fail('BudgetUpdateBlockInvalid');
  if (budget > MaxBudgetLimit.get(s) * BUDGET_SAFE_MULTIPLIER) return fail('BudgetExceedMaxLimit');
  const params = TokenomicParametersStore.get(s);
  if (params === undefined) return fail('InternalErrorBadTokenomicParameters');
  emitComputation(ctx, { tag: 'BudgetUpdateRecorded', value: { nonce, blockNumber } });
  applyTokenomic(ctx, { ...params, budgetPerBlock: budget }, false);
  emitComputation(ctx, { tag: 'BudgetUpdated', value: { nonce, budget } });
  return ok;
}

/** The operator's `unbind` (F16 order: `SessionNotBound` → `WorkerNotRegistered` → `BadSender`); always notifies. */
function operatorUnbind(ctx: DispatchContext, api: ComputationApi, who: string, session: string): Either<DispatchError, void> {
  const worker = SessionBindings.get(ctx.storage, session);
  if (worker === undefined) return fail('SessionNotBound');
  const info = Workers.get(ctx.storage, worker);
  if (info === undefined) return fail('WorkerNotRegistered');
  if (info.operator !== who) return fail('BadSender');
  return api.unbindSession(ctx, session, true);
}

function decide(api: ComputationApi) {
  return (ctx: DispatchContext, origin: Origin, call: ComputationCall): Either<DispatchError, void> => {
    if (call.tag === 'unbind') return origin.type === 'Signed' ? operatorUnbind(ctx, api, origin.who, call.value.session) : badOrigin();
    if (call.tag === 'set_budget_per_block') {
      if (origin.type !== 'Signed' || origin.who !== ContractAccount.get(ctx.storage)) return badOrigin();
      return setBudgetPerBlock(ctx, call.value.nonce, call.value.blockNumber, call.value.budget);
    }
    if (origin.type !== 'Root') return badOrigin();
    switch (call.tag) {
      case 'set_cool_down_expiration':
        emitComputation(ctx, { tag: 'CoolDownExpirationChanged', value: call.value });
        return ok;
      case 'force_heartbeat':
        pushChallenge(ctx, 0n, U256_MAX);
        return ok;
      case 'force_start_computing':
        return api.startComputing(ctx, call.value.session, call.value.stake);
      case 'force_stop_computing':
        return api.stopComputing(ctx, call.value.session);
      case 'update_tokenomic':
        emitComputation(ctx, { tag: 'TokenomicUpdateScheduled', value: { params: call.value.newParams } });
        return ok;
      case 'set_heartbeat_paused':
        emitComputation(ctx, { tag: 'HeartbeatPausedSet', value: call.value });
        return ok;
      case 'update_contract_root':
        emitComputation(ctx, { tag: 'ContractAccountSet', value: { account: call.value.accountId } });
        return ok;
      case 'force_set_config':
        forceSetConfig(ctx, call.value);
        return ok;
      default:
        return unreachable(call);
    }
  };
}

const SEED_SUBJECT = topicBytes('PhalaPoW');

/** The default heartbeat seed: `blake2_256(salt ‖ "PhalaPoW" ‖ block u32 LE)` as a big-endian U256. */
export function defaultHeartbeatSeed(ctx: DispatchContext): bigint {
  const salt = ComputationConfigValue.get(ctx.storage).heartbeatSeedSalt;
  const digest = blake2b256(salt, SEED_SUBJECT, u32.enc(ctx.block.number));
  let x = 0n;
  for (const b of digest) x = (x << 8n) | BigInt(b);
  return x;
}

/** `on_finalize`: the heartbeat challenge unless paused, then a scheduled tokenomic update (§5.5). */
function onFinalize(heartbeatSeed: (ctx: DispatchContext) => bigint) {
  return (ctx: DispatchContext): void => {
    const s = ctx.storage;
    if (!HeartbeatPaused.get(s)) {
      const expected = ExpectedHeartbeatCount.get(s) ?? DEFAULT_EXPECTED_HEARTBEAT_COUNT;
      const target = powTarget(expected, OnlineWorkers.get(s), ComputationConfigValue.get(s).expectedBlockTimeSec);
      pushChallenge(ctx, heartbeatSeed(ctx), target);
    }
    const scheduled = ScheduledTokenomicUpdate.get(s);
    if (scheduled !== undefined) applyTokenomic(ctx, scheduled, true);
  };
}

/** Dependencies of the computation pallet: the stake pool's hooks (no-ops when absent) and the seed source. */
export interface ComputationDeps extends Partial<StakePoolHooks> {
  readonly heartbeatSeed?: (ctx: DispatchContext) => bigint;
}

/** Builds PhalaComputation and the `ComputationApi` wired to the same hooks. */
export function createComputationPallet(deps: ComputationDeps = {}): { pallet: Pallet; api: ComputationApi } {
  const onReward = deps.onReward ?? (() => {});
  const api = createComputationApi({ onUnbound: deps.onUnbound ?? (() => {}) });
  const pallet = definePallet<ComputationCall, ComputationEvent>({
    name: COMPUTATION,
    calls: ComputationCall,
    events: ComputationEvent,
    dispatch: decide(api),
    evolve: evolveComputation,
    onFinalize: onFinalize(deps.heartbeatSeed ?? defaultHeartbeatSeed),
    messageHandlers: [gatekeeperReportHandler(onReward), workingReportHandler],
  });
  return { pallet, api };
}
