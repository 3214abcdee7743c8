/**
 * PhalaRegistry (`PB:pallets/phala/src/registry.rs`, DOMAIN.md §4, §7.1–7.4, §14 F2, F26–F28,
 * F30): workers and their attestations, the gatekeeper list, the master pubkey and its
 * rotation, the pRuntime and relay-chain allow-lists. Governance is Root. Calls keep Phala's
 * indices; not modelled: `force_register_topic_pubkey` (2), legacy `register_worker` (6),
 * `update_worker_endpoint` (8), `set_trusted_ntp_servers` (15).
 *
 * Deviation: `unregister_gatekeeper` emits the declared `GatekeeperRemoved` (Phala emits no
 * event, §14 F27) — the list change has to be an event to be part of the fold.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { Struct, Tuple, type CodecType } from 'scale-ts';
import { attestationReportCodec } from '../../attestation/quote.codec';
import { GatekeeperChangeScale, GatekeeperLaunchScale } from '../../codec/gatekeeperEvents.codec';
import { fromHex } from '../../codec/hex';
import { workerRegistrationInfoV2Codec } from '../../codec/registration.codec';
import { bytes, option, u8, u32, unit, variant } from '../../codec/scale';
import { topics } from '../../codec/topics';
import { sr25519Verify } from '../../crypto/sr25519Verify';
import { AccountId } from '../../runtime/codecs';
import type { StorageReader } from '../../runtime/storage';
import { type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, unreachable } from '../../runtime/types';
import { type MessageKeyLookup, pushPalletMessage, type VerifySignature } from './mq.pallet';
import { gatekeeperRegistryEventHandler, registryEventHandler } from './registryHandlers';
import {
  emitRegistry,
  evolveRegistry,
  Gatekeeper,
  GatekeeperMasterPubkey,
  MasterKeyRotationLock,
  PRuntimeAllowList,
  REGISTRY,
  RegistryConfigCodec,
  PhalaRegistryEvent,
  RelaychainGenesisBlockHashAllowList,
  RotationCounter,
  Workers,
} from './registryState';
import { registerGenesisGatekeeper, registerGenesisWorker } from './registryGenesisCalls';
import { forceRegisterWorker, registerWorkerV2 } from './registryWorkers';

// commands
const gk = Struct({ gatekeeper: AccountId });
const pruntime = Struct({ pruntimeHash: bytes() });
const genesisHash = Struct({ genesisBlockHash: AccountId });
/** PhalaRegistry's calls with Phala's call indices (2, 6, 8, 15 not modelled). */
export const RegistryCall = variant(
  'RegistryCall',
  {
    force_set_benchmark_duration: Struct({ value: u32 }),
    force_register_worker: Struct({ pubkey: AccountId, ecdhPubkey: AccountId, operator: option(AccountId) }),
    register_gatekeeper: gk,
    unregister_gatekeeper: gk,
    rotate_master_key: unit,
    register_worker_v2: Struct({ pruntimeInfo: workerRegistrationInfoV2Codec, attestation: option(attestationReportCodec) }),
    add_pruntime: pruntime,
    remove_pruntime: pruntime,
    add_relaychain_genesis_block_hash: genesisHash,
    remove_relaychain_genesis_block_hash: genesisHash,
    set_minimum_pruntime_version: Tuple(u32, u32, u32),
    set_pruntime_consensus_version: Struct({ version: u32 }),
    /** phalanet, Root only: the registry's chain-spec constants (genesis; Phala fixes them in `Config`) */
    force_set_config: Struct({ config: RegistryConfigCodec }),
    /** phalanet, Root at genesis only: a worker of `GenesisConfig::workers` (`registryGenesisCalls.ts`) */
    force_register_genesis_worker: Struct({ pubkey: AccountId, ecdhPubkey: AccountId, operator: option(AccountId), confidenceLevel: u8, initialScore: option(u32) }),
    /** phalanet, Root at genesis only: a gatekeeper of `GenesisConfig::gatekeepers` */
    force_register_genesis_gatekeeper: Struct({ pubkey: AccountId }),
  },
  {
    register_gatekeeper: 3,
    unregister_gatekeeper: 4,
    rotate_master_key: 5,
    register_worker_v2: 7,
    add_pruntime: 9,
    remove_pruntime: 10,
    add_relaychain_genesis_block_hash: 11,
    remove_relaychain_genesis_block_hash: 12,
    set_minimum_pruntime_version: 13,
    set_pruntime_consensus_version: 14,
    force_set_config: 100,
    force_register_genesis_worker: 101,
    force_register_genesis_gatekeeper: 102,
  },
);
/** A PhalaRegistry call. */
export type RegistryCall = CodecType<typeof RegistryCall>;

