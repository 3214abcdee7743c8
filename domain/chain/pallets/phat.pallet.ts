/**
 * `PhalaPhatContracts` (`pallets/phala/src/phat.rs`): Phat contract clusters, code uploads,
 * contract instantiation, deposits into clusters, commands to contracts, and the cluster and
 * contract key registry fed by gatekeeper and cluster messages (DOMAIN.md §9.2, §14 F33).
 *
 * Governance calls (`add_cluster`, `set_pink_system_code`, `set_pink_runtime_version`; Phala's
 * `EnsureRootOrHalfCouncil`) and root calls (`cluster_destroy`, `cleanup_removed_workers`) take
 * the Root origin (Sudo); every other call is signed.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { blake2b256 } from '../../codec/hash';
import { AccountId, H256 } from '../../ids/ids';
import { type DispatchContext, type DispatchError, definePallet, dispatchError, type Origin, type Pallet, unreachable } from '../../runtime/types';
import { type PhatCall, phatCallCodec } from './phat.callCodec';
import { addCluster, addWorkerToCluster, clusterDestroy, removeWorkerFromCluster, transferToCluster } from './phat.clusterCalls';
import type { PhatDeps } from './phat.common';
import { clusterUploadResource, instantiateContract, pushContractMessage } from './phat.contractCalls';
import { evolvePhat, PhatEvent } from './phat.events';
import { phatMessageHandlers } from './phat.handlers';
import { NextPinkSystemCode, PHAT, PinkSystemCode } from './phat.state';

export type { PhatDeps, PhatError } from './phat.common';
export { type PhatCall, phatCallCodec } from './phat.callCodec';
export { PhatEvent } from './phat.events';
export * from './phat.state';

const badOrigin = left(dispatchError('System', 'BadOrigin'));
const ok = right(undefined);

/** Dispatches the calls that need the Root origin. */
function dispatchRoot(ctx: DispatchContext, deps: PhatDeps, call: PhatCall): Either<DispatchError, void> {
  switch (call.tag) {
    case 'addCluster':
      return addCluster(ctx, deps, call.value);
    case 'clusterDestroy':
      return clusterDestroy(ctx, call.value);
    case 'setPinkSystemCode':
      ctx.emit(PHAT, { tag: 'PinkSystemCodeScheduled', value: { code: call.value.code } });
      return ok;
    case 'setPinkRuntimeVersion':
      ctx.emit(PHAT, { tag: 'PinkRuntimeVersionSet', value: { version: call.value.version } });
      return ok;
    case 'cleanupRemovedWorkers':
      ctx.emit(PHAT, { tag: 'RemovedWorkersCleaned', value: { cluster: call.value.clusterId } });
      return ok;
    default:
      return badOrigin;
  }
}

/** Dispatches the calls of a signed account. */
function dispatchSigned(ctx: DispatchContext, deps: PhatDeps, who: AccountId, call: PhatCall): Either<DispatchError, void> {
  switch (call.tag) {
    case 'clusterUploadResource':
      return clusterUploadResource(ctx, deps, who, call.value);
    case 'transferToCluster':
      return transferToCluster(ctx, who, call.value);
    case 'pushContractMessage':
      return pushContractMessage(ctx, who, call.value);
    case 'instantiateContract':
      return instantiateContract(ctx, who, call.value);
    case 'addWorkerToCluster':
      return addWorkerToCluster(ctx, deps, who, call.value);
    case 'removeWorkerFromCluster':
      return removeWorkerFromCluster(ctx, who, call.value);
    case 'addCluster':
    case 'clusterDestroy':
    case 'setPinkSystemCode':
    case 'setPinkRuntimeVersion':
    case 'cleanupRemovedWorkers':
      return badOrigin;
    default:
      return unreachable(call);
  }
}

/**
 * `on_initialize`: a system code scheduled in the previous block becomes the code new clusters
 * use (version + 1, hash = blake2_256(code)). A genesis call to `set_pink_system_code` therefore
 * takes effect at block 1's initialization.
 */
function onInitialize(ctx: DispatchContext): void {
  const next = NextPinkSystemCode.get(ctx.storage);
  if (next === undefined) return;
  const version = (PinkSystemCode.get(ctx.storage)[0] + 1) & 0xffff;
  ctx.emit(PHAT, { tag: 'PinkSystemCodeApplied', value: { version, codeHash: H256.fromBytes(blake2b256(next)) } });
}

/** Builds the pallet; `deps` supplies the registry lookup and optional size limits. */
export function createPhatPallet(deps: PhatDeps): Pallet {
  const calls = phatCallCodec(deps.inkCodeSizeLimit);
  return definePallet<PhatCall, PhatEvent>({
    name: PHAT,
    calls,
    events: PhatEvent,
    dispatch: (ctx: DispatchContext, origin: Origin, call: PhatCall) =>
      origin.type === 'Root' ? dispatchRoot(ctx, deps, call) : dispatchSigned(ctx, deps, AccountId.parse(origin.who), call),
    evolve: (s, e) => evolvePhat(s, e),
    onInitialize,
    messageHandlers: phatMessageHandlers,
  });
}
