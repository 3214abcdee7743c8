/**
 * The typed configuration of a Phala chain and its compiler to a chain spec: the config is turned
 * into the ordered Root calls block 0 dispatches, so that genesis is a fold of events like every
 * other block and the ledger alone replays it. Order: endowments (incl. the subsidy pool), the
 * registry (constants, allow-lists, benchmark duration), the genesis workers and gatekeepers (as
 * Phala's registry genesis runs before the computation pallet's), the computation pallet
 * (constants, cool-down, tokenomic parameters, heartbeat pause), W-PHA's minimum balance, then
 * the genesis stake pools (`genesisTopology.ts`), which need all of the above.
 *
 * Messages pushed at genesis are queued for block 1 (Phala's `queue_message`, §14 F10): block 0
 * records them as `PhalaMq.MessageQueued` events, and block 1's outbound carries them first.
 */
import type { TokenomicParameters } from '../economics/tokenomicParameters';
import { defaultTokenomicParameters } from '../economics/tokenomicParameters';
import { SUBSIDY_POOL_ACCOUNT } from '../ids/accounts';
import type { Runtime } from '../runtime/runtime';
import type { RuntimeEvent } from '../runtime/types';
import { CHAIN_SPEC_VERSION, type ChainSpec } from './chainSpec';
import type { StakePoolConstants } from './pallets/stakePoolV2';
import { type ComputationConfig, productionComputationConfig } from './pallets/computationState';
import { productionRegistryConfig, type RegistryConfig } from './pallets/registryState';
import { type GenesisTopology, hasGenesisWorkers, poolTopologyCalls, registryTopologyCalls } from './genesisTopology';
import { createPhalaRuntime } from './phalaRuntime';

/** Phala's `registry::GenesisConfig::default()` benchmark duration, stored when there are genesis workers. */
const DEFAULT_GENESIS_BENCHMARK_DURATION = 8;

/** Everything a Phala chain is configured with at genesis. */
export interface PhalaChainConfig extends GenesisTopology {
  readonly chainName: string;
  readonly blockTimeMs: number;
  readonly genesisTimestampMs: bigint;
  /** the Sudo key */
  readonly rootAccount: string;
  readonly endowments: readonly { readonly who: string; readonly amount: bigint }[];
  /** PHA endowed to `SUBSIDY_POOL_ACCOUNT` (the computation rewards are paid from it); 0 = none */
  readonly subsidyPoolFunding: bigint;
  /** registry constants; vendor keys are `trustedVendorKeys` */
  readonly registry?: Partial<RegistryConfig>;
  readonly pruntimeAllowList?: readonly Uint8Array[];
  readonly relaychainGenesisBlockHashes?: readonly string[];
  /** stored if given, or as 8 (Phala's default) when there are genesis workers or gatekeepers */
  readonly benchmarkDuration?: number;
  readonly computation?: Partial<ComputationConfig>;
  /** default 7 days (Phala's genesis default) */
  readonly coolDownPeriodSec?: number;
  readonly tokenomicParameters?: TokenomicParameters;
  /** default true (Phala's storage default: governance resumes it) */
  readonly heartbeatPaused?: boolean;
  /** `ExpectedHeartbeatCount` (unset = 20) */
  readonly expectedHeartbeatCount?: number;
  /** W-PHA's minimum balance (default 1 unit) */
  readonly wphaMinBalance?: bigint;
  /**
   * The stake pool's runtime constants (`MinContribution`, the withdraw grace period,
   * `MaxPoolWorkers`), recorded in block 0 when given — before the genesis pools — so that replay
   * reads them from the ledger. Unset: the runtime's own (Phala's values).
   */
  readonly stakePoolConstants?: StakePoolConstants;
}

const call = (pallet: string, tag: string, value: unknown): RuntimeEvent => ({ tag: pallet, value: { tag, value } });

function endowmentCalls(cfg: PhalaChainConfig): RuntimeEvent[] {
  const list = [...cfg.endowments];
  if (cfg.subsidyPoolFunding > 0n) list.push({ who: SUBSIDY_POOL_ACCOUNT, amount: cfg.subsidyPoolFunding });
  return list.map((e) => call('Balances', 'forceEndow', { who: e.who, amount: e.amount, memo: undefined }));
}

function registryCalls(cfg: PhalaChainConfig): RuntimeEvent[] {
  const calls = [call('PhalaRegistry', 'force_set_config', { config: { ...productionRegistryConfig, ...cfg.registry } })];
  for (const pruntimeHash of cfg.pruntimeAllowList ?? []) calls.push(call('PhalaRegistry', 'add_pruntime', { pruntimeHash }));
  for (const genesisBlockHash of cfg.relaychainGenesisBlockHashes ?? []) calls.push(call('PhalaRegistry', 'add_relaychain_genesis_block_hash', { genesisBlockHash }));
  const duration = cfg.benchmarkDuration ?? (hasGenesisWorkers(cfg) ? DEFAULT_GENESIS_BENCHMARK_DURATION : undefined);
  if (duration !== undefined) calls.push(call('PhalaRegistry', 'force_set_benchmark_duration', { value: duration }));
  return calls;
}

function computationCall(cfg: PhalaChainConfig): RuntimeEvent {
  return call('PhalaComputation', 'force_set_config', {
    config: { ...productionComputationConfig, ...cfg.computation },
    coolDownPeriod: BigInt(cfg.coolDownPeriodSec ?? 604_800),
    tokenomicParameters: { ...(cfg.tokenomicParameters ?? defaultTokenomicParameters) },
    heartbeatPaused: cfg.heartbeatPaused ?? true,
    expectedHeartbeatCount: cfg.expectedHeartbeatCount,
  });
}

/** The genesis calls of a config, in dispatch order (not yet encoded; `runtime` encodes the calls `sudo_as` wraps). */
export function genesisCallsOf(cfg: PhalaChainConfig, runtime: Runtime = createPhalaRuntime()): RuntimeEvent[] {
  const calls = [...endowmentCalls(cfg), ...registryCalls(cfg), ...registryTopologyCalls(cfg), computationCall(cfg)];
  if (cfg.stakePoolConstants !== undefined) calls.push(call('PhalaStakePoolv2', 'force_set_constants', { ...cfg.stakePoolConstants }));
  if (cfg.wphaMinBalance !== undefined) calls.push(call('PhalaWrappedBalances', 'force_set_min_balance', { amount: cfg.wphaMinBalance }));
  calls.push(...poolTopologyCalls(cfg, runtime));
  return calls;
}

/** Compiles a config to the chain spec block 0 records (calls SCALE-encoded with the Phala runtime's codec). */
export function compileChainSpec(cfg: PhalaChainConfig, runtime: Runtime = createPhalaRuntime()): ChainSpec {
  return {
    specVersion: CHAIN_SPEC_VERSION,
    chainName: cfg.chainName,
    blockTimeMs: cfg.blockTimeMs,
    genesisTimestampMs: cfg.genesisTimestampMs,
    rootAccount: cfg.rootAccount,
    genesisCalls: genesisCallsOf(cfg, runtime).map((c) => runtime.callCodec.enc(c)),
  };
}
