import { GatekeeperEventScale } from '../../codec/gatekeeperEvents.codec';
import type { Message } from '../../codec/mq.codec';
import { SystemEventScale } from '../../codec/systemEvents.codec';
import { powTarget } from '../../economics/powTarget';
import { initialV } from '../../economics/startChecks';
import { defaultTokenomicParameters } from '../../economics/tokenomicParameters';
import { fixedFromDecimal, fixedFromInt, fixedToInt } from '../../fixed';
import { Storage } from '../../runtime/storage';
import { decider } from '../../runtime/testing/deciderSpec';
import type { BlockContext, RuntimeEvent } from '../../runtime/types';
import { buildComputationGenesis } from './testing/computationGenesis';
import { computationApi } from './computationSessions';
import { COMPUTATION, ContractAccount, CoolDownPeriod, DEFAULT_CONTRACT_ACCOUNT, HeartbeatPaused, MaxBudgetLimit, NextSessionId, OnlineWorkers, ScheduledTokenomicUpdate, Sessions, Stakes, TokenomicParametersStore } from './computationState';
import { QueuedOutboundMessage } from './mq.pallet';
import { ce, computationCall, kitGenesis, kitRuntime, OPERATOR, pe, probeCall, sessionAccount, started, workerPubkey, workerRegistered } from './testing/computationTestKit';

const PHA = 10n ** 12n;
const spec = decider(kitRuntime, kitGenesis());
const root = { type: 'Root' as const };
const operator = { type: 'Signed' as const, who: OPERATOR };
const stranger = { type: 'Signed' as const, who: sessionAccount(9) };
const w1 = workerPubkey(1);
const w2 = workerPubkey(2);
const s1 = sessionAccount(1);
const s2 = sessionAccount(2);
const at = (seconds: number, number = 1): BlockContext => ({ number, timestampMs: seconds * 1000 });
const systemEvents = (out: Message[]) => out.map((m) => SystemEventScale.decode(m.payload));
const ve = (stakePha: bigint, p: number, cl: number, params = defaultTokenomicParameters) => initialV(params, stakePha * PHA, p, cl);
const bound = (session: string, worker: string) => ce({ tag: 'SessionBound', value: { session, worker } });

