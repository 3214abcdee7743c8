/**
 * The Phala runtime: every pallet, wired once, in Phala's order (`construct_runtime!`: the order
 * fixes the SCALE indices of calls and events and the mq routing order Registry → Computation →
 * Phat of `msg_routing.rs`). Cross-pallet hooks are plain functions passed at construction:
 *   computation ──OnReward/OnUnbound──▶ stake pool;  stake pool ──ComputationApi──▶ computation;
 *   mq ──signing keys──▶ registry (workers, gatekeepers) + phat (clusters, contracts);
 *   phat ──registered workers' ECDH keys──▶ registry.
 * A message pushed while genesis is built is queued for block 1 (the mq pallet's `queueMessage`).
 */
import { decodeExact } from '../codec/scale';
import type { Runtime } from '../runtime/runtime';
import { createRuntime } from '../runtime/runtime';
import { balancesPallet } from './pallets/balances.pallet';
import { basePoolPallet } from './pallets/basePool.pallet';
import { createComputationPallet } from './pallets/computation.pallet';
import { createMqPallet, queueMessage, type VerifySignature } from './pallets/mq.pallet';
import { createPhatPallet } from './pallets/phat.pallet';
import { clusterKeyOf, contractKeyOf } from './pallets/phat.state';
import { createRegistryPallet, registryMessageKey } from './pallets/registry.pallet';
import { Workers } from './pallets/registryState';
import { createStakePoolPallet } from './pallets/stakePoolV2.pallet';
import { defaultStakePoolConfig, type StakePoolConfig, stakePoolHooks } from './pallets/stakePoolV2';
import { createSudoPallet } from './pallets/sudo.pallet';
import { createVaultPallet, type VaultConfig } from './pallets/vault.pallet';
import { wrappedBalancesPallet } from './pallets/wrappedBalances.pallet';

/** Runtime constants that are not chain-spec storage (Phala's `parameter_types!`). */
export interface PhalaRuntimeOptions {
  readonly stakePool?: StakePoolConfig;
  readonly vault?: VaultConfig;
  /** sr25519 verification for mq messages and attestations (default: the domain verifier) */
  readonly verify?: VerifySignature;
}

/** Builds the full runtime. */
export function createPhalaRuntime(options: PhalaRuntimeOptions = {}): Runtime {
  const stakePoolConfig = options.stakePool ?? defaultStakePoolConfig;
  const hooks = stakePoolHooks(stakePoolConfig);
  const computation = createComputationPallet({ onReward: hooks.onReward, onUnbound: hooks.onUnbound });
  const mq = createMqPallet({
    messageKey: registryMessageKey({ clusterKey: clusterKeyOf, contractKey: contractKeyOf }),
    ...(options.verify === undefined ? {} : { verify: options.verify }),
  });
  const registry = createRegistryPallet(options.verify === undefined ? {} : { verify: options.verify });
  const phat = createPhatPallet({
    registeredWorker: (s, worker) => {
      const info = Workers.get(s, worker);
      return info === undefined ? undefined : { ecdhPubkey: info.ecdhPubkey };
    },
  });
  const holder: { runtime?: Runtime } = {};
  const sudo = createSudoPallet((bytes) => decodeExact(holder.runtime!.callCodec, bytes, 'sudo call'));
  holder.runtime = createRuntime([
    balancesPallet,
    sudo,
    mq,
    registry,
    computation.pallet,
    wrappedBalancesPallet,
    basePoolPallet,
    createStakePoolPallet({ computation: computation.api, config: stakePoolConfig }),
    createVaultPallet({ stakePool: stakePoolConfig, ...(options.vault === undefined ? {} : { vault: options.vault }) }),
    phat,
  ], { queueAtGenesis: queueMessage });
  return holder.runtime;
}
