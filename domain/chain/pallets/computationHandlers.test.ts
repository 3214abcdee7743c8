import { getPublicKey, secretFromSeed, sign } from '@scure/sr25519';
import { toHex } from '../../codec/hex';
import { type Message, messageSigningBytes } from '../../codec/mq.codec';
import { SystemEventScale, WorkingInfoUpdateEventScale, WorkingReportEventScale } from '../../codec/systemEvents.codec';
import { topicBytes } from '../../codec/topics';
import { fixedFromInt } from '../../fixed';
import { SUBSIDY_POOL_ACCOUNT } from '../../ids/accounts';
import { decider } from '../../runtime/testing/deciderSpec';
import type { BlockContext, RuntimeEvent } from '../../runtime/types';
import { account } from './balances.pallet';
import { updateBenchmark } from './computationHandlers';
import { productionComputationConfig, Sessions } from './computationState';
import { MQ } from './mq.pallet';
import { ce, deliver, kitGenesis, kitRuntime, pe, SUBSIDY_POOL_BALANCE, sessionAccount, started, workerPubkey, workerRegistered } from './testing/computationTestKit';

const PHA = 10n ** 12n;
const spec = decider(kitRuntime, kitGenesis());
const root = { type: 'Root' as const };
const w1 = workerPubkey(1);
const w2 = workerPubkey(2);
const s1 = sessionAccount(1);
const s2 = sessionAccount(2);
const at = (seconds: number, number = 1): BlockContext => ({ number, timestampMs: seconds * 1000 });
const TREASURY = productionComputationConfig.treasuryAccount;
const bytesOf = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
const workerEvents = (out: Message[]) => out.map((m) => SystemEventScale.decode(m.payload)).map((e) => (e.tag === 'WorkerEvent' ? [toHex(e.value.pubkey), e.value.event.tag] : [e.tag]));

const heartbeat = (iterations: bigint, challengeTimeMs: bigint) =>
  WorkingReportEventScale.encode({ tag: 'Heartbeat', value: { sessionId: 0, challengeBlock: 2, challengeTime: challengeTimeMs, iterations } });
type Settle = { pubkey: string; v: bigint; payout: bigint; treasury: bigint };
const report = (timestampMs: bigint, offline: string[] = [], recovered: string[] = [], settle: Settle[] = []) =>
  WorkingInfoUpdateEventScale.encode({ blockNumber: 1, timestampMs, offline: offline.map(bytesOf), recoveredToOnline: recovered.map(bytesOf), settle: settle.map((x) => ({ ...x, pubkey: bytesOf(x.pubkey) })) });
const fromGk = (payload: Uint8Array) => deliver('Gatekeeper', '^phala/mining/update', payload);
const rewarded = (entries: { pubkey: string; payoutBits: bigint }[]) => pe({ tag: 'Rewarded', value: { entries } });