describe('PhalaComputation parameters (§13.1 V1, V5)', () => {
  it('V1: the genesis budget_per_block is exactly 100 PHA', () => {
    const s = spec.given([]).storage;
    expect(TokenomicParametersStore.get(s)?.budgetPerBlock).toBe(100n << 64n);
    expect(CoolDownPeriod.get(s)).toBe(604_800n);
    expect(HeartbeatPaused.get(s)).toBe(true);
    expect(ContractAccount.get(s)).toBe(DEFAULT_CONTRACT_ACCOUNT);
    // the gatekeepers learn the parameters from a message queued for block 1 (§14 F10)
    const queued = QueuedOutboundMessage.get(s).filter((m) => Buffer.from(m.destination).toString() === 'phala/gatekeeper/event');
    expect(queued.map((m) => GatekeeperEventScale.decode(m.payload))).toEqual([{ tag: 'TokenomicParametersChanged', value: defaultTokenomicParameters }]);
    expect(queued[0]?.sender).toEqual({ tag: 'Pallet', value: new TextEncoder().encode('PhalaComputation') });
  });

  it('genesis options: an unpaused heartbeat with a custom expected count drives pow_target', () => {
    const s = new Storage();
    buildComputationGenesis(s, { heartbeatPaused: false, expectedHeartbeatCount: 40, coolDownPeriodSec: 60 });
    OnlineWorkers.set(s, 10_000);
    const out = { events: [] as RuntimeEvent[], outbound: [] as Message[] };
    kitRuntime.pallet(COMPUTATION)?.onFinalize?.(kitRuntime.context(s, at(12), out));
    expect(systemEvents(out.outbound)[0]).toMatchObject({ tag: 'HeartbeatChallenge', value: { onlineTarget: powTarget(40, 10_000, 12) } });
    expect(CoolDownPeriod.get(s)).toBe(60n);
  });

  it('V5: MaxBudgetLimit is 93.75 PHA; set_budget_per_block accepts 187.5 PHA and refuses one bit more', () => {
    const s = spec.given([]).storage;
    expect(MaxBudgetLimit.get(s)).toBe(fixedFromDecimal('93.75'));
    const contract = { type: 'Signed' as const, who: DEFAULT_CONTRACT_ACCOUNT };
    const max = fixedFromDecimal('187.5');
    const r = spec.given([]).when(contract, computationCall('set_budget_per_block', { nonce: 1n, blockNumber: 5, budget: max }));
    const newParams = { ...defaultTokenomicParameters, budgetPerBlock: max };
    const after = r.thenEmits([
      ce({ tag: 'BudgetUpdateRecorded', value: { nonce: 1n, blockNumber: 5 } }),
      ce({ tag: 'TokenomicParametersSet', value: { params: newParams, fromSchedule: false } }),
      ce({ tag: 'TokenomicParametersChanged', value: undefined }),
      ce({ tag: 'BudgetUpdated', value: { nonce: 1n, budget: max } }),
    ]);
    expect(TokenomicParametersStore.get(after)?.budgetPerBlock).toBe(max);
    expect(r.outbound.map((m) => GatekeeperEventScale.decode(m.payload))).toEqual([{ tag: 'TokenomicParametersChanged', value: newParams }]);
    spec.given([]).when(contract, computationCall('set_budget_per_block', { nonce: 1n, blockNumber: 5, budget: max + 1n })).thenRejects('BudgetExceedMaxLimit');
  });

  it('set_budget_per_block: ContractAccount only, then nonce >, block >, limit, parameters present', () => {
    const contract = { type: 'Signed' as const, who: DEFAULT_CONTRACT_ACCOUNT };
    const budget = (nonce: bigint, blockNumber: number) => computationCall('set_budget_per_block', { nonce, blockNumber, budget: 1n });
    spec.given([]).when(operator, budget(1n, 1)).thenRejects('BadOrigin');
    spec.given([]).when(root, budget(1n, 1)).thenRejects('BadOrigin');
    const done = [ce({ tag: 'BudgetUpdateRecorded', value: { nonce: 3n, blockNumber: 10 } })];
    spec.given(done).when(contract, budget(3n, 1)).thenRejects('NonceIndexInvalid');
    spec.given(done).when(contract, budget(4n, 10)).thenRejects('BudgetUpdateBlockInvalid');
    const bare = decider(kitRuntime, (s) => {
      kitGenesis()(s);
      TokenomicParametersStore.reset(s);
    });
    bare.given([]).when(contract, budget(1n, 1)).thenRejects('InternalErrorBadTokenomicParameters');
    const moved = [ce({ tag: 'ContractAccountSet', value: { account: OPERATOR } })];
    spec.given(moved).when(operator, budget(1n, 1)).thenEmits(expect.anything());
  });

  it('root settings: cool down, heartbeat pause, contract root; refused to others', () => {
    spec.given([]).when(root, computationCall('set_cool_down_expiration', { period: 60n })).thenEmits([ce({ tag: 'CoolDownExpirationChanged', value: { period: 60n } })]);
    spec.given([]).when(operator, computationCall('set_cool_down_expiration', { period: 60n })).thenRejects('BadOrigin');
    const s = spec.given([]).when(root, computationCall('set_heartbeat_paused', { paused: false })).thenEmits([ce({ tag: 'HeartbeatPausedSet', value: { paused: false } })]);
    expect(HeartbeatPaused.get(s)).toBe(false);
    spec.given([]).when(operator, computationCall('set_heartbeat_paused', { paused: false })).thenRejects('BadOrigin');
    spec.given([]).when(root, computationCall('update_contract_root', { accountId: OPERATOR })).thenEmits([ce({ tag: 'ContractAccountSet', value: { account: OPERATOR } })]);
  });
});

