import { FIXED_ONE, type Fixed, fixedDivInt, fixedFromDecimal as lit, fixedMul, fixedMulInt, fixedSub } from '../fixed';
import { opCost } from './startChecks';
import { defaultTokenomicParameters as d, gkTestTokenomicParameters as gk } from './tokenomicParameters';

/** Exponentiation by squaring with truncating multiplies, exactly as `test_tokenomic`'s `pow`. */
function powSquaring(x: Fixed, n: number): Fixed {
  let z = FIXED_ONE;
  let base = x;
  for (let i = n; i > 0; i >>= 1) {
    if ((i & 1) === 1) z = fixedMul(z, base);
    base = fixedMul(base, base);
  }
  return z;
}

describe('default tokenomic parameters (GenesisConfig::default, computation.rs test_tokenomic)', () => {
  it('V1: budget_per_block is exactly 100 PHA and 720000 per day', () => {
    expect(d.budgetPerBlock).toBe(100n << 64n);
    expect(fixedDivInt(fixedMulInt(d.budgetPerBlock, 3600 * 24), 12)).toBe(lit('720000'));
  });

  it('v_max is 30000', () => {
    expect(d.vMax).toBe(lit('30000'));
  });

  it('V2: rho^300 by squaring = 1.00019999999998037056', () => {
    expect(powSquaring(d.rho, 300)).toBe(lit('1.00019999999998037056'));
  });

  it('V2 note: 300 sequential multiplies give different last bits', () => {
    let z = FIXED_ONE;
    for (let i = 0; i < 300; i++) z = fixedMul(z, d.rho);
    expect(z).not.toBe(lit('1.00019999999998037056'));
  });

  it('V3: (1 − slash_rate)^300 = 0.9990004981683704595', () => {
    expect(powSquaring(fixedSub(FIXED_ONE, d.slashRate), 300)).toBe(lit('0.9990004981683704595'));
  });

  it('V4: op_cost(2000) / 12 · 3600·24·365 = 171.71874999975847951583', () => {
    expect(fixedMulInt(fixedDivInt(opCost(d, 2000), 12), 3600 * 24 * 365)).toBe(lit('171.71874999975847951583'));
  });

  it('the other defaults are the §6.1 literals', () => {
    expect(d.phaRate).toBe(FIXED_ONE);
    expect(d.treasuryRatio).toBe(lit('0.2'));
    expect(d.heartbeatWindow).toBe(10);
    expect(d.rigK).toBe(lit('0.3'));
    expect(d.rigB).toBe(0n);
    expect(d.re).toBe(lit('1.3'));
    expect(d.k).toBe(lit('100'));
    expect(d.kappa).toBe(FIXED_ONE);
    // divisions on the raw bits, pinned (derived with the §14.H formulas in python3)
    expect(d.slashRate).toBe((lit('0.001') * 12n) / 3600n);
    expect(d.costK).toBe((lit('0.0415625') * 12n) / 31536000n);
    expect(d.costB).toBe((lit('88.59375') * 12n) / 31536000n);
  });

  it('§13.3: the GK built-in set is the chain default set up to the literals’ last bits', () => {
    expect(gk.budgetPerBlock).toBe(d.budgetPerBlock);
    expect(gk.rho).toBe(d.rho);
    expect(gk.vMax).toBe(d.vMax);
    const near = (a: bigint, b: bigint) => (a > b ? a - b : b - a) <= 2n;
    expect(near(gk.slashRate, d.slashRate)).toBe(true);
    expect(near(gk.costK, d.costK)).toBe(true);
    expect(near(gk.costB, d.costB)).toBe(true);
  });
});
