/**
 * Test-only (testing/): pallet tests set storage up with it, and `chainConfig.test.ts` uses it as
 * the oracle that `compileChainSpec`'s recorded Root calls must reproduce. Production genesis is
 * `compileChainSpec` (domain/chain/chainConfig.ts), which is event-sourced.
 *
 * The registry's genesis (`registry::GenesisConfig::build`, DOMAIN.md §14 F2): genesis workers
 * are Root-attested at confidence 128 and get `Registered` + `BenchStart` queued for block 1;
 * `BenchmarkDuration` is stored **only inside the worker loop**, so a chain spec without workers
 * leaves it unset (read as 0); the first listed gatekeeper gets `FirstGatekeeper`, later ones
 * `GatekeeperChange::Registered`. `WorkerAddedAt` is not written at genesis.
 */
import { GatekeeperChangeScale, GatekeeperLaunchScale } from '../../../codec/gatekeeperEvents.codec';
import { fromHex } from '../../../codec/hex';
import { SystemEventScale, type WorkerEvent } from '../../../codec/systemEvents.codec';
import { topics } from '../../../codec/topics';
import type { Storage } from '../../../runtime/storage';
import { queueGenesisMessage } from '../mq.pallet';
import {
  BenchmarkDuration,
  Gatekeeper,
  PRuntimeAllowList,
  productionRegistryConfig,
  REGISTRY,
  type RegistryConfig,
  RegistryConfigValue,
  RelaychainGenesisBlockHashAllowList,
  Workers,
} from '../registryState';

/** The registry part of a chain spec. */
export interface RegistryGenesis {
  readonly config?: Partial<RegistryConfig>;
  readonly workers?: readonly { readonly pubkey: string; readonly ecdhPubkey: string; readonly operator?: string }[];
  readonly gatekeepers?: readonly string[];
  /** Phala's `GenesisConfig::default()` has 8; it is stored only if there are genesis workers */
  readonly benchmarkDuration?: number;
  readonly pruntimeAllowList?: readonly Uint8Array[];
  readonly relaychainGenesisBlockHashes?: readonly string[];
}

const key = (hex: string) => fromHex(hex, 'pubkey', 32);

function queueWorkerEvent(s: Storage, pubkey: string, event: WorkerEvent): void {
  queueGenesisMessage(s, REGISTRY, topics.systemEvent, SystemEventScale.encode({ tag: 'WorkerEvent', value: { pubkey: key(pubkey), event } }));
}

/** Writes the registry's genesis storage and queues its block-1 messages. */
export function buildRegistryGenesis(s: Storage, g: RegistryGenesis): void {
  RegistryConfigValue.set(s, { ...productionRegistryConfig, ...g.config });
  if (g.pruntimeAllowList !== undefined) PRuntimeAllowList.set(s, [...g.pruntimeAllowList]);
  if (g.relaychainGenesisBlockHashes !== undefined) RelaychainGenesisBlockHashAllowList.set(s, [...g.relaychainGenesisBlockHashes]);
  const duration = g.benchmarkDuration ?? 8;
  for (const w of g.workers ?? []) {
    Workers.set(s, w.pubkey, {
      pubkey: w.pubkey,
      ecdhPubkey: w.ecdhPubkey,
      runtimeVersion: 0,
      lastUpdated: 0n,
      operator: w.operator,
      attestationProvider: 'Root',
      confidenceLevel: 128,
      initialScore: undefined,
      features: [1, 4],
    });
    queueWorkerEvent(s, w.pubkey, { tag: 'Registered', value: { confidenceLevel: 128 } });
    queueWorkerEvent(s, w.pubkey, { tag: 'BenchStart', value: { duration } });
    BenchmarkDuration.set(s, duration);
  }
  const listed: string[] = [];
  for (const gk of g.gatekeepers ?? []) {
    const info = Workers.get(s, gk);
    if (info === undefined) continue;
    listed.push(gk);
    Gatekeeper.set(s, [...listed]);
    const identity = { pubkey: key(gk), ecdhPubkey: key(info.ecdhPubkey) };
    if (listed.length === 1) queueGenesisMessage(s, REGISTRY, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'FirstGatekeeper', value: identity }));
    else queueGenesisMessage(s, REGISTRY, topics.gatekeeperChange, GatekeeperChangeScale.encode({ tag: 'Registered', value: identity }));
  }
}
