/**
 * PhalaRegistry's events, storage, evolve and genesis (`PB:pallets/phala/src/registry.rs`,
 * DOMAIN.md §4.4, §7, §14 F2, F27, F28). The calls and handlers are in `registry.pallet.ts`.
 *
 * Events 0–9 are Phala's, with Phala's fields. Phala writes most registry storage without an
 * event, so phalanet adds state events (indices 100+) that carry what `evolve` needs:
 * `WorkerInfoStored` precedes `WorkerAdded`/`WorkerUpdated` (which fold to nothing),
 * `GatekeeperMasterPubkeySet` precedes `GatekeeperLaunched`, and so on.
 */
import { Struct, Tuple, type CodecType, enhanceCodec } from 'scale-ts';
import type { AttestationProvider } from '../../attestation/verifyAttestation';
import { bool, bytes, fixedBytes, option, u8, u32, u64, unit, variant, vec } from '../../codec/scale';
import { AccountId } from '../../runtime/codecs';
import { type Storage, type StorageReader, storageMap, storageValue } from '../../runtime/storage';
import { type BlockContext, type DispatchContext, unreachable } from '../../runtime/types';

/** The pallet's name (and its mq sender name). */
export const REGISTRY = 'PhalaRegistry';

const PROVIDERS: readonly AttestationProvider[] = ['Root', 'Ias', 'Dcap'];
/** `AttestationProvider` (Root=0, Ias=1, Dcap=2) as its name. */
export const AttestationProviderCodec = enhanceCodec<number, AttestationProvider>(
  u8,
  (p) => PROVIDERS.indexOf(p),
  (i) => {
    const p = PROVIDERS[i];
    if (p === undefined) throw new RangeError(`unknown AttestationProvider index ${i}`);
    return p;
  },
);

/** `WorkerInfoV2<AccountId>`, field order as in Rust (§4.4). Keys are `0x` hex. */
export const WorkerInfoV2 = Struct({
  pubkey: AccountId,
  ecdhPubkey: AccountId,
  runtimeVersion: u32,
  lastUpdated: u64,
  operator: option(AccountId),
  attestationProvider: option(AttestationProviderCodec),
  confidenceLevel: u8,
  initialScore: option(u32),
  features: vec(u32),
});
/** A worker's registry record. */
export type WorkerInfoV2 = CodecType<typeof WorkerInfoV2>;

const pubkey = AccountId;
const workerChange = Struct({ pubkey, attestationProvider: option(AttestationProviderCodec), confidenceLevel: u8 });

/**
 * Chain-spec constants of the registry (Phala's `Config` constants), fixed at genesis:
 * production values are `NoneAttestationEnabled = false`, `VerifyPRuntime = true`,
 * `VerifyRelaychainGenesisBlockHash = true`, `ParachainId = 2035` (Phala). `trustedVendorKeys`
 * are the simulated attestation roots (Intel's IAS certificate in Phala).
 */
export const RegistryConfigCodec = Struct({
  parachainId: u32,
  noneAttestationEnabled: bool,
  verifyPRuntime: bool,
  verifyRelaychainGenesisBlockHash: bool,
  trustedVendorKeys: vec(fixedBytes(32)),
});
/** The registry's chain-spec constants. */
export type RegistryConfig = CodecType<typeof RegistryConfigCodec>;

// events
/** PhalaRegistry's events: Phala's 0–9, phalanet's state events 100+. */
export const PhalaRegistryEvent = variant(
  'PhalaRegistryEvent',
  {
    GatekeeperAdded: Struct({ pubkey }),
    GatekeeperRemoved: Struct({ pubkey }),
    WorkerAdded: workerChange,
    WorkerUpdated: workerChange,
    MasterKeyRotated: Struct({ rotationId: u64, masterPubkey: pubkey }),
    MasterKeyRotationFailed: Struct({ rotationLock: option(u64), gatekeeperRotationId: u64 }),
    InitialScoreSet: Struct({ pubkey, initScore: u32 }),
    MinimumPRuntimeVersionChangedTo: Tuple(u32, u32, u32),
    PRuntimeConsensusVersionChangedTo: u32,
    GatekeeperLaunched: unit,
    /** phalanet: the worker record as Phala writes it; `addedAt` set when `WorkerAddedAt` is written */
    WorkerInfoStored: Struct({ info: WorkerInfoV2, addedAt: option(u32) }),
    /** phalanet: `MaxKnownPRuntimeConsensusVersion` changed */
    ConsensusVersionCounted: Struct({ version: u32, count: u32 }),
    /** phalanet: `force_set_benchmark_duration` */
    BenchmarkDurationSet: Struct({ duration: u32 }),
    /** phalanet: `rotate_master_key` took the lock with this id (= the new `RotationCounter`) */
    MasterKeyRotationStarted: Struct({ rotationId: u64 }),
    /** phalanet: the first master pubkey was stored */
    GatekeeperMasterPubkeySet: Struct({ masterPubkey: pubkey }),
    PRuntimeAdded: Struct({ pruntimeHash: bytes() }),
    PRuntimeRemoved: Struct({ pruntimeHash: bytes() }),
    RelaychainGenesisBlockHashAdded: Struct({ hash: pubkey }),
    RelaychainGenesisBlockHashRemoved: Struct({ hash: pubkey }),
    /** phalanet: Root set the registry's configuration (genesis call `force_set_config`) */
    ConfigSet: Struct({ config: RegistryConfigCodec }),
  },
  {
    WorkerInfoStored: 100,
    ConsensusVersionCounted: 101,
    BenchmarkDurationSet: 102,
    MasterKeyRotationStarted: 103,
    GatekeeperMasterPubkeySet: 104,
    PRuntimeAdded: 105,
    PRuntimeRemoved: 106,
    RelaychainGenesisBlockHashAdded: 107,
    RelaychainGenesisBlockHashRemoved: 108,
    ConfigSet: 109,
  },
);
/** A PhalaRegistry event. */
export type PhalaRegistryEvent = CodecType<typeof PhalaRegistryEvent>;

