import * as E from 'fp-ts/Either';
import type { Block } from '../../domain/chain/block';
import type { BlockHeader } from '../../domain/codec/blockHeader.codec';
import { SignedMessageScale } from '../../domain/codec/mq.codec';
import { U256_MAX } from '../../domain/economics/powTarget';
import { seededRandom } from '../../simulations/seededRandom';
import { createAttestationVendor } from '../platform/attestationVendor';
import { measurementOf } from '../platform/measurement';
import { createSimulatedPlatform } from '../platform/platform';
import { verifyBlock } from './blockView';
import { checkpointWorker, restoreWorker } from './checkpoint';
import { challengeMessage, genesisHeader, nextBlock, workerEventMessage } from './testing/pruntimeFixtures';
import { createWorkerGroup } from './workerGroup';
import { createWorkerIdentity } from './workerIdentity';
import { createWorkerRuntime, pendingEgress, type WorkerRuntime } from './workerRuntime';

const root = seededRandom(11).fork('checkpoint-test');
const vendor = createAttestationVendor(root.fork('vendor'));
const platform = createSimulatedPlatform(vendor, root.fork('platform-a'));
const otherPlatform = createSimulatedPlatform(vendor, root.fork('platform-b'));
const build = measurementOf('pruntime', '1.0.0');
const otherBuild = measurementOf('pruntime', '1.0.1');
const workerRandom = root.fork('worker-0');
const original = createWorkerRuntime(createWorkerIdentity(workerRandom), { iterationsPer6s: 1500n });

// blocks 1..8: register + bench (duration 1), start, then a challenge every block that always hits
const blocks: Block[] = [];
let head: BlockHeader = genesisHeader();
for (let n = 1; n <= 8; n++) {
  const pk = original.pubkey;
  const messages =
    n === 1
      ? [workerEventMessage(pk, { tag: 'Registered', value: { confidenceLevel: 1 } }), workerEventMessage(pk, { tag: 'BenchStart', value: { duration: 1 } })]
      : n === 2
        ? [workerEventMessage(pk, { tag: 'Started', value: { sessionId: 3, initV: 1n, initP: 250 } })]
        : [challengeMessage(BigInt(n), U256_MAX)];
  blocks.push(nextBlock(head, messages));
  head = blocks[blocks.length - 1]!.header;
}

function run(worker: WorkerRuntime, from: number, to: number): void {
  const group = createWorkerGroup(from);
  group.add(worker);
  for (let n = from; n <= to; n++) {
    const view = verifyBlock(n === 1 ? genesisHeader() : blocks[n - 2]!.header, blocks[n - 1]!);
    if (E.isLeft(view)) throw new Error(view.left._tag);
    group.processBlock(view.right);
  }
}

const encoded = (w: WorkerRuntime, from: bigint) => pendingEgress(w, from).map((m) => Buffer.from(SignedMessageScale.encode(m)).toString('hex'));

run(original, 1, 4);
const sealed = checkpointWorker(original, platform, build, 4);
run(original, 5, 8);

describe('worker checkpoint', () => {
  it('round-trips the machine, counter, egress and cursor', () => {
    const restored = restoreWorker(platform, build, sealed, workerRandom);
    if (E.isLeft(restored)) throw new Error(restored.left._tag);
    const { worker, syncedBlock } = restored.right;
    expect(syncedBlock).toBe(4);
    expect(worker.pubkey).toEqual(original.pubkey);
    expect(worker.machine).toEqual({ registered: true, benchState: undefined, workingState: { sessionId: 3, state: 'Computing', startTimeMs: blocks[1]!.header.timestamp, startIter: 1500n * 2n } });
    expect(worker.workerChannel.sequence).toBe(3n); // bench report (block 2), heartbeats of blocks 3 and 4
    expect(encoded(worker, 0n)).toEqual(encoded(original, 0n).slice(0, 3));
  });

  it('after a restart re-produces exactly the messages not yet on chain, byte for byte', () => {
    const onChainNext = 2n; // the chain accepted the bench report and the first heartbeat
    const restored = restoreWorker(platform, build, sealed, workerRandom);
    if (E.isLeft(restored)) throw new Error(restored.left._tag);
    const worker = restored.right.worker;
    run(worker, 5, 8); // sync on from the cursor the checkpoint holds
    expect(pendingEgress(worker, onChainNext).map((m) => m.sequence)).toEqual([2n, 3n, 4n, 5n, 6n]);
    expect(encoded(worker, onChainNext)).toEqual(encoded(original, onChainNext));
  });

  it('re-signs identically only with the same Random: signing randomness is derived per (origin, sequence)', () => {
    const restored = restoreWorker(platform, build, sealed, root.fork('another worker random'));
    if (E.isLeft(restored)) throw new Error(restored.left._tag);
    run(restored.right.worker, 5, 8);
    const [again, first] = [encoded(restored.right.worker, 3n), encoded(original, 3n)];
    expect(again).toHaveLength(first.length);
    expect(again.some((m, i) => m === first[i])).toBe(false);
  });

  it('refuses a tampered blob, another platform and another measurement with the sealing error', () => {
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 20]! ^= 1;
    const tagOf = (r: ReturnType<typeof restoreWorker>) => (E.isLeft(r) ? r.left._tag : 'restored');
    expect(tagOf(restoreWorker(platform, build, tampered, workerRandom))).toBe('SealIntegrityFailure');
    expect(tagOf(restoreWorker(otherPlatform, build, sealed, workerRandom))).toBe('SealIntegrityFailure');
    expect(tagOf(restoreWorker(platform, otherBuild, sealed, workerRandom))).toBe('SealedForAnotherMeasurement');
    expect(tagOf(restoreWorker(platform, build, sealed.subarray(0, 10), workerRandom))).toBe('SealedBlobMalformed');
  });

  it('refuses sealed bytes that are not a checkpoint', () => {
    const r = restoreWorker(platform, build, platform.seal(build, Uint8Array.of(1, 2, 3)), workerRandom);
    expect(E.isLeft(r) && r.left._tag).toBe('CheckpointMalformed');
  });
});