describe('PhalaComputation bind (T1, F16 order)', () => {
  it('binds a registered, benchmarked worker registered after the GK launch', () => {
    const s = spec.given([workerRegistered(w1, 1)]).when(root, probeCall('bind', { session: s1, worker: w1 }), at(7)).thenEmits([bound(s1, w1)]);
    expect(Sessions.get(s, s1)).toEqual({ state: 'Ready', ve: 0n, v: 0n, vUpdatedAt: 7n, benchmark: { pInit: 0, pInstant: 0, iterations: 0n, workingStartTime: 7n, challengeTimeLast: 0n }, coolDownStart: 0n, stats: { totalReward: 0n } });
  });

  it('errors: WorkerNotRegistered → WorkerReregisterNeeded → BenchmarkMissing → DuplicateBoundSession → DuplicateBoundWorker → WorkerNotReady', () => {
    const bind = (session: string, worker: string) => probeCall('bind', { session, worker });
    spec.given([]).when(root, bind(s1, w1)).thenRejects('WorkerNotRegistered');
    // registered at the launch block (0): not strictly after → re-register needed, even without a benchmark
    spec.given([workerRegistered(w1, undefined, 128, 0)]).when(root, bind(s1, w1)).thenRejects('WorkerReregisterNeeded');
    decider(kitRuntime, kitGenesis({ launched: false })).given([workerRegistered(w1, 1)]).when(root, bind(s1, w1)).thenRejects('WorkerReregisterNeeded');
    spec.given([workerRegistered(w1, undefined)]).when(root, bind(s1, w1)).thenRejects('BenchmarkMissing');
    const one = [workerRegistered(w1, 1), workerRegistered(w2, 1), bound(s1, w1)];
    spec.given(one).when(root, bind(s1, w2)).thenRejects('DuplicateBoundSession');
    spec.given(one).when(root, bind(s2, w1)).thenRejects('DuplicateBoundWorker');
    const cooling = [...started(s1, w1, 3000n * PHA, 1n, 1), ce({ tag: 'WorkerStopped', value: { session: s1 } }), ce({ tag: 'SessionUnbound', value: { session: s1, worker: w1 } })];
    spec.given([workerRegistered(w1, 1), workerRegistered(w2, 1), ...cooling]).when(root, bind(s1, w2)).thenRejects('WorkerNotReady');
  });
});

