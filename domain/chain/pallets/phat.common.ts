/**
 * What the Phat contracts pallet's deciders share: its errors, its outside lookups, and pushing an
 * mq message as `Pallet("PhalaPhatContracts")` (Phala's `MessageOriginInfo::push_message`).
 */
import { fromHex } from '../../codec/hex';
import { topicBytes } from '../../codec/topics';
import type { AccountId, WorkerPubkey } from '../../ids/ids';
import type { StorageReader } from '../../runtime/storage';
import { type DispatchContext, type DispatchError, dispatchError } from '../../runtime/types';
import type { PhatCall } from './phat.callCodec';
import { type ClusterInfo, PHAT } from './phat.state';

/** `pallet_phat::Error`, in Phala's order, plus the router's `MessageCodecError` for undecodable payloads. */
export type PhatError =
  | 'CodeNotFound'
  | 'ClusterNotFound'
  | 'ClusterNotDeployed'
  | 'ClusterPermissionDenied'
  | 'DuplicatedContract'
  | 'DuplicatedDeployment'
  | 'NoWorkerSpecified'
  | 'InvalidSender'
  | 'WorkerNotFound'
  | 'PayloadTooLarge'
  | 'NoPinkSystemCode'
  | 'ContractNotFound'
  | 'WorkerIsBusy'
  | 'MessageCodecError';

/** A dispatch error of this pallet. */
export const phatError = (error: PhatError): DispatchError => dispatchError(PHAT, error);

/**
 * What the pallet needs from outside itself, passed to `createPhatPallet` so that it does not
 * depend on the registry pallet's code.
 */
export interface PhatDeps {
  /**
   * `registry::Workers[worker]`: the registered worker's ECDH public key (`0x` hex, 32 bytes), or
   * undefined if the worker is not registered. `add_cluster` puts it in `DeployCluster` so the
   * gatekeepers can encrypt the cluster key to each worker.
   */
  registeredWorker(s: StorageReader, worker: WorkerPubkey): { readonly ecdhPubkey: string } | undefined;
  /** `InkCodeSizeLimit` (default 2 MiB): ink and indeterministic ink uploads, and the system code */
  readonly inkCodeSizeLimit?: number;
  /** `SidevmCodeSizeLimit` (default 8 MiB) */
  readonly sidevmCodeSizeLimit?: number;
}

const palletOrigin = { tag: 'Pallet' as const, value: topicBytes(PHAT) };

/** Pushes `payload` on `topic` with this pallet as sender. */
export function pushFromPallet(ctx: DispatchContext, topic: string, payload: Uint8Array): void {
  ctx.push({ sender: palletOrigin, destination: topicBytes(topic), payload });
}

/** `check_cluster_permission`: may `who` deploy into (or upload code to) this cluster? */
export function mayDeploy(who: AccountId, cluster: ClusterInfo): boolean {
  switch (cluster.permission.tag) {
    case 'Public':
      return true;
    case 'OnlyOwner':
      return cluster.permission.value === who;
    default: {
      const never: never = cluster.permission;
      throw new Error(`unknown cluster permission ${JSON.stringify(never)}`);
    }
  }
}

/** The arguments of one call of the pallet. */
export type CallArgs<T extends PhatCall['tag']> = Extract<PhatCall, { tag: T }>['value'];

/** Raw bytes of a 32-byte `0x` id, for the mq payload codecs (which carry bytes). */
export const bytes32 = (hex: string): Uint8Array => fromHex(hex, 'id', 32);
