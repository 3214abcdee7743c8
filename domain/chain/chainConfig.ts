/**
 * The typed configuration of a Phala chain and its compiler to a chain spec: the config is turned
 * into the ordered Root calls block 0 dispatches, so that genesis is a fold of events like every
 * other block and the ledger alone replays it. Order: endowments (incl. the subsidy pool), the
 * registry (constants, allow-lists, benchmark duration), the computation pallet (constants,
 * cool-down, tokenomic parameters, heartbeat pause), then W-PHA's minimum balance.
 */
import type { TokenomicParameters } from '../economics/tokenomicParameters';
import { defaultTokenomicParameters } from '../economics/tokenomicParameters';
import { SUBSIDY_POOL_ACCOUNT } from '../ids/accounts';
import type { Runtime } from '../runtime/runtime';
import type { RuntimeEvent } from '../runtime/types';
import { CHAIN_SPEC_VERSION, type ChainSpec } from './chainSpec';
import { type ComputationConfig, productionComputationConfig } from './pallets/computationState';
import { productionRegistryConfig, type RegistryConfig } from './pallets/registryState';
import { createPhalaRuntime } from './phalaRuntime';

/** Everything a Phala chain is configured with at genesis. */
export interface PhalaChainConfig {
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
  /** stored only if given (Phala stores it only with genesis workers) */
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
  if (cfg.benchmarkDuration !== undefined) calls.push(call('PhalaRegistry', 'force_set_benchmark_duration', { value: cfg.benchmarkDuration }));
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

/** The genesis calls of a config, in dispatch order (not yet encoded). */
export function genesisCallsOf(cfg: PhalaChainConfig): RuntimeEvent[] {
  const calls = [...endowmentCalls(cfg), ...registryCalls(cfg), computationCall(cfg)];
  if (cfg.wphaMinBalance !== undefined) calls.push(call('PhalaWrappedBalances', 'force_set_min_balance', { amount: cfg.wphaMinBalance }));
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
    genesisCalls: genesisCallsOf(cfg).map((c) => runtime.callCodec.enc(c)),
  };
}