describe('PhalaComputation start_computing (T2, §13.2)', () => {
  const start = (stakePha: bigint, session = s1) => probeCall('start', { session, stake: stakePha * PHA });
  const ready = (score: number, cl = 1) => [workerRegistered(w1, score, cl), bound(s1, w1)];

  it('S9: P=1000, cl 1, 5000 PHA → Ve = 6890, WorkerStarted, OnlineWorkers+1, Started{session_id = NextSessionId}', () => {
    const initV = ve(5000n, 1000, 1);
    expect(fixedToInt(initV)).toBe(6890n);
    // another session started first, so this one gets session id 1
    const r = spec.given([...ready(1000), workerRegistered(w2, 1000), ...started(s2, w2, 5000n * PHA, 1n, 1000)]).when(root, start(5000n), at(50));
    const s = r.thenEmits([ce({ tag: 'StakeRecorded', value: { session: s1, stake: 5000n * PHA } }), ce({ tag: 'WorkerStarted', value: { session: s1, initV, initP: 1000 } })]);
    expect(systemEvents(r.outbound)).toEqual([{ tag: 'WorkerEvent', value: { pubkey: Buffer.from(w1.slice(2), 'hex'), event: { tag: 'Started', value: { sessionId: 1, initV, initP: 1000 } } } }]);
    expect(OnlineWorkers.get(s)).toBe(2);
    expect(NextSessionId.get(s)).toBe(2);
    expect(Stakes.get(s, s1)).toBe(5000n * PHA);
    expect(Sessions.get(s, s1)).toMatchObject({ state: 'WorkerIdle', ve: initV, v: initV, vUpdatedAt: 50n, benchmark: { pInit: 1000 } });
  });

  it('S2–S4: Ve(1000 PHA, P=1000) is 1690 / 1612 / 1573 by confidence level, to the bit of Phala\'s test (k = 0 so the stake is allowed)', () => {
    const lenient = decider(kitRuntime, kitGenesis({ tokenomic: { ...defaultTokenomicParameters, k: 0n } }));
    const expected: [number, string][] = [[1, '1690.0000000000000000282'], [2, '1690.0000000000000000282'], [3, '1690.0000000000000000282'], [4, '1612.0000000000000000247'], [5, '1572.9999999999999999877'], [128, '1690.0000000000000000282']];
    for (const [cl, literal] of expected) {
      const r = lenient.given(ready(1000, cl)).when(root, start(1000n));
      expect(r.events.at(-1)).toEqual(ce({ tag: 'WorkerStarted', value: { session: s1, initV: fixedFromDecimal(literal), initP: 1000 } }));
    }
  });

  it('S6/S7/S8: InsufficientStake below 100·√1000 PHA, TooMuchStake above 22,776.92 PHA, BenchmarkTooLow under 50', () => {
    spec.given(ready(1000)).when(root, start(3000n)).thenRejects('InsufficientStake');
    spec.given(ready(1000)).when(root, probeCall('start', { session: s1, stake: 3162_277660146354n })).thenRejects('InsufficientStake');
    spec.given(ready(1000)).when(root, probeCall('start', { session: s1, stake: 3162_277660146355n })).thenEmits(expect.anything());
    spec.given(ready(1000)).when(root, start(22_777n)).thenRejects('TooMuchStake');
    spec.given(ready(1000)).when(root, start(22_776n)).thenEmits(expect.anything());
    spec.given(ready(40)).when(root, start(5000n)).thenRejects('BenchmarkTooLow');
    spec.given(ready(50)).when(root, start(5000n)).thenEmits(expect.anything());
  });

  it('errors in F16 order: SessionNotFound (unbound) → WorkerNotReady → existing stake → BenchmarkMissing → … → InternalErrorBadTokenomicParameters', () => {
    spec.given([workerRegistered(w1, 1000)]).when(root, start(5000n)).thenRejects('SessionNotFound');
    const running = [workerRegistered(w1, 1000), ...started(s1, w1, 5000n * PHA, 1n, 1000)];
    spec.given(running).when(root, start(5000n)).thenRejects('WorkerNotReady');
    const staleStake = [...ready(1000), ce({ tag: 'StakeRecorded', value: { session: s1, stake: 1n } })];
    spec.given(staleStake).when(root, start(1n)).thenRejects('InternalErrorCannotStartWithExistingStake');
    // force_register_worker resets the record, benchmark included
    spec.given([...ready(1000), workerRegistered(w1, undefined)]).when(root, start(1n)).thenRejects('BenchmarkMissing');
    const bare = decider(kitRuntime, (s) => {
      kitGenesis()(s);
      TokenomicParametersStore.reset(s);
    });
    bare.given(ready(1000)).when(root, start(1n)).thenRejects('InternalErrorBadTokenomicParameters');
    spec.given(ready(1000)).when(root, computationCall('force_start_computing', { session: s1, stake: 5000n * PHA })).thenEmits(expect.anything());
    spec.given(ready(1000)).when(operator, computationCall('force_start_computing', { session: s1, stake: 5000n * PHA })).thenRejects('BadOrigin');
  });
});

