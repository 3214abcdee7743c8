/**
 * Test-only (testing/): pallet tests set storage up with it, and `chainConfig.test.ts` uses it as
 * the oracle that `compileChainSpec`'s recorded Root calls must reproduce. Production genesis is
 * `compileChainSpec` (domain/chain/chainConfig.ts), which is event-sourced.
 *
 * The computation pallet's genesis (`computation::GenesisConfig::build`): the cool-down period
 * (Phala default 7 days), the tokenomic parameters (chain defaults, §6.1), and a
 * `GatekeeperEvent::TokenomicParametersChanged` queued for block 1 so gatekeepers learn them.
 */
import { GatekeeperEventScale } from '../../../codec/gatekeeperEvents.codec';
import { topics } from '../../../codec/topics';
import { defaultTokenomicParameters, type TokenomicParameters } from '../../../economics/tokenomicParameters';
import type { Storage } from '../../../runtime/storage';
import { COMPUTATION, type ComputationConfig, ComputationConfigValue, CoolDownPeriod, ExpectedHeartbeatCount, HeartbeatPaused, productionComputationConfig, TokenomicParametersStore } from '../computationState';
import { queueGenesisMessage } from '../mq.pallet';

/** The computation part of a chain spec. */
export interface ComputationGenesis {
  readonly coolDownPeriodSec?: number;
  readonly tokenomicParameters?: TokenomicParameters;
  readonly config?: Partial<ComputationConfig>;
  /** Phala leaves `HeartbeatPaused` at its default (true) and governance resumes it; a simulation may start unpaused */
  readonly heartbeatPaused?: boolean;
  /** `ExpectedHeartbeatCount` (unset = 20) */
  readonly expectedHeartbeatCount?: number;
}

/** Writes the computation pallet's genesis storage and queues its block-1 message. */
export function buildComputationGenesis(s: Storage, g: ComputationGenesis = {}): void {
  const params = { ...(g.tokenomicParameters ?? defaultTokenomicParameters) };
  ComputationConfigValue.set(s, { ...productionComputationConfig, ...g.config });
  CoolDownPeriod.set(s, BigInt(g.coolDownPeriodSec ?? 604_800));
  TokenomicParametersStore.set(s, params);
  if (g.heartbeatPaused !== undefined) HeartbeatPaused.set(s, g.heartbeatPaused);
  if (g.expectedHeartbeatCount !== undefined) ExpectedHeartbeatCount.set(s, g.expectedHeartbeatCount);
  queueGenesisMessage(s, COMPUTATION, topics.gatekeeperEvent, GatekeeperEventScale.encode({ tag: 'TokenomicParametersChanged', value: params }));
}