/** Emits a registry event (folded at once). */
export const emitRegistry = (ctx: DispatchContext, e: PhalaRegistryEvent): void => ctx.emit(REGISTRY, e);

// state
const hexKey = AccountId;
/** `Workers[pubkey]`: registered workers. */
export const Workers = storageMap(REGISTRY, 'Workers', hexKey, WorkerInfoV2);
/** `WorkerAddedAt[pubkey]`: block of the first registration (or the last `force_register_worker`). */
export const WorkerAddedAt = storageMap(REGISTRY, 'WorkerAddedAt', hexKey, u32);
/** `Gatekeeper`: the gatekeeper pubkeys in registration order. */
export const Gatekeeper = storageValue<string[]>(REGISTRY, 'Gatekeeper', vec(hexKey), []);
/** `GatekeeperMasterPubkey`: unset until the first gatekeeper uploads it. */
export const GatekeeperMasterPubkey = storageValue<string | undefined>(REGISTRY, 'GatekeeperMasterPubkey', option(hexKey), undefined);
/** `(block number, unix seconds)` of the gatekeeper launch */
export const GatekeeperLaunchedAt = storageValue<[number, bigint] | undefined>(REGISTRY, 'GatekeeperLaunchedAt', option(Tuple(u32, u64)), undefined);
/** `RotationCounter`: the latest rotation id (0 = the original key). */
export const RotationCounter = storageValue(REGISTRY, 'RotationCounter', u64, 0n);
/** `MasterKeyRotationLock`: the rotation in progress, if any. */
export const MasterKeyRotationLock = storageValue<bigint | undefined>(REGISTRY, 'MasterKeyRotationLock', option(u64), undefined);
/** unset (`None`) unless genesis had workers or governance set it: read as 0 (§14 F2) */
export const BenchmarkDuration = storageValue<number | undefined>(REGISTRY, 'BenchmarkDuration', option(u32), undefined);
/** `PRuntimeAllowList`: accepted 68-byte pRuntime hashes. */
export const PRuntimeAllowList = storageValue<Uint8Array[]>(REGISTRY, 'PRuntimeAllowList', vec(bytes()), []);
/** `PRuntimeAddedAt[hash]`: block a pRuntime hash was allowed. */
export const PRuntimeAddedAt = storageMap(REGISTRY, 'PRuntimeAddedAt', bytes(), u32);
/** `RelaychainGenesisBlockHashAllowList`: accepted relay-chain genesis hashes. */
export const RelaychainGenesisBlockHashAllowList = storageValue<string[]>(REGISTRY, 'RelaychainGenesisBlockHashAllowList', vec(hexKey), []);
/** `MinimumPRuntimeVersion` (major, minor, patch). */
export const MinimumPRuntimeVersion = storageValue<[number, number, number]>(REGISTRY, 'MinimumPRuntimeVersion', Tuple(u32, u32, u32), [0, 0, 0]);
/** `PRuntimeConsensusVersion`. */
export const PRuntimeConsensusVersion = storageValue(REGISTRY, 'PRuntimeConsensusVersion', u32, 0);
const KnownConsensusVersion = Struct({ version: u32, count: u32 });
/** `MaxKnownPRuntimeConsensusVersion`: highest version reported at registration and how many reported it. */
export const MaxKnownPRuntimeConsensusVersion = storageValue(REGISTRY, 'MaxKnownPRuntimeConsensusVersion', KnownConsensusVersion, { version: 0, count: 0 });

/** Phala's production registry constants (no vendor key: nothing attests until the chain spec names one). */
export const productionRegistryConfig: RegistryConfig = {
  parachainId: 2035,
  noneAttestationEnabled: false,
  verifyPRuntime: true,
  verifyRelaychainGenesisBlockHash: true,
  trustedVendorKeys: [],
};
/** The chain-spec constants as a storage value written at genesis. */
export const RegistryConfigValue = storageValue(REGISTRY, 'Config', RegistryConfigCodec, productionRegistryConfig);

