/** Ordering and edge behaviours of the reference engine (DOMAIN.md §6.4–6.6, §14 F10, F11). */
import { fixedFromDecimal as lit, fixedMul, fixedMulInt } from '../fixed';
import type { EconomicsMessage } from './messages';
import { createReferenceEconomics } from './referenceEconomics';
import { block, challengeOnly, heartbeat, started, testPubkey } from './testKit';
import { defaultTokenomicParameters as params } from './tokenomicParameters';

const lo = testPubkey(0x03);
const hi = testPubkey(0x09);
const reg = (pubkey: string): EconomicsMessage => ({ type: 'WorkerRegistered', pubkey, confidenceLevel: 1 });
const start = (pubkey: string, sessionId = 1, initV = lit('1000'), initP = 100) => started(pubkey, sessionId, initV, initP);
/** 0.8 · 100 PHA · blocks, the payout of a worker whose share is the whole sum. */
const wholeBudget = (blocks: number) => fixedMul(fixedMulInt(lit('100'), blocks), lit('0.8'));

/** hi registered first, both started at block 2 and challenged there. */
function twoChallenged() {
  const gk = createReferenceEconomics(params);
  gk.processBlock(block(1, reg(hi), reg(lo)));
  gk.processBlock(block(2, start(hi), start(lo), challengeOnly(hi), challengeOnly(lo)));
  return gk;
}

describe('report ordering (§14 F11)', () => {
  it('offline and recovered lists are in pubkey byte order, whatever the registration order', () => {
    const gk = twoChallenged();
    for (let n = 3; n <= 12; n++) gk.processBlock(block(n));
    expect(gk.processBlock(block(13))?.offline).toEqual([lo, hi]);
    const r = gk.processBlock(block(14, heartbeat(hi, 1, 2, 0n), heartbeat(lo, 1, 2, 0n)));
    expect(r?.recoveredToOnline).toEqual([lo, hi]);
  });

  it('settle entries follow message order: a heartbeat before a stop of a lower pubkey', () => {
    const gk = twoChallenged();
    const r = gk.processBlock(block(5, heartbeat(hi, 1, 2, 0n), { type: 'WorkerStopped', pubkey: lo }));
    expect(r?.settle.map((s) => s.pubkey)).toEqual([hi, lo]);
    expect(r?.settle[1]).toEqual({ pubkey: lo, v: gk.worker(lo)!.v, payout: 0n, treasury: 0n });
  });

  it('two late heartbeats landing in one block: the second settles (v, 0, 0)', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), challengeOnly(lo)));
    gk.processBlock(block(3, challengeOnly(lo)));
    const r = gk.processBlock(block(8, heartbeat(lo, 1, 2, 0n), heartbeat(lo, 1, 3, 0n)));
    expect(r?.settle).toHaveLength(2);
    expect(r!.settle[0]!.payout).toBeGreaterThan(0n);
    expect(r!.settle[1]).toEqual({ pubkey: lo, v: r!.settle[0]!.v, payout: 0n, treasury: 0n });
  });
});