const registryError = (error: string) => left(dispatchError(REGISTRY, error));
const ok = right(undefined);
const pubkeyBytes = (hex: string) => fromHex(hex, 'pubkey', 32);

function registerGatekeeper(ctx: DispatchContext, gatekeeper: string): Either<DispatchError, void> {
  const s = ctx.storage;
  if (MasterKeyRotationLock.get(s) !== undefined) return registryError('MasterKeyInRotation');
  const list = Gatekeeper.get(s);
  // the first gatekeeper must upload the master pubkey before anyone joins it
  if (list.length > 0 && GatekeeperMasterPubkey.get(s) === undefined) return registryError('MasterKeyUninitialized');
  if (list.includes(gatekeeper)) {
    emitRegistry(ctx, { tag: 'GatekeeperAdded', value: { pubkey: gatekeeper } });
    return ok;
  }
  const worker = Workers.get(s, gatekeeper);
  if (worker === undefined) return registryError('WorkerNotFound');
  emitRegistry(ctx, { tag: 'GatekeeperAdded', value: { pubkey: gatekeeper } });
  const identity = { pubkey: pubkeyBytes(gatekeeper), ecdhPubkey: pubkeyBytes(worker.ecdhPubkey) };
  if (list.length === 0) pushPalletMessage(ctx, REGISTRY, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'FirstGatekeeper', value: identity }));
  else pushPalletMessage(ctx, REGISTRY, topics.gatekeeperChange, GatekeeperChangeScale.encode({ tag: 'Registered', value: identity }));
  return ok;
}

function unregisterGatekeeper(ctx: DispatchContext, gatekeeper: string): Either<DispatchError, void> {
  if (MasterKeyRotationLock.get(ctx.storage) !== undefined) return registryError('MasterKeyInRotation');
  const list = Gatekeeper.get(ctx.storage);
  if (!list.includes(gatekeeper)) return registryError('InvalidGatekeeper');
  if (list.length <= 1) return registryError('CannotRemoveLastGatekeeper');
  emitRegistry(ctx, { tag: 'GatekeeperRemoved', value: { pubkey: gatekeeper } });
  pushPalletMessage(ctx, REGISTRY, topics.gatekeeperChange, GatekeeperChangeScale.encode({ tag: 'Unregistered', value: { pubkey: pubkeyBytes(gatekeeper) } }));
  return ok;
}

function rotateMasterKey(ctx: DispatchContext): Either<DispatchError, void> {
  const s = ctx.storage;
  if (MasterKeyRotationLock.get(s) !== undefined) return registryError('MasterKeyInRotation');
  const gkIdentities = [];
  for (const g of Gatekeeper.get(s)) {
    const w = Workers.get(s, g);
    if (w === undefined) return registryError('WorkerNotFound');
    gkIdentities.push({ pubkey: pubkeyBytes(w.pubkey), ecdhPubkey: pubkeyBytes(w.ecdhPubkey) });
  }
  const rotationId = RotationCounter.get(s) + 1n;
  emitRegistry(ctx, { tag: 'MasterKeyRotationStarted', value: { rotationId } });
  pushPalletMessage(ctx, REGISTRY, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'RotateMasterKey', value: { rotationId, gkIdentities } }));
  return ok;
}

const hasBytes = (list: readonly Uint8Array[], x: Uint8Array) => list.some((h) => Buffer.compare(h, x) === 0);

/** Root-only allow-list and version calls. */
function decideAllowLists(ctx: DispatchContext, call: Extract<RegistryCall, { tag: `${string}_pruntime` | `${string}_genesis_block_hash` }>): Either<DispatchError, void> {
  const s = ctx.storage;
  switch (call.tag) {
    case 'add_pruntime':
      if (hasBytes(PRuntimeAllowList.get(s), call.value.pruntimeHash)) return registryError('PRuntimeAlreadyExists');
      emitRegistry(ctx, { tag: 'PRuntimeAdded', value: call.value });
      return ok;
    case 'remove_pruntime':
      if (!hasBytes(PRuntimeAllowList.get(s), call.value.pruntimeHash)) return registryError('PRuntimeNotFound');
      emitRegistry(ctx, { tag: 'PRuntimeRemoved', value: call.value });
      return ok;
    case 'add_relaychain_genesis_block_hash':
      if (RelaychainGenesisBlockHashAllowList.get(s).includes(call.value.genesisBlockHash)) return registryError('GenesisBlockHashAlreadyExists');
      emitRegistry(ctx, { tag: 'RelaychainGenesisBlockHashAdded', value: { hash: call.value.genesisBlockHash } });
      return ok;
    case 'remove_relaychain_genesis_block_hash':
      if (!RelaychainGenesisBlockHashAllowList.get(s).includes(call.value.genesisBlockHash)) return registryError('GenesisBlockHashNotFound');
      emitRegistry(ctx, { tag: 'RelaychainGenesisBlockHashRemoved', value: { hash: call.value.genesisBlockHash } });
      return ok;
    default:
      return unreachable(call);
  }
}

