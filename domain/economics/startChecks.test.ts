import { fixedFromDecimal as lit, PHA_UNITS } from '../fixed';
import { gkConfidenceScore } from './gkTokenomic';
import { initialV, minimumStake, palletConfidenceScore, rigCost } from './startChecks';
import { defaultTokenomicParameters as d } from './tokenomicParameters';

const PHA = PHA_UNITS;

describe('pallet start-of-computing formulas (computation.rs test_tokenomic, DOMAIN §13.2)', () => {
  it('minimal_stake(1000) = 3162.277660146355 PHA (the 32-bit sqrt explains §11.7)', () => {
    expect(minimumStake(d, 1000)).toBe(3162_277660146355n);
  });

  it('S2: Ve(1000 PHA, P=1000, cl=1/2/3) = 1690.0000000000000000282', () => {
    for (const cl of [1, 2, 3]) expect(initialV(d, 1000n * PHA, 1000, cl)).toBe(lit('1690.0000000000000000282'));
  });

  it('S3: Ve(…, cl=4) = 1612.0000000000000000247', () => {
    expect(initialV(d, 1000n * PHA, 1000, 4)).toBe(lit('1612.0000000000000000247'));
  });

  it('S4: Ve(…, cl=5) = 1572.9999999999999999877', () => {
    expect(initialV(d, 1000n * PHA, 1000, 5)).toBe(lit('1572.9999999999999999877'));
  });

  it('S5: rig_cost(500/2000/2800) = 150 / 600 / 840 (plus their last-bit residue)', () => {
    expect(rigCost(d, 500)).toBe(lit('150.0000000000000000054'));
    expect(rigCost(d, 2000)).toBe(lit('600.0000000000000000217'));
    expect(rigCost(d, 2800)).toBe(lit('840.00000000000000003036'));
  });

  it('pallet confidence score: 1,2,3 → 1; 4 → 0.8; 5 → 0.7; others (0, 6, 128) → 1', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 128].map(palletConfidenceScore)).toEqual(['1', '1', '1', '1', '0.8', '0.7', '1', '1'].map(lit));
  });

  it('GK confidence score differs for unknown levels: 1,2,3,128 → 1; 4 → 0.8; 5 → 0.7; others (0, 6, 7) → 0', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 128].map(gkConfidenceScore)).toEqual(['0', '1', '1', '1', '0.8', '0.7', '0', '0', '1'].map(lit));
  });

  it('S6: 3000 PHA is below the minimum stake for P=1000 (3162.28)', () => {
    expect(3000n * PHA < minimumStake(d, 1000)).toBe(true);
  });

  it('S7: max stake for P=1000, cl=1 is ≈ 22776.92 PHA: 22776 fits v_max, 22777 does not', () => {
    expect(initialV(d, 22_776n * PHA, 1000, 1) <= d.vMax).toBe(true);
    expect(initialV(d, 22_777n * PHA, 1000, 1) > d.vMax).toBe(true);
  });

  it('S9: Ve(5000 PHA, P=1000, cl=1) ≈ 6890 (pinned bits derived with the §14.H model in python3)', () => {
    const ve = initialV(d, 5000n * PHA, 1000, 1);
    expect(ve).toBe(127098066667858810635560n); // test/economics/deriveVectors.py: S9
    expect(ve - lit('6890')).toBe(1320n); // 6890 + 7.2e-17: truncation residue of rig_k·P and 1.3
  });
});