describe('worker lifecycle in the GK', () => {
  it('Stopped settles (v, 0, 0), freezes V, and a heartbeat still owed is consumed silently', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), challengeOnly(lo)));
    const v = gk.worker(lo)!.v;
    expect(gk.processBlock(block(3, { type: 'WorkerStopped', pubkey: lo }))?.settle).toEqual([{ pubkey: lo, v, payout: 0n, treasury: 0n }]);
    expect(gk.processBlock(block(4, heartbeat(lo, 1, 2, 5n)))).toBeUndefined();
    expect(gk.processBlock(block(30))).toBeUndefined();
    expect(gk.worker(lo)!.v).toBe(v);
  });

  it('Started resets the tokenomic state (the start block is itself an idle block)', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), challengeOnly(lo)));
    gk.processBlock(block(3, heartbeat(lo, 1, 2, 50n)));
    gk.processBlock(block(20, { type: 'WorkerStopped', pubkey: lo }, start(lo, 2, lit('500'), 70)));
    const w = gk.worker(lo)!;
    expect(w.v - w.vDeductible).toBe(lit('500'));
    expect(w.vDeductible).toBeGreaterThan(0n);
    expect(w).toMatchObject({ pInstant: lit('70'), pBench: lit('70'), unresponsive: false, challengeTimeLastMs: 240000, iterationLast: 0n });
  });

  it('Started clears unresponsiveness but keeps owed heartbeats: a stale one sends the new session offline at once', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), challengeOnly(lo)));
    for (let n = 3; n <= 13; n++) gk.processBlock(block(n));
    expect(gk.worker(lo)!.unresponsive).toBe(true);
    const r = gk.processBlock(block(20, { type: 'WorkerStopped', pubkey: lo }, start(lo, 2, lit('500'), 70)));
    // challenge 2 is still at the front of the FIFO, 18 blocks old: offline again, slashed from initV
    expect(r?.offline).toEqual([lo]);
    expect(gk.worker(lo)).toMatchObject({ v: lit('500') - fixedMul(lit('500'), params.slashRate), vDeductible: 0n, unresponsive: true });
  });

  it('a Paused replica (EnterUnresponsive) is not challenged; ExitUnresponsive makes it eligible again', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), { type: 'WorkerEnterUnresponsive', pubkey: lo }, challengeOnly(lo)));
    // nothing is owed, so no timeout ever fires and any heartbeat would poison the GK
    for (let n = 3; n <= 20; n++) expect(gk.processBlock(block(n))).toBeUndefined();
    gk.processBlock(block(21, { type: 'WorkerExitUnresponsive', pubkey: lo }, challengeOnly(lo)));
    expect(gk.processBlock(block(22, heartbeat(lo, 1, 21, 0n)))?.settle).toHaveLength(1);
  });

  it('G8: after a recovery the next payout counts blocks from the recovery block', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), challengeOnly(lo)));
    for (let n = 3; n <= 13; n++) gk.processBlock(block(n));
    gk.processBlock(block(14, heartbeat(lo, 1, 2, 0n, 1)));
    gk.processBlock(block(20, challengeOnly(lo)));
    const r = gk.processBlock(block(22, heartbeat(lo, 1, 20, 0n, 1)));
    expect(r!.settle[0]!.payout).toBe(wholeBudget(22 - 14));
  });

  it('sum_share leaves out unresponsive and stopped workers', () => {
    const gk = twoChallenged();
    gk.processBlock(block(3, challengeOnly(lo)));
    for (let n = 4; n <= 13; n++) gk.processBlock(block(n, ...(n === 5 ? [heartbeat(lo, 1, 2, 0n, 1)] : [])));
    expect(gk.worker(hi)!.unresponsive).toBe(true);
    const r = gk.processBlock(block(14, heartbeat(lo, 1, 3, 0n, 1)));
    expect(r!.settle[0]!.payout).toBe(wholeBudget(14 - 5));
  });

  it('a budget change mid-block pays earlier heartbeats with the old budget, later ones with the new (§14 F10)', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo), reg(hi)));
    gk.processBlock(block(2, start(lo), start(hi), challengeOnly(lo), challengeOnly(hi)));
    const changed: EconomicsMessage = { type: 'TokenomicParametersChanged', params: { ...params, budgetPerBlock: lit('50') } };
    const r = gk.processBlock(block(5, heartbeat(lo, 1, 2, 300n), changed, heartbeat(hi, 1, 2, 300n)));
    const [a, b] = r!.settle;
    expect(a!.payout > 0n && b!.payout > 0n).toBe(true);
    const diff = a!.payout - 2n * b!.payout;
    expect(diff >= -2n && diff <= 2n).toBe(true);
  });

  it('contract_running comes from n_clusters: with clusters p() is p_bench', () => {
    const gk = createReferenceEconomics(params);
    gk.processBlock(block(1, reg(lo)));
    gk.processBlock(block(2, start(lo), challengeOnly(lo)));
    gk.processBlock(block(3, heartbeat(lo, 1, 2, 0n, 0)));
    expect(gk.worker(lo)!.pInstant).toBe(0n);
    // p_instant = 0 and no contracts: the idle multiplier p()/p_bench is 0, V stays put
    const v = gk.worker(lo)!.v;
    gk.processBlock(block(4));
    expect(gk.worker(lo)!.v).toBe(v);
    gk.processBlock(block(5, challengeOnly(lo)));
    gk.processBlock(block(6, heartbeat(lo, 1, 5, 0n, 2)));
    gk.processBlock(block(7));
    expect(gk.worker(lo)!.v).toBeGreaterThan(v);
  });
});

describe('input validation', () => {
  it('rejects bad pubkeys, out-of-range numbers and non-increasing blocks without changing state', () => {
    const gk = createReferenceEconomics(params);
    expect(() => gk.processBlock(block(1, reg(lo), reg('0xABC')))).toThrow(/pubkey/);
    expect(gk.worker(lo)).toBeUndefined();
    gk.processBlock(block(1, reg(lo)));
    expect(() => gk.processBlock(block(1))).toThrow(/strictly increasing/);
    expect(() => gk.processBlock(block(2, start(lo, 1, -1n)))).toThrow(/initV/);
    expect(() => gk.processBlock(block(2, { type: 'HeartbeatChallenge', seed: 1n << 256n, onlineTarget: 0n }))).toThrow(/seed/);
    expect(() => gk.worker('0x' + '1'.repeat(63))).toThrow(/pubkey/);
    expect(() => createReferenceEconomics({ ...params, heartbeatWindow: -1 })).toThrow(/heartbeatWindow/);
  });
});
