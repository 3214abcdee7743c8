/**
 * The registry's genesis as Root calls (`registry::GenesisConfig::build`, DOMAIN.md §14 F2): a
 * genesis worker is Root-attested, `WorkerAddedAt` is not written, and `Registered` +
 * `BenchStart` are queued for block 1; the first genesis gatekeeper gets `FirstGatekeeper`,
 * later ones `GatekeeperChange::Registered`, with no master pubkey yet.
 *
 * Beyond Phala's genesis (which always has confidence 128 and no score): a worker may come with a
 * confidence level and an initial score, as if its attestation and benchmark had already happened.
 * With a score, `BenchScore(score)` is queued instead of `BenchStart` — the chain's answer to a
 * bench report — so the worker does not benchmark again and the gatekeepers learn the score.
 *
 * Both calls bypass attestation, so they are refused after block 0 (`GenesisOnly`): later, Root
 * has `force_register_worker` and `register_gatekeeper`, which check what a running chain needs.
 */
import { type Either, left, right } from 'fp-ts/Either';
import { GatekeeperChangeScale, GatekeeperLaunchScale } from '../../codec/gatekeeperEvents.codec';
import { fromHex } from '../../codec/hex';
import { topics } from '../../codec/topics';
import { type DispatchContext, type DispatchError, dispatchError } from '../../runtime/types';
import { pushPalletMessage } from './mq.pallet';
import { BenchmarkDuration, emitRegistry, Gatekeeper, REGISTRY, type WorkerInfoV2, Workers } from './registryState';
import { pushWorkerEvent } from './registryWorkers';

/** What `force_register_genesis_worker` carries. */
export interface GenesisWorkerArgs {
  readonly pubkey: string;
  readonly ecdhPubkey: string;
  readonly operator: string | undefined;
  readonly confidenceLevel: number;
  readonly initialScore: number | undefined;
}

const registryError = (error: string) => left(dispatchError(REGISTRY, error));
const ok = right(undefined);

/** Phala's genesis worker record (features `[1, 4]`, `last_updated` 0), with the given confidence and score. */
export function registerGenesisWorker(ctx: DispatchContext, w: GenesisWorkerArgs): Either<DispatchError, void> {
  if (ctx.block.number !== 0) return registryError('GenesisOnly');
  if (Workers.has(ctx.storage, w.pubkey)) return registryError('DuplicateGenesisWorker');
  const info: WorkerInfoV2 = {
    pubkey: w.pubkey,
    ecdhPubkey: w.ecdhPubkey,
    runtimeVersion: 0,
    lastUpdated: 0n,
    operator: w.operator,
    attestationProvider: 'Root',
    confidenceLevel: w.confidenceLevel,
    initialScore: w.initialScore,
    features: [1, 4],
  };
  emitRegistry(ctx, { tag: 'WorkerInfoStored', value: { info, addedAt: undefined } });
  pushWorkerEvent(ctx, REGISTRY, w.pubkey, { tag: 'Registered', value: { confidenceLevel: w.confidenceLevel } });
  if (w.initialScore === undefined) pushWorkerEvent(ctx, REGISTRY, w.pubkey, { tag: 'BenchStart', value: { duration: BenchmarkDuration.get(ctx.storage) ?? 0 } });
  else pushWorkerEvent(ctx, REGISTRY, w.pubkey, { tag: 'BenchScore', value: w.initialScore });
  return ok;
}

/** A registered genesis worker joins the gatekeepers; the first one launches the master key. */
export function registerGenesisGatekeeper(ctx: DispatchContext, pubkey: string): Either<DispatchError, void> {
  if (ctx.block.number !== 0) return registryError('GenesisOnly');
  const worker = Workers.get(ctx.storage, pubkey);
  if (worker === undefined) return registryError('WorkerNotFound');
  const list = Gatekeeper.get(ctx.storage);
  if (list.includes(pubkey)) return registryError('DuplicateGenesisGatekeeper');
  emitRegistry(ctx, { tag: 'GatekeeperAdded', value: { pubkey } });
  const identity = { pubkey: fromHex(pubkey, 'gatekeeper pubkey', 32), ecdhPubkey: fromHex(worker.ecdhPubkey, 'gatekeeper ecdh pubkey', 32) };
  if (list.length === 0) pushPalletMessage(ctx, REGISTRY, topics.gatekeeperLaunch, GatekeeperLaunchScale.encode({ tag: 'FirstGatekeeper', value: identity }));
  else pushPalletMessage(ctx, REGISTRY, topics.gatekeeperChange, GatekeeperChangeScale.encode({ tag: 'Registered', value: identity }));
  return ok;
}
