import fc from 'fast-check';
import { messageSigningBytes, type SignedMessage } from '../../domain/codec/mq.codec';
import { registryEventCodec, workingReportEventCodec } from '../../domain/codec/systemEvents.codec';
import { topics } from '../../domain/codec/topics';
import { sr25519Verify } from '../../domain/crypto';
import { U256_MAX } from '../../domain/economics/powTarget';
import { seededRandom } from '../../simulations/seededRandom';
import { challengeMessage, fakeIdentity, testChain, workerEventMessage } from './testing/pruntimeFixtures';
import { createWorkerGroup } from './workerGroup';
import { createWorkerIdentity } from './workerIdentity';
import { createWorkerRuntime, pendingEgress, setDummyMode, type WorkerRuntime } from './workerRuntime';

const SPEED = 2000n; // iterations per 6 s

function oneWorker(identity = fakeIdentity('solo'), speed = SPEED) {
  const worker = createWorkerRuntime(identity, { iterationsPer6s: speed });
  const group = createWorkerGroup();
  group.add(worker);
  return { worker, chain: testChain(group) };
}

const decodeBench = (m: SignedMessage) => registryEventCodec.dec(m.message.payload);
const decodeReport = (m: SignedMessage) => workingReportEventCodec.dec(m.message.payload);
const kindOf = (m: SignedMessage) => {
  const topic = new TextDecoder().decode(m.message.destination);
  if (topic === topics.workingReport) return decodeReport(m).tag;
  if (topic === topics.registryEvent) return decodeBench(m).tag;
  throw new Error(`unexpected topic ${topic}`);
};
const messagesOf = (egress: readonly { messages: readonly SignedMessage[] }[]) => egress.flatMap((e) => e.messages);

/** The registry's score (DOMAIN.md §4.5): integer arithmetic, ms → whole seconds first. */
function registryScore(iterations: bigint, startTime: bigint, nowMs: bigint): bigint {
  const s = iterations / ((nowMs - startTime) / 1000n);
  const score = s * 6n;
  return score < 6000n ? score : 6000n;
}

function registerAndBench(w: WorkerRuntime, chain: ReturnType<typeof oneWorker>['chain'], duration: number) {
  return chain.step([
    workerEventMessage(w.pubkey, { tag: 'Registered', value: { confidenceLevel: 1 } }),
    workerEventMessage(w.pubkey, { tag: 'BenchStart', value: { duration } }),
  ]);
}