describe('PhalaComputation stop, reclaim, unbind (T5–T7, F16)', () => {
  const running = [workerRegistered(w1, 1000), ...started(s1, w1, 5000n * PHA, 7n, 1000)];
  const cooling = [...running, ce({ tag: 'WorkerStopped', value: { session: s1 } })];

  it('stop: SessionNotBound → WorkerNotComputing; stopping enters CoolingDown at now and pushes Stopped', () => {
    spec.given([]).when(root, probeCall('stop', { session: s1 })).thenRejects('SessionNotBound');
    spec.given([workerRegistered(w1, 1), bound(s1, w1)]).when(root, probeCall('stop', { session: s1 })).thenRejects('WorkerNotComputing');
    const r = spec.given(running).when(root, computationCall('force_stop_computing', { session: s1 }), at(99));
    const s = r.thenEmits([ce({ tag: 'WorkerStopped', value: { session: s1 } })]);
    expect(Sessions.get(s, s1)).toMatchObject({ state: 'WorkerCoolingDown', coolDownStart: 99n });
    expect(OnlineWorkers.get(s)).toBe(0);
    expect(systemEvents(r.outbound)[0]).toMatchObject({ value: { event: { tag: 'Stopped' } } });
  });

  it('reclaim: SessionNotFound, CoolDownNotReady (any other state, or too early), then Ready with the stake returned and no slash', () => {
    const reclaim = (checkCooldown: boolean) => probeCall('reclaim', { session: s1, checkCooldown });
    spec.given([]).when(root, reclaim(true)).thenRejects('SessionNotFound');
    spec.given(running).when(root, reclaim(false)).thenRejects('CoolDownNotReady');
    spec.given(cooling, at(0)).when(root, reclaim(true), at(604_799)).thenRejects('CoolDownNotReady');
    const r = spec.given(cooling, at(0)).when(root, reclaim(true), at(604_800));
    const s = r.thenEmits([ce({ tag: 'WorkerReclaimed', value: { session: s1, originalStake: 5000n * PHA, slashed: 0n } }), pe({ tag: 'Reclaimed', value: { originalStake: 5000n * PHA, slashed: 0n } })]);
    expect(Stakes.has(s, s1)).toBe(false);
    expect(Sessions.get(s, s1)).toMatchObject({ state: 'Ready', coolDownStart: 0n });
    // restart path: no cool-down check, and the session need not be bound
    spec.given([...cooling, ce({ tag: 'SessionUnbound', value: { session: s1, worker: w1 } })]).when(root, reclaim(false)).thenEmits(expect.anything());
  });

  it('unbind call: SessionNotBound → WorkerNotRegistered → BadSender; a computing session is force-stopped and the pool told force=true', () => {
    const unbind = computationCall('unbind', { session: s1 });
    spec.given([]).when(operator, unbind).thenRejects('SessionNotBound');
    spec.given([bound(s1, w1)]).when(operator, unbind).thenRejects('WorkerNotRegistered');
    spec.given(running).when(stranger, unbind).thenRejects('BadSender');
    spec.given(running).when(operator, unbind).thenEmits([
      ce({ tag: 'WorkerStopped', value: { session: s1 } }),
      ce({ tag: 'SessionUnbound', value: { session: s1, worker: w1 } }),
      pe({ tag: 'Unbound', value: { worker: w1, force: true } }),
    ]);
    spec.given(cooling).when(operator, unbind).thenEmits([ce({ tag: 'SessionUnbound', value: { session: s1, worker: w1 } }), pe({ tag: 'Unbound', value: { worker: w1, force: false } })]);
  });

  it('unbind_session without notify (pool remove_worker) keeps the session info; Rust test_bind_unbind', () => {
    const s = spec.given([workerRegistered(w1, 1)]).when(root, probeCall('unbind_session', { session: s1, notify: false })).thenRejects('SessionNotBound');
    expect(Sessions.has(s, s1)).toBe(false);
    const after = spec.given([workerRegistered(w1, 1), bound(s1, w1)]).when(root, probeCall('unbind_session', { session: s1, notify: false })).thenEmits([ce({ tag: 'SessionUnbound', value: { session: s1, worker: w1 } })]);
    expect(Sessions.get(after, s1)?.state).toBe('Ready');
  });

  it('the exported computationApi reads like the pallet and refuses a notified unbind without a stake pool', () => {
    const s = spec.given(running).storage;
    expect(computationApi.sessionState(s, s1)).toBe('WorkerIdle');
    expect(computationApi.stakeOf(s, s1)).toBe(5000n * PHA);
    expect(computationApi.workerInfo(s, w1)).toEqual({ operator: OPERATOR, initialScore: 1000 });
    expect(computationApi.workerInfo(s, w2)).toBeUndefined();
    const ctx = kitRuntime.context(s, at(1), { events: [], outbound: [] });
    s.begin();
    expect(() => computationApi.unbindSession(ctx, s1, true)).toThrow(/stake pool/);
    s.rollback();
  });
});

