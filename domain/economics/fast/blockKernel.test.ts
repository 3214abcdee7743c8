import fc from 'fast-check';
import { divBits, isqrt, minBits, mulBits } from './fixedBits';
import { createKernel } from './kernelInstance';
import { FLAG, LIMIT, SLOW_ACTION, wideIndex } from './kernelLayout';

const kernel = createKernel(4);
const y = kernel.layout;
const put = (field: keyof typeof y.wide, value: bigint): void => {
  kernel.u64[y.wide[field] / 8] = value;
};
const get = (field: keyof typeof y.wide): bigint => kernel.u64[y.wide[field] / 8]!;
const wide = (name: 'v' | 'ded' | 'perf' | 'cost' | 'cc', x: bigint): void => {
  put(`${name}Lo`, BigInt.asUintN(64, x));
  if (name === 'cc') kernel.f64[y.wide.ccF / 8] = Number(x);
  else put(`${name}Hi`, BigInt.asUintN(64, x >> 64n));
};
const read = (name: 'v' | 'ded'): bigint => (get(`${name}Hi`) << 64n) | get(`${name}Lo`);

/** Bits with a random magnitude below 2^maxBits (uniform bit length, then uniform value). */
const bits = (maxBits: number) =>
  fc.integer({ min: 0, max: maxBits }).chain((n) => fc.bigInt({ min: 0n, max: n === 0 ? 0n : (1n << BigInt(n)) - 1n }));

const slot = fc.record({
  v: bits(84),
  ded: bits(100),
  perf: fc.oneof(bits(65), fc.constant(1n << 64n)),
  cost: bits(84),
  cc: bits(104),
  rho1: bits(64),
  slash: bits(64),
  vMax: bits(100),
});

interface Slot {
  v: bigint;
  ded: bigint;
  perf: bigint;
  cost: bigint;
  cc: bigint;
  rho1: bigint;
  slash: bigint;
  vMax: bigint;
}

const run = (s: Slot, flags: number) => {
  wide('v', s.v);
  wide('ded', s.ded);
  wide('perf', s.perf);
  wide('cost', s.cost);
  wide('cc', s.cc);
  kernel.u32[y.narrow.flags / 4] = flags;
  kernel.u32[y.narrow.waitFront / 4] = 90;
  return kernel.run({ slots: 1, blockNumber: 100, heartbeatWindow: 10, fastParams: true, rhoMinusOne: s.rho1, slashRate: s.slash, vMax: s.vMax });
};

const shareOf = (v: bigint, cc: bigint): bigint => isqrt(mulBits(v, v) + cc) << 32n;
const slowEntry = (): number => kernel.u32[y.narrow.slow / 4]!;

