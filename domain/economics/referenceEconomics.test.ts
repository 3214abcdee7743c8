/** gk.rs `#[cfg(test)]` cases re-expressed as specs (DOMAIN.md §13.3 G7–G9), with gk.rs's own numbers. */
import { fixedFromDecimal as lit } from '../fixed';
import { createReferenceEconomics } from './referenceEconomics';
import { block, blockTs, challengeOnly, heartbeat, testPubkey } from './testKit';
import { gkTestTokenomicParameters } from './tokenomicParameters';

const w0 = testPubkey(1);
const w1 = testPubkey(2);
const register = (pubkey: string) => ({ type: 'WorkerRegistered', pubkey, confidenceLevel: 2 }) as const;
const started = (pubkey: string, sessionId: number, initV: bigint, initP: number) => ({ type: 'WorkerStarted', pubkey, sessionId, initV, initP }) as const;

/** Registered at block 1, started at block 2 with V=1 P=100 and challenged in block 2 (cases 2–5). */
function challengedAtBlock2() {
  const gk = createReferenceEconomics(gkTestTokenomicParameters);
  gk.processBlock(block(1, register(w0)));
  gk.processBlock(block(2, started(w0, 1, lit('1'), 100), challengeOnly(w0)));
  return gk;
}

describe('gk.rs economics cases', () => {
  it('observes worker states; an unregistered worker cannot start (gk_should_be_able_to_observe_worker_states)', () => {
    const gk = createReferenceEconomics(gkTestTokenomicParameters);
    gk.processBlock(block(1, register(w0)));
    expect(gk.worker(w0)).toEqual({ v: 0n, vDeductible: 0n, pInstant: 0n, pBench: 0n, unresponsive: false, challengeTimeLastMs: 0, iterationLast: 0n, working: false, contractRunning: false, confidenceLevel: 2, waitingHeartbeats: [] });
    expect(gk.processBlock(block(2, started(w1, 1, 1n, 100)))).toBeUndefined();
    expect(gk.worker(w1)).toBeUndefined();
  });

  it('does not miss heartbeats across sessions (gk_should_not_miss_any_heartbeats_cross_session)', () => {
    const gk = challengedAtBlock2();
    gk.processBlock(block(3, { type: 'WorkerStopped', pubkey: w0 }));
    gk.processBlock(block(4));
    gk.processBlock(block(5, started(w0, 2, 1n, 100), challengeOnly(w0)));
    expect(gk.processBlock(block(100))?.offline).toEqual([w0]);
    // the answer to the old session's challenge pops the queue but changes nothing
    expect(gk.processBlock(block(101, heartbeat(w0, 1, 2, 10_000_000n)))).toBeUndefined();
    expect(gk.worker(w0)?.unresponsive).toBe(true);
    expect(gk.processBlock(block(102, heartbeat(w0, 2, 5, 10_000_000n)))?.recoveredToOnline).toEqual([w0]);
    expect(gk.worker(w0)?.unresponsive).toBe(false);
  });

  it('case 1: idle blocks raise V and report nothing', () => {
    const gk = createReferenceEconomics(gkTestTokenomicParameters);
    gk.processBlock(block(1, register(w0)));
    gk.processBlock(block(2, started(w0, 1, lit('1'), 100)));
    for (const n of [3, 4]) {
      const before = gk.worker(w0)!.v;
      expect(gk.processBlock(block(n))).toBeUndefined();
      expect(gk.worker(w0)!.unresponsive).toBe(false);
      expect(gk.worker(w0)!.v).toBeGreaterThan(before);
    }
  });

  it('case 2: a heartbeat at the last moment (challenge + window) pays out and reports one settle', () => {
    const gk = challengedAtBlock2();
    for (let n = 3; n < 12; n++) gk.processBlock(block(n));
    const before = gk.worker(w0)!.v;
    const report = gk.processBlock(block(12, heartbeat(w0, 1, 2, 10_000_000n)));
    expect(gk.worker(w0)!.unresponsive).toBe(false);
    expect(gk.worker(w0)!.v).toBeLessThan(before);
    expect(report?.offline).toEqual([]);
    expect(report?.recoveredToOnline).toEqual([]);
    expect(report?.settle).toHaveLength(1);
  });

  it('case 3 (G7): challenge at 2, still responsive at 12, offline and slashed at 13, slashed silently at 14', () => {
    const gk = challengedAtBlock2();
    for (let n = 3; n <= 12; n++) expect(gk.processBlock(block(n))).toBeUndefined();
    expect(gk.worker(w0)!.unresponsive).toBe(false);
    const v12 = gk.worker(w0)!.v;
    expect(gk.processBlock(block(13))).toEqual({ blockNumber: 13, timestampMs: blockTs(13), offline: [w0], recoveredToOnline: [], settle: [] });
    expect(gk.worker(w0)!.unresponsive).toBe(true);
    const v13 = gk.worker(w0)!.v;
    expect(v13).toBeLessThan(v12);
    expect(gk.processBlock(block(14))).toBeUndefined();
    expect(gk.worker(w0)!.v).toBeLessThan(v13);
  });

  it('case 4: an offline worker is slashed every block without further reports', () => {
    const gk = challengedAtBlock2();
    for (let n = 3; n <= 13; n++) gk.processBlock(block(n));
    for (const n of [14, 15]) {
      const before = gk.worker(w0)!.v;
      expect(gk.processBlock(block(n))).toBeUndefined();
      expect(gk.worker(w0)!.v).toBeLessThan(before);
    }
  });

  it('case 5 (G8): a late heartbeat recovers the worker with neither payout nor slash that block', () => {
    const gk = challengedAtBlock2();
    for (let n = 3; n <= 13; n++) gk.processBlock(block(n));
    const before = gk.worker(w0)!.v;
    const report = gk.processBlock(block(14, heartbeat(w0, 1, 2, 10_000_000n)));
    expect(gk.worker(w0)!.v).toBe(before);
    expect(report).toEqual({ blockNumber: 14, timestampMs: blockTs(14), offline: [], recoveredToOnline: [w0], settle: [] });
  });

  it('G9: a heartbeat that is not for the oldest owed challenge poisons the GK and halts it', () => {
    const gk = challengedAtBlock2();
    expect(() => gk.processBlock(block(3, heartbeat(w0, 1, 3, 1n)))).toThrow(/GK or worker state poisoned/);
    expect(() => gk.processBlock(block(4))).toThrow(/halted/);
  });

  it('F13: a heartbeat from a worker the GK does not know is ignored before the FIFO check', () => {
    const gk = challengedAtBlock2();
    expect(() => gk.processBlock(block(3, heartbeat(w1, 1, 77, 1n)))).not.toThrow();
    expect(gk.worker(w1)).toBeUndefined();
  });

  it('a known worker that owes nothing and sends a heartbeat also poisons the GK', () => {
    const gk = createReferenceEconomics(gkTestTokenomicParameters);
    gk.processBlock(block(1, register(w0)));
    expect(() => gk.processBlock(block(2, heartbeat(w0, 1, 1, 1n)))).toThrow(/poisoned/);
  });
});