const nowSecs = (block: BlockContext) => BigInt(Math.floor(block.timestampMs / 1000));

/** `is_worker_registered_after_gk_launched`: false when either time is missing; strict `>`. */
export function isWorkerRegisteredAfterGkLaunched(s: StorageReader, worker: string): boolean {
  const addedAt = WorkerAddedAt.get(s, worker);
  const launched = GatekeeperLaunchedAt.get(s);
  return addedAt !== undefined && launched !== undefined && addedAt > launched[0];
}

// evolve
/** Folds one registry event into storage (total). */
export function evolveRegistry(s: Storage, e: PhalaRegistryEvent, block: BlockContext): void {
  switch (e.tag) {
    case 'GatekeeperAdded': {
      const list = Gatekeeper.get(s);
      if (!list.includes(e.value.pubkey)) Gatekeeper.set(s, [...list, e.value.pubkey]);
      return;
    }
    case 'GatekeeperRemoved':
      Gatekeeper.set(s, Gatekeeper.get(s).filter((g) => g !== e.value.pubkey));
      return;
    case 'MasterKeyRotated':
      GatekeeperMasterPubkey.set(s, e.value.masterPubkey);
      MasterKeyRotationLock.reset(s);
      return;
    case 'InitialScoreSet': {
      // Phala emits it even for an unknown worker (§14 "checked"): then nothing is written
      const w = Workers.get(s, e.value.pubkey);
      if (w !== undefined) Workers.set(s, e.value.pubkey, { ...w, initialScore: e.value.initScore, lastUpdated: nowSecs(block) });
      return;
    }
    case 'MinimumPRuntimeVersionChangedTo':
      MinimumPRuntimeVersion.set(s, e.value);
      return;
    case 'PRuntimeConsensusVersionChangedTo':
      PRuntimeConsensusVersion.set(s, e.value);
      return;
    case 'GatekeeperLaunched':
      GatekeeperLaunchedAt.set(s, [block.number, nowSecs(block)]);
      return;
    case 'WorkerInfoStored':
      Workers.set(s, e.value.info.pubkey, e.value.info);
      if (e.value.addedAt !== undefined) WorkerAddedAt.set(s, e.value.info.pubkey, e.value.addedAt);
      return;
    case 'ConsensusVersionCounted':
      MaxKnownPRuntimeConsensusVersion.set(s, e.value);
      return;
    case 'BenchmarkDurationSet':
      BenchmarkDuration.set(s, e.value.duration);
      return;
    case 'ConfigSet':
      RegistryConfigValue.set(s, e.value.config);
      return;
    case 'MasterKeyRotationStarted':
      RotationCounter.set(s, e.value.rotationId);
      MasterKeyRotationLock.set(s, e.value.rotationId);
      return;
    case 'GatekeeperMasterPubkeySet':
      GatekeeperMasterPubkey.set(s, e.value.masterPubkey);
      return;
    default:
      evolveAllowLists(s, e, block);
  }
}

type AllowListEvent = Extract<
  PhalaRegistryEvent,
  { tag: 'PRuntimeAdded' | 'PRuntimeRemoved' | 'RelaychainGenesisBlockHashAdded' | 'RelaychainGenesisBlockHashRemoved' | 'WorkerAdded' | 'WorkerUpdated' | 'MasterKeyRotationFailed' }
>;

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function evolveAllowLists(s: Storage, e: AllowListEvent, block: BlockContext): void {
  switch (e.tag) {
    case 'PRuntimeAdded':
      PRuntimeAllowList.set(s, [...PRuntimeAllowList.get(s), e.value.pruntimeHash]);
      PRuntimeAddedAt.set(s, e.value.pruntimeHash, block.number);
      return;
    case 'PRuntimeRemoved':
      PRuntimeAllowList.set(s, PRuntimeAllowList.get(s).filter((h) => !sameBytes(h, e.value.pruntimeHash)));
      PRuntimeAddedAt.remove(s, e.value.pruntimeHash);
      return;
    case 'RelaychainGenesisBlockHashAdded':
      RelaychainGenesisBlockHashAllowList.set(s, [...RelaychainGenesisBlockHashAllowList.get(s), e.value.hash]);
      return;
    case 'RelaychainGenesisBlockHashRemoved':
      RelaychainGenesisBlockHashAllowList.set(s, RelaychainGenesisBlockHashAllowList.get(s).filter((h) => h !== e.value.hash));
      return;
    // facts whose state another event carries (WorkerInfoStored), or none
    case 'WorkerAdded':
    case 'WorkerUpdated':
    case 'MasterKeyRotationFailed':
      return;
    default:
      unreachable(e);
  }
}
