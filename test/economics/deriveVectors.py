#!/usr/bin/env python3
"""One-off derivation of the DOMAIN.md §13.4 "D" vectors (and S9) as exact U64F64 bits, written
independently of the TypeScript engine from the §14.H arithmetic model. The printed bits are
pinned in domain/economics/gkVectors.test.ts and startChecks.test.ts. Run: python3 deriveVectors.py"""
import math
from fractions import Fraction as F

S = 1 << 64
def lit(s):
    x = F(s) * S; fl = x.numerator // x.denominator; r = x - fl
    return fl + 1 if r > F(1, 2) or (r == F(1, 2) and fl % 2) else fl
mul = lambda a, b: (a * b) >> 64
div = lambda a, b: (a << 64) // b
sqrt = lambda a: math.isqrt(a) << 32
to_fixed = lambda b: ((b << 48) // 10**12) << 16
def show(x): return f"{x}n  ~{float(F(x, S)):.10f}"

# chain defaults (GenesisConfig::default)
rho = lit('1.000000666600231'); slash = lit('0.001') * 12 // 3600
budget = lit('720000') * 12 // 86400; vmax = lit('30000')
cost_k = div(lit('0.0415625') * 12 // 31536000, lit('1')); cost_b = div(lit('88.59375') * 12 // 31536000, lit('1'))
treasury = lit('0.2'); payout_ratio = S - treasury
re, rig_k = lit('1.3'), lit('0.3')

def ve(stake_units, p, score):
    return mul(mul(re - S, score) + S, to_fixed(stake_units) + mul(rig_k, p * S))

def idle(v, vd, p_bench, p_now):
    cost = mul(cost_k, p_bench) + cost_b
    perf = S if p_bench == 0 else div(p_now, p_bench)
    dv = mul(perf, mul(rho - S, v) + cost)
    return min(v + dv, vmax), vd + dv, dv

def share(v, p, score):
    x = mul(mul(2 * S, p), score)
    return sqrt(mul(v, v) + mul(x, x))

PHA = 10**12
ve0 = ve(5000 * PHA, 1000, S)
print('S9  Ve(5000 PHA, 1000, cl1) =', show(ve0))
P = 1000 * S
v, vd, dv = idle(ve0, 0, P, P)
print('D1  one idle block dV        =', show(dv), ' V =', show(v))
v, vd = ve0, 0
for _ in range(300): v, vd, _d = idle(v, vd, P, P)
print('D2  300 idle blocks V        =', show(v), ' v_deductible =', show(vd))
for _ in range(7200 - 300): v, vd, _d = idle(v, vd, P, P)
print('D3  7200 idle blocks V       =', show(v), ' v_deductible =', show(vd))
v = ve0
for _ in range(300): v = v - mul(v, slash)
print('D4  300 slashed blocks V     =', show(v))
print('D5  share(6890-ish, 1000, 1) =', show(share(ve0, P, S)))
a = share(ve0, P, S); b = share(lit('3000'), 500 * S, lit('0.7'))
print('D6  share A, share B         =', show(a), show(b), ' A ratio =', show(div(a, a + b)))
# D7: only worker, v_deductible > 6000 not reachable from idle growth alone; payout math:
ratio = div(a, a)
bud = mul(mul(ratio, budget), 75 * S)
print('D7  budget, payout, treasury =', show(bud), show(mul(bud, payout_ratio)), show(mul(bud, treasury)))