describe('benchmark report', () => {
  it('duration 0 reports in the block of BenchStart, with 0 iterations (no virtual time passes inside a block)', () => {
    const { worker, chain } = oneWorker();
    const { view, egress } = registerAndBench(worker, chain, 0);
    const sent = messagesOf(egress);
    expect(sent).toHaveLength(1);
    expect(decodeBench(sent[0]!)).toEqual({ tag: 'BenchReport', value: { startTime: view.nowMs, iterations: 0n } });
    expect(worker.machine.benchState).toBeUndefined();
    expect(worker.counter.runningSinceMs).toBeUndefined(); // paused again: not computing
  });

  it('duration d > 0 reports at block start + d; the registry score follows the CPU speed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.bigInt({ min: 100n, max: 5000n }), (d, speed) => {
        const { worker, chain } = oneWorker(fakeIdentity('bench'), speed);
        const start = registerAndBench(worker, chain, d);
        expect(messagesOf(start.egress)).toHaveLength(0);
        for (let k = 1; k < d; k++) expect(messagesOf(chain.step([]).egress)).toHaveLength(0);
        const end = chain.step([]);
        const [report] = messagesOf(end.egress);
        const iterations = (BigInt(d) * 12_000n * speed) / 6000n;
        expect(decodeBench(report!)).toEqual({ tag: 'BenchReport', value: { startTime: start.view.nowMs, iterations } });
        // included one block later: the score is the speed scaled by d/(d+1), truncated
        const score = registryScore(iterations, start.view.nowMs, end.view.nowMs + 12_000n);
        expect(score).toBe(((iterations * 1000n) / (BigInt(d + 1) * 12_000n)) * 6n);
        expect(score <= speed && score * BigInt(d + 1) >= speed * BigInt(d) - 6n * BigInt(d + 1)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('heartbeat', () => {
  it('answers a hit with HeartbeatV2: iterations since Started, challenge time = now of the challenge block (F12)', () => {
    const { worker, chain } = oneWorker();
    registerAndBench(worker, chain, 2);
    chain.step([]);
    chain.step([]); // bench report; counter keeps no session → paused
    const frozen = worker.counter.base;
    chain.step([]);
    const started = chain.step([workerEventMessage(worker.pubkey, { tag: 'Started', value: { sessionId: 7, initV: 1n, initP: 2000 } })]);
    expect(worker.machine.workingState?.startIter).toBe(frozen);
    for (let k = 0; k < 4; k++) chain.step([]);
    const hit = chain.step([challengeMessage(0n, U256_MAX)]);
    const [hb] = messagesOf(hit.egress);
    expect(decodeReport(hb!)).toEqual({
      tag: 'HeartbeatV2',
      value: {
        sessionId: 7,
        challengeBlock: hit.view.number,
        challengeTime: hit.view.nowMs,
        iterations: ((hit.view.nowMs - started.view.nowMs) * SPEED) / 6000n,
        nClusters: 0,
        nContracts: 0,
      },
    });
  });

  it('a Paused (unresponsive) or unregistered worker is not challenged; ExitUnresponsive restores it', () => {
    const { worker, chain } = oneWorker();
    const startMsg = workerEventMessage(worker.pubkey, { tag: 'Started', value: { sessionId: 1, initV: 1n, initP: 1 } });
    expect(messagesOf(chain.step([startMsg, challengeMessage(0n, U256_MAX)]).egress)).toHaveLength(0); // not registered
    chain.step([workerEventMessage(worker.pubkey, { tag: 'Registered', value: { confidenceLevel: 1 } })]);
    expect(messagesOf(chain.step([challengeMessage(0n, U256_MAX)]).egress)).toHaveLength(1);
    chain.step([workerEventMessage(worker.pubkey, { tag: 'EnterUnresponsive', value: undefined })]);
    expect(messagesOf(chain.step([challengeMessage(0n, U256_MAX)]).egress)).toHaveLength(0);
    chain.step([workerEventMessage(worker.pubkey, { tag: 'ExitUnresponsive', value: undefined })]);
    expect(messagesOf(chain.step([challengeMessage(0n, U256_MAX)]).egress)).toHaveLength(1);
    chain.step([workerEventMessage(worker.pubkey, { tag: 'Stopped', value: undefined })]);
    expect(messagesOf(chain.step([challengeMessage(0n, U256_MAX)]).egress)).toHaveLength(0);
    expect(worker.counter.runningSinceMs).toBeUndefined();
  });
});

describe('egress', () => {
  it('is signed by the identity key over messageSigningBytes, sequences 0, 1, 2 …', () => {
    const { worker, chain } = oneWorker(createWorkerIdentity(seededRandom(5).fork('signer')));
    registerAndBench(worker, chain, 0);
    chain.step([workerEventMessage(worker.pubkey, { tag: 'Started', value: { sessionId: 1, initV: 1n, initP: 1 } })]);
    chain.step([challengeMessage(0n, U256_MAX)]);
    chain.step([challengeMessage(0n, U256_MAX)]);
    const sent = pendingEgress(worker, 0n);
    expect(sent.map((m) => m.sequence)).toEqual([0n, 1n, 2n]);
    for (const m of sent) {
      expect(m.message.sender).toEqual({ tag: 'Worker', value: worker.pubkey });
      expect(sr25519Verify(messageSigningBytes(m.message, m.sequence), m.signature, worker.pubkey)).toBe(true);
      const forged = { ...m.message, payload: Uint8Array.of(...m.message.payload, 0) };
      expect(sr25519Verify(messageSigningBytes(forged, m.sequence), m.signature, worker.pubkey)).toBe(false);
    }
  });

  it('dummy mode advances the sequence and drops the message, keeping later sequences aligned', () => {
    const { worker, chain } = oneWorker();
    chain.step([
      workerEventMessage(worker.pubkey, { tag: 'Registered', value: { confidenceLevel: 1 } }),
      workerEventMessage(worker.pubkey, { tag: 'Started', value: { sessionId: 1, initV: 1n, initP: 1 } }),
    ]);
    setDummyMode(worker, true);
    expect(messagesOf(chain.step([challengeMessage(0n, U256_MAX), challengeMessage(1n, U256_MAX)]).egress)).toHaveLength(0);
    expect(worker.workerChannel.sequence).toBe(2n);
    setDummyMode(worker, false);
    const [next] = messagesOf(chain.step([challengeMessage(0n, U256_MAX)]).egress);
    expect(next!.sequence).toBe(2n);
    expect(pendingEgress(worker, 0n).map((m) => m.sequence)).toEqual([2n]);
  });
});

describe('egress order within a block (F11, worker channel)', () => {
  it('messages in processing order: heartbeats as their challenges come, the bench report after the block', () => {
    const { worker, chain } = oneWorker();
    const pk = worker.pubkey;
    const { egress } = chain.step([
      workerEventMessage(pk, { tag: 'Registered', value: { confidenceLevel: 1 } }),
      workerEventMessage(pk, { tag: 'BenchStart', value: { duration: 0 } }),
      workerEventMessage(pk, { tag: 'Started', value: { sessionId: 4, initV: 1n, initP: 1 } }),
      challengeMessage(1n, U256_MAX),
      challengeMessage(2n, U256_MAX),
    ]);
    const sent = messagesOf(egress);
    expect(sent.map((m) => [m.sequence, kindOf(m)])).toEqual([
      [0n, 'HeartbeatV2'],
      [1n, 'HeartbeatV2'],
      [2n, 'BenchReport'],
    ]);
    // the session keeps the benchmark running after the report
    expect(worker.counter.runningSinceMs).toBeDefined();
  });
});