describe('PhalaComputation on_finalize (§5.5)', () => {
  function finalize(storage: Storage, block = at(12, 1)) {
    const out = { events: [] as RuntimeEvent[], outbound: [] as Message[] };
    kitRuntime.pallet(COMPUTATION)?.onFinalize?.(kitRuntime.context(storage, block, out));
    return out;
  }

  it('sends no challenge while paused (the default)', () => {
    expect(finalize(spec.given([]).storage)).toEqual({ events: [], outbound: [] });
  });

  it('challenges with pow_target(20, OnlineWorkers, 12): 20 online workers → Phala\'s test_heartbeat_challenge target', () => {
    const s = spec.given([ce({ tag: 'HeartbeatPausedSet', value: { paused: false } })]).storage;
    OnlineWorkers.set(s, 20);
    const out = finalize(s);
    const [challenge] = systemEvents(out.outbound);
    expect(challenge?.tag).toBe('HeartbeatChallenge');
    if (challenge?.tag !== 'HeartbeatChallenge') throw new Error('no challenge');
    expect(challenge.value.onlineTarget).toBe(771946525395830978497002573683960742805751636319313395421818009383503547160n);
    // a deterministic seed that changes with the block
    expect(systemEvents(finalize(s).outbound)).toEqual([challenge]);
    expect(systemEvents(finalize(s, at(24, 2)).outbound)[0]).not.toEqual(challenge);
    OnlineWorkers.set(s, 0);
    expect(systemEvents(finalize(s).outbound)[0]).toMatchObject({ value: { onlineTarget: 0n } });
  });

  it('update_tokenomic is postponed to on_finalize, after the challenge (Rust tokenomic_update_is_postponed)', () => {
    const params = { ...defaultTokenomicParameters, vMax: fixedFromInt(1000) };
    const s = spec.given([ce({ tag: 'HeartbeatPausedSet', value: { paused: false } })]).when(root, computationCall('update_tokenomic', { newParams: params })).thenEmits([ce({ tag: 'TokenomicUpdateScheduled', value: { params } })]);
    expect(TokenomicParametersStore.get(s)?.vMax).toBe(defaultTokenomicParameters.vMax);
    const out = finalize(s);
    expect(out.events).toEqual([ce({ tag: 'TokenomicParametersSet', value: { params, fromSchedule: true } }), ce({ tag: 'TokenomicParametersChanged', value: undefined })]);
    expect(out.outbound.map((m) => Buffer.from(m.destination).toString())).toEqual(['phala/system/event', 'phala/gatekeeper/event']);
    expect(TokenomicParametersStore.get(s)?.vMax).toBe(fixedFromInt(1000));
    expect(ScheduledTokenomicUpdate.get(s)).toBeUndefined();
    spec.given([]).when(operator, computationCall('update_tokenomic', { newParams: params })).thenRejects('BadOrigin');
  });

  it('force_heartbeat challenges everyone: seed 0, target U256::MAX', () => {
    const r = spec.given([]).when(root, computationCall('force_heartbeat', undefined));
    r.thenEmits([]);
    expect(systemEvents(r.outbound)).toEqual([{ tag: 'HeartbeatChallenge', value: { seed: 0n, onlineTarget: (1n << 256n) - 1n } }]);
  });
});

