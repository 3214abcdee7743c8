/**
 * gk.rs `check_tokenomic_numerics`, `should_payout_at_v_max` and `test_update_p_instant` with their
 * exact literals (DOMAIN.md §13.3 G6), plus the §14 F3 "share ratio above 1" consequence.
 */
import { fixedFromDecimal as lit, fixedMul, fixedMulInt } from '../fixed';
import { updatePInstant, zeroTokenomicInfo } from './gkTokenomic';
import { createReferenceEconomics } from './referenceEconomics';
import { block, blockTs, challengeOnly, heartbeat, testPubkey } from './testKit';
import { gkTestTokenomicParameters } from './tokenomicParameters';

const w0 = testPubkey(1);

function startedWith(initV: bigint, initP: number) {
  const gk = createReferenceEconomics(gkTestTokenomicParameters);
  gk.processBlock(block(1, { type: 'WorkerRegistered', pubkey: w0, confidenceLevel: 2 }));
  gk.processBlock(block(2, { type: 'BenchScore', pubkey: w0, score: 3000 }, { type: 'WorkerStarted', pubkey: w0, sessionId: 1, initV, initP }));
  return gk;
}

describe('check_tokenomic_numerics', () => {
  const gk = startedWith(lit('3000'), 100);
  let n = 2;
  const reports = [] as ReturnType<typeof gk.processBlock>[];

  it('the start block already grows V once', () => {
    expect(gk.worker(w0)!.pBench).toBe(lit('100'));
    expect(gk.worker(w0)!.v).toBe(lit('3000.00203509369147797934'));
  });

  it('one day of idle blocks', () => {
    for (let i = 0; i < 7200; i++) gk.processBlock(block(++n));
    expect(gk.worker(w0)!.v).toBe(lit('3014.6899337932040476463'));
  });

  it('payout: V falls back to 3000, p_instant and the 80/20 split are exact', () => {
    gk.processBlock(block(++n, challengeOnly(w0)));
    expect(gk.worker(w0)!.challengeTimeLastMs).toBe(24000);
    expect(gk.worker(w0)!.iterationLast).toBe(0n);
    const report = gk.processBlock(block(n + 1, heartbeat(w0, 1, n, BigInt((110 * 7200 * 12) / 6))));
    n += 1;
    expect(gk.worker(w0)!.v).toBe(lit('3000'));
    expect(gk.worker(w0)!.pInstant).toBe(lit('109.96945292974173840575'));
    expect(report!.settle[0]!.payout).toBe(lit('576424.184820453732333905'));
    expect(report!.settle[0]!.treasury).toBe(lit('144106.0462051134330737112'));
    // F3: sum_share was snapshotted with the old p_instant, so share/sum_share > 1 and the payout
    // exceeds 0.8 · budget · blocks (= 576160 PHA for 7202 blocks)
    expect(report!.settle[0]!.payout).toBeGreaterThan(fixedMul(fixedMulInt(lit('100'), 7202), lit('0.8')));
  });

  it('slash 0.1 % over one hour after the 10-block window', () => {
    gk.processBlock(block(++n, challengeOnly(w0)));
    for (let i = 0; i < 3600 / 12 + 10; i++) reports.push(gk.processBlock(block(++n)));
    expect(gk.worker(w0)!.unresponsive).toBe(true);
    expect(reports.find((r) => r !== undefined)?.offline).toEqual([w0]);
    expect(gk.worker(w0)!.v).toBe(lit('2997.0260877851113935014'));
  });
});

describe('should_payout_at_v_max', () => {
  it('pays out of V at the cap, with v_deductible grown past it', () => {
    const gk = startedWith(lit('30000'), 3000);
    let n = 2;
    for (let i = 0; i < 7200; i++) gk.processBlock(block(++n));
    expect(gk.worker(w0)!.v).toBe(lit('30000'));
    expect(gk.worker(w0)!.vDeductible).toBeGreaterThan(0n);
    gk.processBlock(block(++n, challengeOnly(w0)));
    const report = gk.processBlock(block(n + 1, heartbeat(w0, 1, n, 1_000_000n)));
    expect(gk.worker(w0)!.v).toBe(lit('29855.38985958385856094607'));
    expect(gk.worker(w0)!.vDeductible).toBe(0n);
    expect(report!.settle[0]!.payout).toBe(lit('564977.41335989500435977944'));
    expect(report!.timestampMs).toBe(blockTs(n + 1));
  });
});

describe('test_update_p_instant (G6)', () => {
  it('1000 iterations in 100 s is 60 per 6 s; a lower counter resets the baseline to 0', () => {
    const info = { ...zeroTokenomicInfo(), pBench: lit('100') };
    updatePInstant(info, 100_000, 1000n, false);
    expect(info.pInstant).toBe(lit('60'));
    info.challengeTimeLastMs = 90_000;
    info.iterationLast = 1000n;
    updatePInstant(info, 200_000, 999n, false);
    expect(info.pInstant).toBe(0n);
  });

  it('caps at 1.2 · p_bench, and does nothing but set contract_running when time did not advance', () => {
    const info = { ...zeroTokenomicInfo(), pBench: lit('100') };
    updatePInstant(info, 1000, 1_000_000n, true);
    expect(info.pInstant).toBe(fixedMul(lit('100'), lit('1.2')));
    expect(info.contractRunning).toBe(true);
    info.challengeTimeLastMs = 5000;
    updatePInstant(info, 5000, 0n, false);
    expect(info.pInstant).toBe(fixedMul(lit('100'), lit('1.2')));
    expect(info.contractRunning).toBe(false);
  });
});
