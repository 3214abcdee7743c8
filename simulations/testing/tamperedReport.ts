/**
 * TEST-ONLY. A simulated ledger, and a copy of it in which one gatekeeper report pays a worker
 * more than the gatekeepers' arithmetic says — a forged report the chain accepts all the same: it
 * is re-signed with the run's master key (read through the enclave's leak-scan door from a second,
 * identical world) and relayed by the same relayer account, and the block carrying it is
 * re-executed and re-sealed, so its roots, state root, events and hash are all consistent and
 * only replay's gatekeeper-report check can tell.
 */
import { readFileSync } from 'node:fs';
import { isRight } from 'fp-ts/Either';
import type { Block } from '../../domain/chain/block';
import { ChainSpecScale } from '../../domain/chain/chainSpec';
import { executeBlock, genesis } from '../../domain/chain/executive';
import { decodeExtrinsic } from '../../domain/chain/extrinsic';
import { CHAIN_STREAM, decodeBlockRecord } from '../../domain/chain/ledger';
import type { MqCall } from '../../domain/chain/pallets/mq.pallet';
import { recordedReports } from '../../domain/chain/replayReports';
import { messageSigningBytes } from '../../domain/codec/mq.codec';
import { type WorkingInfoUpdateEvent, WorkingInfoUpdateEventScale } from '../../domain/codec/systemEvents.codec';
import type { Runtime } from '../../domain/runtime/runtime';
import type { EventStore } from '../../domain/ports/eventStore';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { pairFromSeed } from '../../enclave/keys/sr25519Pair';
import { signWith } from '../../enclave/signing';
import { secretsForLeakScan } from '../../enclave/testing/secretsForLeakScan';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { signExtrinsic } from '../run/accounts';
import { runSimulation } from '../run/runSimulation';
import { createWorld } from '../run/simulation';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import type { ResolvedScenario } from '../scenario';
import { seededRandom } from '../seededRandom';

/** Quickstart resolved with `seed`, cut to `blocks` blocks. */
export function quickstartScenario(seed: bigint, blocks: number): ResolvedScenario {
  const loaded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart');
  if (!isRight(loaded)) throw new Error('quickstart does not load');
  return resolveScenario(loaded.right, { seed, blocks });
}

/** Runs `scenario` into a memory store and returns its blocks in order. */
export async function simulatedLedger(scenario: ResolvedScenario): Promise<Block[]> {
  const store = memoryEventStore();
  await runSimulation({ scenario, store });
  return readBlocks(store);
}

async function readBlocks(store: EventStore): Promise<Block[]> {
  const out: Block[] = [];
  for await (const r of store.readStream(CHAIN_STREAM)) out.push(decodeBlockRecord(r));
  return out;
}

/** The first recorded report with a positive payout: the block carrying it, its extrinsic, and the report. */
function firstPaidReport(blocks: readonly Block[], runtime: Runtime): { carriedIn: number; extrinsic: number; report: WorkingInfoUpdateEvent } {
  for (const b of blocks) {
    for (const r of recordedReports(b, runtime)) {
      if ('report' in r && r.report.settle.some((s) => s.payout > 0n)) return { carriedIn: b.header.number, extrinsic: r.extrinsic, report: r.report };
    }
  }
  throw new Error('no gatekeeper report with a payout in this ledger: run more blocks');
}

/** A tampered ledger: blocks 0..carriedIn−1 as recorded, then the re-sealed block with the forged report (the head). */
export interface TamperedLedger {
  readonly blocks: Block[];
  /** the block the forged report is for */
  readonly reportFor: number;
  /** the block that carries it */
  readonly carriedIn: number;
  /** the worker whose payout changed */
  readonly worker: string;
}

/** Forges the first paid report of `blocks` (written by `scenario`), adding 1 PHA to its first positive payout. */
export async function forgeFirstPaidReport(scenario: ResolvedScenario, blocks: readonly Block[]): Promise<TamperedLedger> {
  const world = await createWorld({ scenario, store: memoryEventStore() });
  const runtime = world.chain.runtime;
  const found = firstPaidReport(blocks, runtime);
  const i = found.report.settle.findIndex((s) => s.payout > 0n);
  const settle = found.report.settle.map((s, k) => (k === i ? { ...s, payout: s.payout + (1n << 64n) } : s));
  const forgedPayload = WorkingInfoUpdateEventScale.encode({ ...found.report, settle });
  // a second world from the same seed holds the same keys: the master key appears at its generation
  const vault = world.gatekeepers[0]!.worker.identity.vault;
  vault.generateFirstMasterKey();
  const seed = secretsForLeakScan(vault).find((s) => s.label === 'master key 0')?.forms.find((f) => f.form === 'seed')?.bytes;
  if (seed === undefined) throw new Error('the master key has no seed to re-sign with');
  const master = pairFromSeed(seed);
  const random = seededRandom(1, 'forged report');
  const carrier = blocks[found.carriedIn]!;
  const extrinsics = carrier.extrinsics.map((bytes, index) => {
    if (index !== found.extrinsic) return bytes;
    const x = decodeExtrinsic(bytes);
    const call = runtime.callCodec.dec(x.call) as { tag: string; value: MqCall };
    if (call.value.tag !== 'sync_offchain_message') throw new Error('the report extrinsic is not a sync_offchain_message');
    const signed = call.value.value.signedMessage;
    const message = { ...signed.message, payload: forgedPayload };
    const signature = signWith(master, messageSigningBytes(message, signed.sequence), random);
    const relayer = world.gatekeepers.map((g) => g.gkRelayer).find((a) => a.id === x.signer);
    if (relayer === undefined) throw new Error(`the report's relayer ${x.signer} is no gatekeeper relayer of this world`);
    const forged: RuntimeEvent = { tag: 'PhalaMq', value: { tag: 'sync_offchain_message', value: { signedMessage: { message, sequence: signed.sequence, signature } } } };
    return signExtrinsic(runtime, relayer, forged, x.nonce, world.chain.genesisHash, random);
  });
  const chain = genesis(runtime, ChainSpecScale.decode(blocks[0]!.genesis!)).chain;
  for (const b of blocks.slice(1, found.carriedIn)) executeBlock(chain, { timestampMs: Number(b.header.timestamp), author: b.header.author, extrinsics: b.extrinsics });
  const resealed = executeBlock(chain, { timestampMs: Number(carrier.header.timestamp), author: carrier.header.author, extrinsics });
  const accepted = recordedReports(resealed, runtime).some((r) => r.extrinsic === found.extrinsic && 'report' in r);
  if (!accepted) throw new Error(`the chain refused the forged report in block ${found.carriedIn}: the master key does not match`);
  return { blocks: [...blocks.slice(0, found.carriedIn), resealed], reportFor: found.report.blockNumber, carriedIn: found.carriedIn, worker: `0x${Buffer.from(settle[i]!.pubkey).toString('hex')}` };
}