describe('PhalaComputation codecs', () => {
  it('round-trips every call and event through SCALE, with Phala\'s call indices', () => {
    const p = defaultTokenomicParameters;
    const calls = [
      computationCall('set_cool_down_expiration', { period: 1n }),
      computationCall('unbind', { session: s1 }),
      computationCall('force_heartbeat', undefined),
      computationCall('force_start_computing', { session: s1, stake: 2n ** 100n }),
      computationCall('force_stop_computing', { session: s1 }),
      computationCall('update_tokenomic', { newParams: p }),
      computationCall('set_heartbeat_paused', { paused: true }),
      computationCall('set_budget_per_block', { nonce: 1n, blockNumber: 2, budget: 3n }),
      computationCall('update_contract_root', { accountId: s2 }),
    ];
    calls.forEach((c, i) => {
      const bytes = kitRuntime.callCodec.enc(c);
      expect(bytes[1]).toBe(i);
      expect(kitRuntime.callCodec.dec(bytes)).toEqual(c);
    });
    const events: RuntimeEvent[] = [
      ce({ tag: 'CoolDownExpirationChanged', value: { period: 5n } }),
      ce({ tag: 'WorkerStarted', value: { session: s1, initV: 1n << 70n, initP: 1000 } }),
      ce({ tag: 'WorkerStopped', value: { session: s1 } }),
      ce({ tag: 'WorkerReclaimed', value: { session: s1, originalStake: 5n, slashed: 0n } }),
      ce({ tag: 'SessionBound', value: { session: s1, worker: w1 } }),
      ce({ tag: 'SessionUnbound', value: { session: s1, worker: w1 } }),
      ce({ tag: 'WorkerEnterUnresponsive', value: { session: s1 } }),
      ce({ tag: 'WorkerExitUnresponsive', value: { session: s1 } }),
      ce({ tag: 'SessionSettled', value: { session: s1, vBits: 1n, payoutBits: 2n } }),
      ce({ tag: 'InternalErrorWorkerSettleFailed', value: { worker: w1 } }),
      ce({ tag: 'SubsidyBudgetHalved', value: undefined }),
      ce({ tag: 'InternalErrorWrongHalvingConfigured', value: undefined }),
      ce({ tag: 'TokenomicParametersChanged', value: undefined }),
      ce({ tag: 'SessionSettlementDropped', value: { session: s1, v: 1n, payout: 0n } }),
      ce({ tag: 'BenchmarkUpdated', value: { session: s1, pInstant: 660 } }),
      ce({ tag: 'BudgetUpdated', value: { nonce: 1n, budget: 9n } }),
      ce({ tag: 'StakeRecorded', value: { session: s1, stake: 1n } }),
      ce({ tag: 'TokenomicUpdateScheduled', value: { params: p } }),
      ce({ tag: 'TokenomicParametersSet', value: { params: p, fromSchedule: true } }),
      ce({ tag: 'SessionBenchmarkRecorded', value: { session: s1, iterations: 11000n, challengeTimeLast: 100n, pInstant: 660 } }),
      ce({ tag: 'SessionVUpdatedUnsettled', value: { session: s1, vBits: 1n, payoutBits: 2n } }),
      ce({ tag: 'BudgetUpdateRecorded', value: { nonce: 1n, blockNumber: 2 } }),
      ce({ tag: 'HeartbeatPausedSet', value: { paused: false } }),
      ce({ tag: 'ContractAccountSet', value: { account: s2 } }),
    ];
    for (const e of events) expect(kitRuntime.eventCodec.dec(kitRuntime.eventCodec.enc(e))).toEqual(e);
    expect(kitRuntime.eventCodec.enc(events[15]!)[1]).toBe(15);
  });
});