describe('heartbeats on phala/mining/report (§5.6, Rust test_benchmark_report / test_benchmark_update)', () => {
  // P = 600 (100 iterations/s), started with 3000 PHA at t = 0
  const running = [workerRegistered(w1, 600), ...started(s1, w1, 3000n * PHA, 1n, 600)];

  it('110 % boost, then 150 % capped at 120 % of p_init', () => {
    const first = spec.given(running, at(0)).when(root, deliver(w1, 'phala/mining/report', heartbeat(11_000n, 100_000n)), at(100));
    const recorded = ce({ tag: 'SessionBenchmarkRecorded', value: { session: s1, iterations: 11_000n, challengeTimeLast: 100n, pInstant: 660 } });
    const s = first.thenEmits([recorded, ce({ tag: 'BenchmarkUpdated', value: { session: s1, pInstant: 660 } })]);
    expect(Sessions.get(s, s1)?.benchmark).toEqual({ pInit: 600, pInstant: 660, iterations: 11_000n, workingStartTime: 0n, challengeTimeLast: 100n });
    const second = spec.given([...running, recorded], at(0)).when(root, deliver(w1, 'phala/mining/report', heartbeat(26_000n, 200_000n)), at(200));
    const s2nd = second.thenEmits([ce({ tag: 'SessionBenchmarkRecorded', value: { session: s1, iterations: 26_000n, challengeTimeLast: 200n, pInstant: 720 } }), ce({ tag: 'BenchmarkUpdated', value: { session: s1, pInstant: 720 } })]);
    expect(Sessions.get(s2nd, s1)?.benchmark.pInstant).toBe(720);
  });

  it('Benchmark::update: normal, then a counter reset gives p_instant 0', () => {
    const b0 = { pInit: 100, pInstant: 0, iterations: 0n, workingStartTime: 0n, challengeTimeLast: 0n };
    const b1 = updateBenchmark(b0, 100n, 1000n, 90n);
    expect(b1).toEqual({ pInit: 100, pInstant: 60, iterations: 1000n, workingStartTime: 0n, challengeTimeLast: 90n });
    expect(updateBenchmark(b1, 200n, 999n, 190n)).toEqual({ pInit: 100, pInstant: 0, iterations: 999n, workingStartTime: 0n, challengeTimeLast: 190n });
    expect(() => updateBenchmark(b1, 90n, 2000n, 95n)).toThrow('HeartbeatReportInvalid');
  });

  it('unbound workers fail with WorkerNotBound (swallowed); non-worker senders are ignored; no state or session check (F9)', () => {
    spec.given([workerRegistered(w1, 600)]).when(root, deliver(w1, 'phala/mining/report', heartbeat(1n, 0n))).thenEmits([]);
    spec.given(running).when(root, deliver('Gatekeeper', 'phala/mining/report', heartbeat(1n, 0n))).thenEmits([]);
    // a bound but Ready session still records (p_init 0 → p_instant 0)
    const ready = [workerRegistered(w1, 600), ce({ tag: 'SessionBound', value: { session: s1, worker: w1 } })];
    spec.given(ready, at(0)).when(root, deliver(w1, 'phala/mining/report', heartbeat(500n, 0n)), at(10)).thenEmits([
      ce({ tag: 'SessionBenchmarkRecorded', value: { session: s1, iterations: 500n, challengeTimeLast: 0n, pInstant: 0 } }),
      ce({ tag: 'BenchmarkUpdated', value: { session: s1, pInstant: 0 } }),
    ]);
  });

  it('F9: a heartbeat not after the last challenge panics: the relaying extrinsic is invalid and the sequence stays', () => {
    const secret = secretFromSeed(new Uint8Array(32).fill(5));
    const real = toHex(getPublicKey(secret));
    const given = [workerRegistered(real, 600), ...started(s2, real, 3000n * PHA, 1n, 600), ce({ tag: 'SessionBenchmarkRecorded', value: { session: s2, iterations: 1n, challengeTimeLast: 100n, pInstant: 0 } })];
    const message = { sender: { tag: 'Worker' as const, value: getPublicKey(secret) }, destination: topicBytes('phala/mining/report'), payload: heartbeat(5n, 100_000n) };
    const sync: RuntimeEvent = { tag: MQ, value: { tag: 'sync_offchain_message', value: { signedMessage: { message, sequence: 0n, signature: sign(secret, messageSigningBytes(message, 0n)) } } } };
    spec.given(given).when({ type: 'Signed', who: s1 }, sync, at(100)).thenRejects('HeartbeatReportInvalid');
    spec.given(given).when({ type: 'Signed', who: s1 }, sync, at(101)).thenEmits(expect.anything());
  });
});

