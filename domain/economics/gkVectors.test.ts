/**
 * DOMAIN.md §13.4 "D" vectors with the chain default parameters (single worker P=1000, cl=1,
 * stake 5000 PHA). Expected bits come from test/economics/deriveVectors.py, an independent python3
 * transcription of the §14.H arithmetic; the decimals in the test names are DOMAIN's approximations.
 */
import { PHA_UNITS } from '../fixed';
import { fixedFromDecimal as lit, fixedToDecimal } from '../fixed';
import { share, updateVSlash, zeroTokenomicInfo } from './gkTokenomic';
import { createReferenceEconomics } from './referenceEconomics';
import { initialV } from './startChecks';
import { block, challengeOnly, heartbeat, testPubkey } from './testKit';
import { defaultTokenomicParameters as params } from './tokenomicParameters';

const w = testPubkey(7);
const ve0 = initialV(params, 5000n * PHA_UNITS, 1000, 1);
const approx = (bits: bigint, digits: number) => fixedToDecimal(bits, digits);

function startedAtBlock2(p = params, ...extra: Parameters<typeof block>[1][]) {
  const gk = createReferenceEconomics(p);
  gk.processBlock(block(1, { type: 'WorkerRegistered', pubkey: w, confidenceLevel: 1 }));
  gk.processBlock(block(2, { type: 'WorkerStarted', pubkey: w, sessionId: 0, initV: ve0, initP: 1000 }, ...extra));
  return gk;
}

describe('§13.4 D vectors (chain defaults)', () => {
  it('Ve = 6890 (S9)', () => {
    expect(ve0).toBe(127098066667858810635560n);
    expect(approx(ve0, 7)).toBe('6890.0000000');
  });

  it('D1: one idle block grows V by 0.0046424023 (the start block itself is idle)', () => {
    const gk = startedAtBlock2();
    expect(gk.worker(w)!.v - ve0).toBe(85637207538555980n);
    expect(approx(gk.worker(w)!.v - ve0, 10)).toBe('0.0046424023');
  });

  it('D2/D3: 300 and 7200 idle blocks → V ≈ 6891.3928595 and ≈ 6923.5056267, v_deductible = the whole gain', () => {
    const gk = startedAtBlock2();
    for (let n = 3; n <= 301; n++) gk.processBlock(block(n));
    expect(gk.worker(w)!.v).toBe(127123760390587254887636n);
    expect(gk.worker(w)!.vDeductible).toBe(25693722728444252076n);
    expect(approx(gk.worker(w)!.v, 7)).toBe('6891.3928595');
    for (let n = 302; n <= 7201; n++) gk.processBlock(block(n));
    expect(gk.worker(w)!.v).toBe(127716136389185655815798n);
    expect(gk.worker(w)!.vDeductible).toBe(618069721326845180238n);
    expect(approx(gk.worker(w)!.v, 7)).toBe('6923.5056267');
  });

  it('D4: 300 unresponsive blocks from 6890 → ≈ 6883.1134324 (engine with window 0: offline one block after the challenge)', () => {
    // block 2: start, challenge + answer (a heartbeat block: no growth), a second challenge left owed
    const gk = startedAtBlock2({ ...params, heartbeatWindow: 0 }, challengeOnly(w), heartbeat(w, 0, 2, 0n), challengeOnly(w));
    expect(gk.worker(w)!.v).toBe(ve0);
    expect(gk.processBlock(block(3))?.offline).toEqual([w]);
    for (let n = 4; n <= 302; n++) gk.processBlock(block(n));
    expect(gk.worker(w)!.v).toBe(126971031917427712722607n);
    expect(approx(gk.worker(w)!.v, 7)).toBe('6883.1134324');
    const info = { ...zeroTokenomicInfo(), v: ve0 };
    for (let i = 0; i < 300; i++) updateVSlash(info, params);
    expect(info.v).toBe(126971031917427712722607n);
  });

  it('D5: share(V=6890, P=1000, cl=1) ≈ 7174.4058987', () => {
    const s = share({ ...zeroTokenomicInfo(), v: ve0, pInstant: lit('1000'), pBench: lit('1000'), confidenceLevel: 1 });
    expect(s).toBe(132344429495128770478080n);
    expect(approx(s, 7)).toBe('7174.4058987');
  });

  it('D6: A (6890, 1000, cl 1) and B (3000, 500, cl 5) → shares 7174.406 / 3080.584, A gets ≈ 69.960 %', () => {
    const a = share({ ...zeroTokenomicInfo(), v: ve0, pInstant: lit('1000'), confidenceLevel: 1 });
    const b = share({ ...zeroTokenomicInfo(), v: lit('3000'), pInstant: lit('500'), confidenceLevel: 5 });
    expect(b).toBe(56826751289153606909952n);
    expect(approx(a, 3)).toBe('7174.406');
    expect(approx(b, 3)).toBe('3080.584');
    expect(approx((a << 64n) / (a + b), 5)).toBe('0.69960');
  });

  it('D7: the only worker, paid 75 blocks after its last update with its share unchanged: 6000 / 1500 PHA', () => {
    const gk = startedAtBlock2();
    for (let n = 3; n < 70; n++) gk.processBlock(block(n));
    gk.processBlock(block(70, challengeOnly(w)));
    for (let n = 71; n < 77; n++) gk.processBlock(block(n));
    // nClusters > 0 ⇒ p() = p_bench both in the block-start snapshot and after the update
    const report = gk.processBlock(block(77, heartbeat(w, 0, 70, 1n, 1)));
    const settle = report!.settle[0]!;
    expect(settle.payout).toBe(110680464442257309697500n);
    expect(settle.treasury).toBe(27670116110564327422500n);
    expect(approx(settle.payout, 6)).toBe('6000.000000');
    expect(approx(settle.treasury, 6)).toBe('1500.000000');
    // V gave back exactly what it gained since the start (v_deductible < payout)
    expect(settle.v).toBe(ve0);
    expect(gk.worker(w)!.vDeductible).toBe(0n);
  });
});