describe('economics kernel (wasm) against the bigint formulas of gk.rs', () => {
  it('idle step: dv = perf·((rho−1)·v + cost_idle), v capped at v_max, v_deductible += dv, then the share', () => {
    fc.assert(
      fc.property(slot, (s) => {
        const counts = run(s, FLAG.working | FLAG.fastOk);
        const dv = mulBits(s.perf, mulBits(s.rho1, s.v) + s.cost);
        const v = minBits(s.v + dv, s.vMax);
        expect(read('v')).toBe(v);
        expect(read('ded')).toBe(BigInt.asUintN(128, s.ded + dv));
        if (counts.slow === 0) expect(counts.sumShare).toBe(shareOf(v, s.cc));
        else expect([slowEntry(), mulBits(v, v) + s.cc >= 1n << 101n]).toEqual([SLOW_ACTION.shareOnly, true]);
      }),
      { numRuns: 3000 },
    );
  });

  it('slash step: v −= v·slash_rate, v_deductible = 0, and no share for an unresponsive worker', () => {
    fc.assert(
      fc.property(slot, (s) => {
        const counts = run(s, FLAG.working | FLAG.fastOk | FLAG.unresponsive);
        expect(read('v')).toBe(s.v - mulBits(s.v, s.slash));
        expect(read('ded')).toBe(0n);
        expect(counts.sumShare).toBe(0n);
      }),
      { numRuns: 2000 },
    );
  });

  it('a heartbeat block changes nothing but still counts the share', () => {
    fc.assert(
      fc.property(slot, (s) => {
        const counts = run(s, FLAG.working | FLAG.fastOk | FLAG.heartbeat);
        expect([read('v'), read('ded')]).toEqual([s.v, BigInt.asUintN(128, s.ded)]);
        if (counts.slow === 0) expect(counts.sumShare).toBe(shareOf(s.v, s.cc));
      }),
      { numRuns: 1000 },
    );
  });

  it('sqrt settles exactly at perfect squares and their neighbours', () => {
    for (const root of [1n << 20n, (1n << 51n) - 1n, 123456789012345n, 3n << 40n, 1n, 2n]) {
      for (const delta of [-1n, 0n, 1n]) {
        const cc = root * root + delta;
        const counts = run({ v: 0n, ded: 0n, perf: 0n, cost: 0n, cc, rho1: 0n, slash: 0n, vMax: 0n }, FLAG.working | FLAG.fastOk | FLAG.heartbeat);
        expect(counts.sumShare).toBe(isqrt(cc) << 32n);
      }
    }
  });

  it('lists a worker outside the exact range for the bigint path, with its action', () => {
    const big = { v: LIMIT.vHi << 64n, ded: 0n, perf: 1n << 64n, cost: 0n, cc: 0n, rho1: 1n, slash: 1n, vMax: 1n << 120n };
    expect(run(big, FLAG.working | FLAG.fastOk).slow).toBe(1);
    expect(slowEntry()).toBe(SLOW_ACTION.idle);
    expect(run({ ...big, v: 1n }, FLAG.working).slow).toBe(1); // cached values out of range
    expect(read('v')).toBe(1n);
  });

  it('reports a worker offline once its oldest challenge is older than the window, and recovers it', () => {
    const s = { v: 1n << 70n, ded: 0n, perf: 1n << 64n, cost: 0n, cc: 0n, rho1: 0n, slash: 0n, vMax: 1n << 80n };
    expect(run(s, FLAG.working | FLAG.fastOk | FLAG.hasWaiting).offline).toBe(0); // 100 − 90 = 10: not yet
    kernel.u32[y.narrow.waitFront / 4] = 89;
    kernel.u32[y.narrow.flags / 4] = FLAG.working | FLAG.fastOk | FLAG.hasWaiting;
    const counts = kernel.run({ slots: 1, blockNumber: 100, heartbeatWindow: 10, fastParams: true, rhoMinusOne: 0n, slashRate: 0n, vMax: 1n << 80n });
    expect(counts.offline).toBe(1);
    expect(kernel.u32[y.narrow.flags / 4]! & FLAG.unresponsive).toBe(FLAG.unresponsive);
    expect(run(s, FLAG.working | FLAG.fastOk | FLAG.unresponsive | FLAG.heartbeat).recovered).toBe(1);
    expect(kernel.u32[y.narrow.flags / 4]! & (FLAG.unresponsive | FLAG.heartbeat)).toBe(0);
  });

  it('steps every slot from its own record: slots side by side give the single-slot results', () => {
    const many = createKernel(8);
    const m = many.layout;
    const states = [1n, 2n, 3n].map((k) => ({ v: (k * 1000n) << 64n | (k * 77n), cost: k << 60n, cc: k << 70n }));
    states.forEach((st, slot) => {
      many.u64[wideIndex(m, 'vLo', slot)] = BigInt.asUintN(64, st.v);
      many.u64[wideIndex(m, 'vHi', slot)] = st.v >> 64n;
      many.u64[wideIndex(m, 'perfHi', slot)] = 1n;
      many.u64[wideIndex(m, 'costLo', slot)] = st.cost;
      many.u64[wideIndex(m, 'ccLo', slot)] = BigInt.asUintN(64, st.cc);
      many.f64[wideIndex(m, 'ccF', slot)] = Number(st.cc);
      many.u32[m.narrow.flags / 4 + slot] = FLAG.working | FLAG.fastOk;
    });
    const rho1 = 12297829382473n;
    const counts = many.run({ slots: 3, blockNumber: 5, heartbeatWindow: 10, fastParams: true, rhoMinusOne: rho1, slashRate: 0n, vMax: 1n << 100n });
    const expected = states.map((st) => st.v + mulBits(1n << 64n, mulBits(rho1, st.v) + st.cost));
    expect(states.map((_, slot) => (many.u64[wideIndex(m, 'vHi', slot)]! << 64n) | many.u64[wideIndex(m, 'vLo', slot)]!)).toEqual(expected);
    expect(counts.sumShare).toBe(expected.reduce((sum, v, k) => sum + shareOf(v, states[k]!.cc), 0n));
  });

  it('perf is a truncating quotient (the fixture the engine caches)', () => {
    expect(divBits(1n << 64n, 3n << 64n)).toBe(6148914691236517205n);
  });
});