describe('gatekeeper reports on ^phala/mining/update (§5.6, F1, F18, F25)', () => {
  const v = fixedFromInt(7000);
  const running = [workerRegistered(w1, 1000), workerRegistered(w2, 1000), ...started(s1, w1, 5000n * PHA, 1n, 1000)];

  it('T3 then T4: offline → WorkerEnterUnresponsive + EnterUnresponsive; recovered → Exit; F18 re-emits for one already there', () => {
    const off = spec.given(running).when(root, fromGk(report(12_000n, [w1, w2])));
    const s = off.thenEmits([ce({ tag: 'WorkerEnterUnresponsive', value: { session: s1 } }), rewarded([])]);
    expect(Sessions.get(s, s1)?.state).toBe('WorkerUnresponsive');
    expect(workerEvents(off.outbound)).toEqual([[w1, 'EnterUnresponsive']]);
    const unresponsive = [...running, ce({ tag: 'WorkerEnterUnresponsive', value: { session: s1 } })];
    spec.given(unresponsive).when(root, fromGk(report(12_000n, [w1]))).thenEmits([ce({ tag: 'WorkerEnterUnresponsive', value: { session: s1 } }), rewarded([])]);
    const back = spec.given(unresponsive).when(root, fromGk(report(12_000n, [], [w1])));
    expect(Sessions.get(back.thenEmits([ce({ tag: 'WorkerExitUnresponsive', value: { session: s1 } }), rewarded([])]), s1)?.state).toBe('WorkerIdle');
    expect(workerEvents(back.outbound)).toEqual([[w1, 'ExitUnresponsive']]);
    spec.given(running).when(root, fromGk(report(12_000n, [], [w1]))).thenEmits([ce({ tag: 'WorkerExitUnresponsive', value: { session: s1 } }), rewarded([])]);
  });

  it('skips non-computing sessions; an empty report does nothing (no OnReward); only the Gatekeeper origin counts', () => {
    const ready = [workerRegistered(w1, 1000), ce({ tag: 'SessionBound', value: { session: s1, worker: w1 } })];
    spec.given(ready).when(root, fromGk(report(12_000n, [w1]))).thenEmits([rewarded([])]);
    spec.given(running).when(root, fromGk(report(12_000n))).thenEmits([]);
    spec.given(running).when(root, deliver(w1, '^phala/mining/update', report(12_000n, [w1]))).thenEmits([]);
  });

  it('settles: V and time updated, payout counted in balance units, treasury share from the subsidy pool, then OnReward', () => {
    const settle = { pubkey: w1, v, payout: fixedFromInt(6000), treasury: fixedFromInt(1500) };
    const r = spec.given(running, at(0)).when(root, fromGk(report(12_000n, [], [], [settle])), at(24));
    const s = r.thenEmits([
      { tag: 'Balances', value: { tag: 'Transfer', value: { from: SUBSIDY_POOL_ACCOUNT, to: TREASURY, amount: 1500n * PHA } } },
      ce({ tag: 'SessionSettled', value: { session: s1, vBits: v, payoutBits: fixedFromInt(6000) } }),
      rewarded([{ pubkey: w1, payoutBits: fixedFromInt(6000) }]),
    ]);
    expect(Sessions.get(s, s1)).toMatchObject({ v, vUpdatedAt: 24n, stats: { totalReward: 6000n * PHA } });
    expect(account(s, TREASURY).free).toBe(1500n * PHA);
    expect(account(s, SUBSIDY_POOL_ACCOUNT).free).toBe(SUBSIDY_POOL_BALANCE - 1500n * PHA);
  });

  it('B7 + F1: a report stamped at or before v_updated_at is dropped, yet still passed to OnReward (Rust drop_late_arrived_update)', () => {
    // bound at 0 s, started at 100 s; the GK report is stamped 100,000 ms
    const given = [workerRegistered(w1, 600), ...started(s1, w1, 3000n * PHA, 1n, 600)];
    const late = { pubkey: w1, v: 2n, payout: 0n, treasury: 0n };
    const s = spec.given(given, at(100)).when(root, fromGk(report(100_000n, [], [], [late])), at(112)).thenEmits([
      ce({ tag: 'SessionSettlementDropped', value: { session: s1, v: 2n, payout: 0n } }),
      rewarded([{ pubkey: w1, payoutBits: 0n }]),
    ]);
    expect(Sessions.get(s, s1)?.vUpdatedAt).toBe(100n);
    expect(Sessions.get(s, s1)?.v).toBe(1n);
  });

  it('F25: when the subsidy pool cannot pay the treasury share, V is updated anyway and the settle fails; OnReward still sees it; an unbound worker is skipped silently', () => {
    const poor = decider(kitRuntime, kitGenesis({ subsidy: 0n }));
    const settle = { pubkey: w1, v, payout: fixedFromInt(80), treasury: fixedFromInt(20) };
    const stranger = { pubkey: w2, v, payout: fixedFromInt(3), treasury: fixedFromInt(1) };
    const s = poor.given(running, at(0)).when(root, fromGk(report(12_000n, [], [], [settle, stranger])), at(24)).thenEmits([
      ce({ tag: 'SessionVUpdatedUnsettled', value: { session: s1, vBits: v, payoutBits: fixedFromInt(80) } }),
      ce({ tag: 'InternalErrorWorkerSettleFailed', value: { worker: w1 } }),
      rewarded([{ pubkey: w1, payoutBits: fixedFromInt(80) }, { pubkey: w2, payoutBits: fixedFromInt(3) }]),
    ]);
    expect(Sessions.get(s, s1)).toMatchObject({ v, vUpdatedAt: 24n, stats: { totalReward: 80n * PHA } });
  });
});