// decide
function decide(verify: VerifySignature) {
  return (ctx: DispatchContext, origin: Origin, call: RegistryCall): Either<DispatchError, void> => {
    if (call.tag === 'register_worker_v2') {
      if (origin.type !== 'Signed') return left(dispatchError('System', 'BadOrigin'));
      return registerWorkerV2(ctx, call.value.pruntimeInfo, call.value.attestation, verify);
    }
    if (origin.type !== 'Root') return left(dispatchError('System', 'BadOrigin'));
    switch (call.tag) {
      case 'force_set_benchmark_duration':
        emitRegistry(ctx, { tag: 'BenchmarkDurationSet', value: { duration: call.value.value } });
        return ok;
      case 'force_register_worker':
        forceRegisterWorker(ctx, call.value.pubkey, call.value.ecdhPubkey, call.value.operator);
        return ok;
      case 'register_gatekeeper':
        return registerGatekeeper(ctx, call.value.gatekeeper);
      case 'unregister_gatekeeper':
        return unregisterGatekeeper(ctx, call.value.gatekeeper);
      case 'rotate_master_key':
        return rotateMasterKey(ctx);
      case 'set_minimum_pruntime_version':
        emitRegistry(ctx, { tag: 'MinimumPRuntimeVersionChangedTo', value: call.value });
        return ok;
      case 'set_pruntime_consensus_version':
        emitRegistry(ctx, { tag: 'PRuntimeConsensusVersionChangedTo', value: call.value.version });
        return ok;
      case 'force_set_config':
        emitRegistry(ctx, { tag: 'ConfigSet', value: call.value });
        return ok;
      case 'force_register_genesis_worker':
        return registerGenesisWorker(ctx, call.value);
      case 'force_register_genesis_gatekeeper':
        return registerGenesisGatekeeper(ctx, call.value.pubkey);
      default:
        return decideAllowLists(ctx, call);
    }
  };
}

/** Key maps the registry does not own yet (Phat's cluster and contract keys). */
export interface OffchainKeyMaps {
  clusterKey?(s: StorageReader, clusterId: Uint8Array): Uint8Array | undefined;
  contractKey?(s: StorageReader, contractId: Uint8Array): Uint8Array | undefined;
}

/**
 * `Registry::check_message`'s key lookup for the mq: `Worker(pk)` → pk itself (no registration
 * check, §14 F8); `Gatekeeper` → the master pubkey or `MasterKeyUninitialized`; `Cluster` /
 * `Contract` → the given key maps or `UnknownCluster` / `UnknownContract`.
 */
export function registryMessageKey(maps: OffchainKeyMaps = {}): MessageKeyLookup {
  return (s, sender) => {
    switch (sender.tag) {
      case 'Worker':
        return right(sender.value);
      case 'Gatekeeper': {
        const master = GatekeeperMasterPubkey.get(s);
        return master === undefined ? registryError('MasterKeyUninitialized') : right(pubkeyBytes(master));
      }
      case 'Cluster': {
        const key = maps.clusterKey?.(s, sender.value);
        return key === undefined ? registryError('UnknownCluster') : right(key);
      }
      case 'Contract': {
        const key = maps.contractKey?.(s, sender.value);
        return key === undefined ? registryError('UnknownContract') : right(key);
      }
      default:
        return registryError('CannotHandleUnknownMessage');
    }
  };
}

/** Builds PhalaRegistry; `verify` checks attestation vendor signatures (default sr25519). */
export function createRegistryPallet(deps: { verify?: VerifySignature } = {}): Pallet {
  return definePallet<RegistryCall, PhalaRegistryEvent>({
    name: REGISTRY,
    calls: RegistryCall,
    events: PhalaRegistryEvent,
    dispatch: decide(deps.verify ?? sr25519Verify),
    evolve: evolveRegistry,
    messageHandlers: [registryEventHandler, gatekeeperRegistryEventHandler],
  });
}
