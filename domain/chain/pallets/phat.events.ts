/**
 * Events of the Phat contracts pallet and their fold. Indices 0–10 are Phala's `Event` enum, field
 * for field. Phala also writes some storage without an event; in phalanet every change is an event,
 * so those writes get phalanet-only events at indices 11 and up (never in a Phala ledger).
 */
import { resourceTypeCodec } from '../../codec/contractEvents.codec';
import { bytes, type CodecType, struct, tuple, u16, u32, u64, u128, variant, vec } from '../../codec/scale';
import { AccountId, ClusterId, ContractId, H256, WorkerPubkey } from '../../ids/ids';
import type { Storage } from '../../runtime/storage';
import { unreachable } from '../../runtime/types';
import {
  ClusterByWorkers,
  ClusterContracts,
  ClusterCounter,
  ClusterInfo,
  ClusterKeys,
  ClusterResources,
  Clusters,
  ClusterWorkers,
  ContractKeys,
  Contracts,
  NextPinkSystemCode,
  PinkRuntimeVersion,
  PinkSystemCode,
  PinkSystemCodeHash,
  REMOVED_WORKERS_CLUSTER,
} from './phat.state';

const cluster = ClusterId.codec;
const contract = ContractId.codec;

/** `pallet_phat::Event` (0–10) followed by phalanet's state-carrying events (11–16). */
export const PhatEvent = variant('PhatEvent', {
  ClusterCreated: struct({ cluster, systemContract: contract }),
  ClusterPubkeyAvailable: struct({ cluster, pubkey: H256.codec }),
  ClusterDeployed: struct({ cluster, pubkey: H256.codec, worker: WorkerPubkey.codec }),
  ClusterDeploymentFailed: struct({ cluster, worker: WorkerPubkey.codec }),
  Instantiating: struct({ contract, cluster, deployer: AccountId.codec }),
  ContractPubkeyAvailable: struct({ contract, cluster, pubkey: H256.codec }),
  Instantiated: struct({ contract, cluster, deployer: H256.codec }),
  ClusterDestroyed: struct({ cluster }),
  Transfered: struct({ cluster, account: H256.codec, amount: u128 }),
  WorkerAddedToCluster: struct({ worker: WorkerPubkey.codec, cluster }),
  WorkerRemovedFromCluster: struct({ worker: WorkerPubkey.codec, cluster }),
  /** phalanet: what `add_cluster` stores (Phala's `ClusterCreated` carries only the ids) */
  ClusterAdded: struct({ cluster, counter: u64, info: ClusterInfo, workers: vec(WorkerPubkey.codec) }),
  /** phalanet: a resource was forwarded to a cluster; `codeHash` = blake2_256 of its bytes */
  ResourceUploaded: struct({ cluster, uploader: AccountId.codec, resourceType: resourceTypeCodec, codeHash: H256.codec, size: u32 }),
  /** phalanet: `set_pink_system_code` scheduled a code for the next block */
  PinkSystemCodeScheduled: struct({ code: bytes() }),
  /** phalanet: the scheduled code became the system code (block initialization) */
  PinkSystemCodeApplied: struct({ version: u16, codeHash: H256.codec }),
  /** phalanet: `set_pink_runtime_version` */
  PinkRuntimeVersionSet: struct({ version: tuple(u32, u32) }),
  /** phalanet: `cleanup_removed_workers` */
  RemovedWorkersCleaned: struct({ cluster }),
});
/** One event of the Phat contracts pallet. */
export type PhatEvent = CodecType<typeof PhatEvent>;

/** Folds one event into storage; total (a corrupt ledger never makes it throw). */
export function evolvePhat(s: Storage, e: PhatEvent): void {
  switch (e.tag) {
    case 'ClusterAdded': {
      const { cluster: id, counter, info, workers } = e.value;
      ClusterCounter.set(s, counter);
      for (const w of workers) ClusterByWorkers.set(s, w, id);
      ClusterWorkers.set(s, id, workers);
      Clusters.set(s, id, info);
      return;
    }
    case 'ClusterPubkeyAvailable':
      ClusterKeys.set(s, e.value.cluster, e.value.pubkey);
      return;
    case 'Instantiating':
      Contracts.set(s, e.value.contract, { deployer: e.value.deployer, cluster: e.value.cluster });
      return;
    case 'ContractPubkeyAvailable': {
      const { contract: id, cluster: c, pubkey } = e.value;
      ContractKeys.set(s, id, pubkey);
      ClusterContracts.set(s, c, [...(ClusterContracts.get(s, c) ?? []), id]);
      return;
    }
    case 'Instantiated':
      // a contract instantiated by a user already has its record; one created inside the cluster gets one now
      if (!Contracts.has(s, e.value.contract)) {
        Contracts.set(s, e.value.contract, { deployer: AccountId.parse(e.value.deployer), cluster: e.value.cluster });
      }
      return;
    case 'ClusterDestroyed':
      // Phala removes only the info: the workers stay bound to the dead cluster
      Clusters.remove(s, e.value.cluster);
      return;
    case 'WorkerAddedToCluster':
      ClusterByWorkers.set(s, e.value.worker, e.value.cluster);
      ClusterWorkers.set(s, e.value.cluster, [...(ClusterWorkers.get(s, e.value.cluster) ?? []), e.value.worker]);
      return;
    case 'WorkerRemovedFromCluster': {
      const { worker, cluster: c } = e.value;
      ClusterByWorkers.set(s, worker, REMOVED_WORKERS_CLUSTER);
      ClusterWorkers.set(s, c, (ClusterWorkers.get(s, c) ?? []).filter((w) => w !== worker));
      return;
    }
    case 'ResourceUploaded': {
      const { cluster: c, uploader, resourceType, codeHash, size } = e.value;
      ClusterResources.set(s, { cluster: c, codeHash }, { resourceType, uploader, size });
      return;
    }
    case 'PinkSystemCodeScheduled':
      NextPinkSystemCode.set(s, e.value.code);
      return;
    case 'PinkSystemCodeApplied': {
      const code = NextPinkSystemCode.get(s) ?? PinkSystemCode.get(s)[1];
      PinkSystemCode.set(s, [e.value.version, code]);
      PinkSystemCodeHash.set(s, e.value.codeHash);
      NextPinkSystemCode.reset(s);
      return;
    }
    case 'PinkRuntimeVersionSet':
      PinkRuntimeVersion.set(s, e.value.version);
      return;
    case 'RemovedWorkersCleaned': {
      const c = e.value.cluster;
      const kept = (ClusterWorkers.get(s, c) ?? []).filter((w) => ClusterByWorkers.get(s, w) !== REMOVED_WORKERS_CLUSTER);
      ClusterWorkers.set(s, c, kept);
      return;
    }
    case 'ClusterCreated':
    case 'ClusterDeployed':
    case 'ClusterDeploymentFailed':
    case 'Transfered':
      // facts for observers: the state they imply is carried by other events (ClusterAdded, Balances.Transfer)
      return;
    default:
      unreachable(e);
  }
}
