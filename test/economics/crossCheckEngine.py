#!/usr/bin/env python3
"""Independent python3 replay of gk.rs ComputingEconomics (the §14.H arithmetic), used once to
cross-check the TypeScript reference engine on random worlds: reads scenarios.json written by
dumpScenarios.ts (blocks + the TS engine's reports and worker views) and compares everything.
Run: npx tsx test/economics/dumpScenarios.ts 400 > /tmp/s.json && python3 test/economics/crossCheckEngine.py /tmp/s.json
(last run: 400 worlds, 25938 blocks, 1604 payouts, 3399 offline, 2535 recoveries, 0 mismatches)"""
import json, math, sys
from hashlib import blake2b

S = 1 << 64
M = (1 << 128) - 1
def chk(x):
    assert 0 <= x <= M, 'overflow'
    return x
mul = lambda a, b: chk((a * b) >> 64)
div = lambda a, b: chk((a << 64) // b)
sqrt = lambda a: math.isqrt(a) << 32
def lit(s):
    from fractions import Fraction as F
    x = F(s) * S; fl = x.numerator // x.denominator; r = x - fl
    return fl + 1 if r > F(1, 2) or (r == F(1, 2) and fl % 2) else fl
CONF = {1: S, 2: S, 3: S, 128: S, 4: lit('0.8'), 5: lit('0.7')}

class W:
    def __init__(s, pk):
        s.pk = pk; s.h = int.from_bytes(blake2b(bytes.fromhex(pk[2:]), digest_size=32).digest(), 'big')
        s.reg = False; s.work = None; s.paused = False; s.q = []; s.unresp = False; s.flag = False
        s.t = dict(v=0, vd=0, vat=0, vblk=0, il=0, ctl=0, pb=0, pi=0, cl=0, cr=False)
def p_of(t): return t['pb'] if t['cr'] else t['pi']
def share(t):
    x = mul(mul(2 * S, p_of(t)), CONF.get(t['cl'], 0))
    return sqrt(chk(mul(t['v'], t['v']) + mul(x, x)))

def run(params, blocks):
    P = dict(params); ws = {}; out = []
    for b in blocks:
        n, now = b['number'], b['timestampMs']
        order = sorted(ws)
        ssum = sum(share(ws[k].t) for k in order if ws[k].work is not None and not ws[k].unresp)
        for k in order: ws[k].flag = False
        off, rec, settle = [], [], []
        for m in b['messages']:
            ty = m['type']; w = ws.get(m.get('pubkey'))
            if ty == 'WorkerRegistered':
                if w is None: w = ws[m['pubkey']] = W(m['pubkey'])
                w.reg = True; w.t['cl'] = m['confidenceLevel']
            elif ty == 'WorkerStarted' and w:
                w.work = m['sessionId']; w.paused = False; w.unresp = False; v = int(m['initV'])
                w.t = dict(v=v, vd=0, vat=now, vblk=n, il=0, ctl=now, pb=m['initP'] * S, pi=m['initP'] * S, cl=w.t['cl'], cr=False)
            elif ty == 'WorkerStopped' and w:
                w.work = None; settle.append((w.pk, w.t['v'], 0, 0))
            elif ty == 'WorkerEnterUnresponsive' and w and w.work is not None: w.paused = True
            elif ty == 'WorkerExitUnresponsive' and w and w.work is not None: w.paused = False
            elif ty == 'HeartbeatChallenge':
                for k in sorted(ws):
                    x = ws[k]
                    if x.reg and x.work is not None and not x.paused and (x.h ^ int(m['seed'])) <= int(m['onlineTarget']): x.q.append(n)
            elif ty == 'TokenomicParametersChanged':
                P = {k: (int(v) if isinstance(v, str) else v) for k, v in m['params'].items()}
            elif ty == 'Heartbeat' and w:
                assert w.q and w.q[0] == m['challengeBlock'], 'poisoned'
                w.q.pop(0)
                if w.work is None or w.work != m['sessionId']: continue
                w.flag = True; t = w.t; it = int(m['iterations'])
                t['cr'] = m.get('nClusters') is not None and m['nClusters'] > 0
                if now > t['ctl']:
                    if it < t['il']: t['il'] = it
                    dt = ((now - t['ctl']) * S) // 1000
                    t['pi'] = min(chk(div((it - t['il']) * S, dt) * 6), mul(t['pb'], lit('1.2')))
                t['ctl'] = m['challengeTimeMs']; t['il'] = it
                if w.unresp:
                    t['vd'] = 0; t['vat'] = now; t['vblk'] = n; continue
                pay = tre = 0
                sh = share(t)
                if ssum and t['vd'] and n > t['vblk'] and sh:
                    bud = mul(mul(div(sh, ssum), P['budgetPerBlock']), (n - t['vblk']) * S)
                    pay = mul(bud, S - P['treasuryRatio']); tre = mul(bud, P['treasuryRatio'])
                    t['v'] = chk(t['v'] - min(t['vd'], pay)); t['vd'] = 0; t['vat'] = now; t['vblk'] = n
                settle.append((w.pk, t['v'], pay, tre))
        for k in sorted(ws):
            w = ws[k]; t = w.t
            if w.work is None: continue
            if w.unresp:
                if w.flag: w.unresp = False; rec.append(k)
            elif w.q and n - w.q[0] > P['heartbeatWindow']:
                off.append(k); w.unresp = True
            if w.unresp:
                t['v'] = chk(t['v'] - mul(t['v'], P['slashRate'])); t['vd'] = 0
            elif not w.flag:
                cost = chk(mul(P['costK'], t['pb']) + P['costB'])
                perf = S if t['pb'] == 0 else div(p_of(t), t['pb'])
                dv = mul(perf, chk(mul(chk(P['rho'] - S), t['v']) + cost))
                t['v'] = min(chk(t['v'] + dv), P['vMax']); t['vd'] = chk(t['vd'] + dv)
        rep = None if not (off or rec or settle) else dict(offline=off, recovered=rec, settle=[list(map(str, s)) for s in settle])
        views = {k: [str(ws[k].t['v']), str(ws[k].t['vd']), str(ws[k].t['pi']), ws[k].unresp] for k in sorted(ws)}
        out.append((rep, views))
    return out

data = json.load(open(sys.argv[1]))
P0 = {k: (int(v) if isinstance(v, str) else v) for k, v in data['params'].items()}
bad = 0
seen = dict(payouts=0, offline=0, recovered=0)
for i, sc in enumerate(data['scenarios']):
    got = run(P0, sc['blocks'])
    for rep, _ in got:
        if rep:
            seen['payouts'] += sum(1 for s in rep['settle'] if s[2] != '0'); seen['offline'] += len(rep['offline']); seen['recovered'] += len(rep['recovered'])
    for j, ((rep, views), exp) in enumerate(zip(got, sc['expected'])):
        if rep != exp['report'] or views != exp['views']:
            bad += 1; print('MISMATCH scenario', i, 'block', j, rep, exp['report'], views, exp['views']); break
print(f"{len(data['scenarios'])} scenarios, {sum(len(s['blocks']) for s in data['scenarios'])} blocks, mismatching scenarios: {bad}, {seen}")
