import { FLAG, HEADER, HIT_TIE, LIMIT, type Layout, RECORD_BYTES, SLOW_ACTION } from './kernelLayout';
import { block, br, brIf, type Code, F64, f64, get, I32, i32, I64, i64, ifThen, loop, seq, set, type WasmFunction } from './wasmBytes';

/**
 * The end-of-block kernel (`did_process_block` of Phala's `gk.rs`) as hand-assembled
 * WebAssembly over the struct-of-arrays of `kernelLayout.ts`: offline detection and
 * recovery, the idle step `dv = perf·((rho−1)·v + cost_idle)`, the slash step
 * `v −= v·slash_rate`, and each responsive worker's share for the next block's
 * `sum_share` — in one pass over the slots' records, the share taken from the V the step left
 * in registers. U64F64 values are (hi, lo) u64 pairs; 64×64-bit products
 * are built from 32-bit halves, so every truncation is the bigint one. Slots outside the exact
 * range (`LIMIT`) are listed for the engine's bigint path instead. A second function makes the
 * first cut of the heartbeat lottery.
 */

// Parameters: n, block, window, fastParams, rhoSmall (i32); rho−1, slash, vMaxLo, vMaxHi (i64).
const N = 0;
const BLOCK = 1;
const WINDOW = 2;
const FAST_PARAMS = 3;
/** rho − 1 < 2^44 (every realistic rho): (rho−1)·vH then fits one u64 product. */
const RHO_SMALL = 4;
const RHO1 = 5;
const SLASH = 6;
const VMAX_LO = 7;
const VMAX_HI = 8;
const PARAMS = [I32, I32, I32, I32, I32, I64, I64, I64, I64];

const I32_LOCALS = ['i', 'p4', 'pr', 'f', 'act', 'offN', 'recN', 'slowN'] as const;
const I64_LOCALS = [
  ...['r0', 'r1', 's0', 's1', 'vH', 'vL', 'aH', 'aL', 'iH', 'iL', 'dH', 'dL', 'tH', 'tL', 'h', 'sumH', 'sumL'],
  ...['a0', 'a1', 'b0', 'b1', 'p00', 'p01', 'p10', 'mid', 'pH', 'pL', 'x0', 'x1', 'rt', 'dd', 'cl'],
] as const;
const F64_LOCALS = ['vf', 'xf'] as const;
type Local = (typeof I32_LOCALS)[number] | (typeof I64_LOCALS)[number] | (typeof F64_LOCALS)[number];
const L = {} as Record<Local, number>;
I32_LOCALS.forEach((n, k) => {
  L[n] = PARAMS.length + k;
});
I64_LOCALS.forEach((n, k) => {
  L[n] = PARAMS.length + I32_LOCALS.length + k;
});
F64_LOCALS.forEach((n, k) => {
  L[n] = PARAMS.length + I32_LOCALS.length + I64_LOCALS.length + k;
});
const g = (n: Local): Code => get(L[n]);
const s = (n: Local, e: Code): Code => set(L[n], e);

const M32 = i64.c(0xffffffffn);
const C32 = i64.c(32n);
const lo32 = (e: Code): Code => i64.and(e, M32);
const hi32 = (e: Code): Code => i64.shrU(e, C32);

/** out = hi64(a·b) for a = a1·2^32 + a0 (halves given) and a full u64 local b. */
const mulHi = (a0: Code, a1: Code, b: Local, out: Local): Code =>
  seq(
    s('b0', lo32(g(b))),
    s('b1', hi32(g(b))),
    s('p00', i64.mul(a0, g('b0'))),
    s('p01', i64.mul(a0, g('b1'))),
    s('p10', i64.mul(a1, g('b0'))),
    s('mid', i64.add(i64.add(hi32(g('p00')), lo32(g('p01'))), lo32(g('p10')))),
    s(out, i64.add(i64.add(i64.add(i64.mul(a1, g('b1')), hi32(g('p01'))), hi32(g('p10'))), hi32(g('mid')))),
  );

/** out = hi64(b·b) for a full u64 local b (three products: the cross term counts twice). */
const squareHi = (b: Local, out: Local): Code =>
  seq(
    s('b0', lo32(g(b))),
    s('b1', hi32(g(b))),
    s('p00', i64.mul(g('b0'), g('b0'))),
    s('p01', i64.mul(g('b0'), g('b1'))),
    s('mid', i64.add(hi32(g('p00')), i64.shl(lo32(g('p01')), i64.c(1n)))),
    s(out, i64.add(i64.add(i64.mul(g('b1'), g('b1')), i64.shl(hi32(g('p01')), i64.c(1n))), hi32(g('mid')))),
  );

/** (outH, outL) = k·small, exact, for k = k1·2^32 + k0 and small < 2^21. */
const mulSmall = (k0: Code, k1: Code, small: Code, outH: Local, outL: Local): Code =>
  seq(
    s('tH', i64.mul(k1, small)),
    s('tL', i64.mul(k0, small)),
    s(outL, i64.add(i64.shl(g('tH'), C32), g('tL'))),
    s(outH, i64.add(hi32(g('tH')), i64.fromU32(i64.ltU(g(outL), g('tL'))))),
  );

/** (h, l) += (addH, addL), 128-bit. */
const add128 = (h: Local, l: Local, addH: Code, addL: Code): Code =>
  seq(
    s('cl', addL),
    s(l, i64.add(g(l), g('cl'))),
    s(h, i64.add(i64.add(g(h), addH), i64.fromU32(i64.ltU(g(l), g('cl'))))),
  );

const wide = (layout: Layout, field: keyof Layout['wide']): number => layout.wide[field];
const narrow = (layout: Layout, field: keyof Layout['narrow']): number => layout.narrow[field];

/** a = (rho−1)·v >> 64 (v = vH·2^64 + vL, vH < 2^20); inner = a + cost_idle; dv = perf·inner >> 64. */
const idleStep = (y: Layout): Code =>
  seq(
    mulHi(g('r0'), g('r1'), 'vL', 'h'),
    ifThen(
      get(RHO_SMALL),
      seq(s('aH', i64.c(0n)), s('aL', i64.mul(get(RHO1), g('vH')))),
      mulSmall(g('r0'), g('r1'), g('vH'), 'aH', 'aL'),
    ),
    add128('aH', 'aL', i64.c(0n), g('h')),
    s('dH', g('aH')),
    s('dL', g('aL')),
    add128('dH', 'dL', i64.load(g('pr'), wide(y, 'costHi')), i64.load(g('pr'), wide(y, 'costLo'))),
    s('pL', i64.load(g('pr'), wide(y, 'perfLo'))),
    s('pH', i64.load(g('pr'), wide(y, 'perfHi'))),
    // perf < 2 (LIMIT.perfHi): perf·inner >> 64 = pH·inner + pL·iH + hi64(pL·iL), pH ∈ {0, 1}
    // multiplied in rather than branched on (perf hovers around 1).
    s('iH', g('dH')),
    s('iL', g('dL')),
    s('dH', i64.mul(g('iH'), g('pH'))),
    s('dL', i64.mul(g('iL'), g('pH'))),
    s('a0', lo32(g('pL'))),
    s('a1', hi32(g('pL'))),
    mulHi(g('a0'), g('a1'), 'iL', 'h'),
    mulSmall(g('a0'), g('a1'), g('iH'), 'x1', 'x0'),
    add128('x1', 'x0', i64.c(0n), g('h')),
    add128('dH', 'dL', g('x1'), g('x0')),
    // v = min(v + dv, vMax); v_deductible += dv (uncapped)
    add128('vH', 'vL', g('dH'), g('dL')),
    ifThen(
      i32.or(
        i64.gtU(g('vH'), get(VMAX_HI)),
        i32.and(i64.eq(g('vH'), get(VMAX_HI)), i64.gtU(g('vL'), get(VMAX_LO))),
      ),
      seq(s('vH', get(VMAX_HI)), s('vL', get(VMAX_LO))),
    ),
    s('aH', i64.load(g('pr'), wide(y, 'dedHi'))),
    s('aL', i64.load(g('pr'), wide(y, 'dedLo'))),
    add128('aH', 'aL', g('dH'), g('dL')),
    i64.store(g('pr'), wide(y, 'dedHi'), g('aH')),
    i64.store(g('pr'), wide(y, 'dedLo'), g('aL')),
    i64.store(g('pr'), wide(y, 'vHi'), g('vH')),
    i64.store(g('pr'), wide(y, 'vLo'), g('vL')),
  );

/** v −= v·slash >> 64; v_deductible = 0. */
const slashStep = (y: Layout): Code =>
  seq(
    mulHi(g('s0'), g('s1'), 'vL', 'h'),
    mulSmall(g('s0'), g('s1'), g('vH'), 'aH', 'aL'),
    add128('aH', 'aL', i64.c(0n), g('h')),
    s('x0', g('vL')),
    s('vL', i64.sub(g('vL'), g('aL'))),
    s('vH', i64.sub(i64.sub(g('vH'), g('aH')), i64.fromU32(i64.ltU(g('x0'), g('aL'))))),
    i64.store(g('pr'), wide(y, 'vHi'), g('vH')),
    i64.store(g('pr'), wide(y, 'vLo'), g('vL')),
    i64.store(g('pr'), wide(y, 'dedHi'), i64.c(0n)),
    i64.store(g('pr'), wide(y, 'dedLo'), i64.c(0n)),
  );

const pushList = (y: Layout, list: 'offline' | 'recovered' | 'slow', count: Local, value: Code): Code =>
  seq(
    i32.store(i32.shl(g(count), i32.c(2)), narrow(y, list), value),
    s(count, i32.add(g(count), i32.c(1))),
  );

/**
 * share = isqrt(v·v >> 64 + cc) << 32, added to the sum. A double estimate of the root is
 * within a unit or two while x < 2^102; x − r² is then small, so the low 64 bits of x
 * (2·vH·vL + hi64(vL²) + cc, wrapping) minus r² read as a signed number are exact and
 * settle r to the floor. Larger inputs go to the slow list.
 */
const shareStep = (y: Layout): Code =>
  seq(
    // Signed conversions (one instruction on x64) of values below 2^63: the low word loses its
    // last bit, far below the double's own rounding.
    s('vf', f64.add(f64.mul(f64.fromI64S(g('vH')), f64.c(2 ** 64)), f64.mul(f64.fromI64S(i64.shrU(g('vL'), i64.c(1n))), f64.c(2)))),
    s('x0', i64.load(g('pr'), wide(y, 'ccLo'))),
    s('xf', f64.add(f64.mul(f64.mul(g('vf'), g('vf')), f64.c(2 ** -64)), f64.load(g('pr'), wide(y, 'ccF')))),
    ifThen(
      f64.lt(g('xf'), f64.c(2 ** 102)),
      seq(
        squareHi('vL', 'h'),
        s('dd', i64.add(i64.add(i64.shl(i64.mul(g('vH'), g('vL')), i64.c(1n)), g('h')), g('x0'))),
        s('rt', i64.fromF64S(f64.sqrt(g('xf')))),
        s('dd', i64.sub(g('dd'), i64.mul(g('rt'), g('rt')))),
        // rt is the floor root iff 0 ≤ x − rt² ≤ 2·rt: one unsigned comparison. The estimate is
        // off only when the root is within ~2^-9 of an integer, so the loops almost never run.
        ifThen(
          i64.gtU(g('dd'), i64.shl(g('rt'), i64.c(1n))),
          seq(
            block(loop(seq(
              brIf(1, i64.geS(g('dd'), i64.c(0n))),
              s('rt', i64.sub(g('rt'), i64.c(1n))),
              s('dd', i64.add(g('dd'), i64.add(i64.shl(g('rt'), i64.c(1n)), i64.c(1n)))),
              br(0),
            ))),
            block(loop(seq(
              brIf(1, i64.ltS(g('dd'), i64.add(i64.shl(g('rt'), i64.c(1n)), i64.c(1n)))),
              s('dd', i64.sub(g('dd'), i64.add(i64.shl(g('rt'), i64.c(1n)), i64.c(1n)))),
              s('rt', i64.add(g('rt'), i64.c(1n))),
              br(0),
            ))),
          ),
        ),
        add128('sumH', 'sumL', hi32(g('rt')), i64.shl(g('rt'), C32)),
      ),
      pushList(y, 'slow', 'slowN', i32.or(i32.shl(g('i'), i32.c(2)), i32.c(SLOW_ACTION.shareOnly))),
    ),
  );

const hasFlag = (flag: number): Code => i32.and(g('f'), i32.c(flag));

/** Offline detection (case 3) and recovery (case 5); sets `act`. */
const controlStep = (y: Layout): Code =>
  seq(
    ifThen(
      hasFlag(FLAG.unresponsive),
      ifThen(
        hasFlag(FLAG.heartbeat),
        seq(s('f', i32.and(g('f'), i32.c(~FLAG.unresponsive))), pushList(y, 'recovered', 'recN', g('i'))),
      ),
      ifThen(
        hasFlag(FLAG.hasWaiting),
        ifThen(
          i32.gtU(i32.sub(get(BLOCK), i32.load(g('p4'), narrow(y, 'waitFront'))), get(WINDOW)),
          seq(pushList(y, 'offline', 'offN', g('i')), s('f', i32.or(g('f'), i32.c(FLAG.unresponsive)))),
        ),
      ),
    ),
    s('act', i32.c(SLOW_ACTION.idle)),
    ifThen(hasFlag(FLAG.heartbeat), s('act', i32.c(SLOW_ACTION.none))),
    ifThen(hasFlag(FLAG.unresponsive), s('act', i32.c(SLOW_ACTION.slash))),
  );

/**
 * One slot: offline/recovery, then the idle or slash step and the share of a responsive
 * worker from the V still in registers — or, outside the exact range, the slow list.
 */
const slotStep = (y: Layout): Code =>
  ifThen(
    hasFlag(FLAG.working),
    seq(
      controlStep(y),
      s('vH', i64.load(g('pr'), wide(y, 'vHi'))),
      ifThen(
        i32.and(
          i32.and(get(FAST_PARAMS), i32.ne(hasFlag(FLAG.fastOk), i32.c(0))),
          i64.ltU(g('vH'), i64.c(LIMIT.vHi)),
        ),
        seq(
          s('vL', i64.load(g('pr'), wide(y, 'vLo'))),
          ifThen(i32.eq(g('act'), i32.c(SLOW_ACTION.idle)), idleStep(y)),
          ifThen(i32.eq(g('act'), i32.c(SLOW_ACTION.slash)), slashStep(y), shareStep(y)),
        ),
        pushList(y, 'slow', 'slowN', i32.or(i32.shl(g('i'), i32.c(2)), g('act'))),
      ),
    ),
  );

/**
 * A loop over every slot running `body` with i, p4 = 4i (narrow arrays), p8 = the slot's
 * record offset and f = flags[i] set, then storing f back without the heartbeat bit.
 */
const eachSlot = (y: Layout, body: Code): Code =>
  seq(
    s('i', i32.c(0)),
    s('p4', i32.c(0)),
    s('pr', i32.c(0)),
    block(loop(seq(
      brIf(1, i32.geU(g('i'), get(N))),
      s('f', i32.load(g('p4'), narrow(y, 'flags'))),
      body,
      i32.store(g('p4'), narrow(y, 'flags'), i32.and(g('f'), i32.c(~FLAG.heartbeat))),
      s('i', i32.add(g('i'), i32.c(1))),
      s('p4', i32.add(g('p4'), i32.c(4))),
      s('pr', i32.add(g('pr'), i32.c(RECORD_BYTES))),
      br(0),
    ))),
  );

/** The end-of-block kernel for a layout (offsets are baked in as immediates). */
export const kernelFunction = (y: Layout): WasmFunction => ({
  name: 'kernel',
  params: PARAMS,
  locals: [...I32_LOCALS.map(() => I32), ...I64_LOCALS.map(() => I64), ...F64_LOCALS.map(() => F64)],
  body: seq(
    s('r0', lo32(get(RHO1))),
    s('r1', hi32(get(RHO1))),
    s('s0', lo32(get(SLASH))),
    s('s1', hi32(get(SLASH))),
    eachSlot(y, slotStep(y)),
    i32.store(i32.c(0), HEADER.offlineCount, g('offN')),
    i32.store(i32.c(0), HEADER.recoveredCount, g('recN')),
    i32.store(i32.c(0), HEADER.slowCount, g('slowN')),
    i64.store(i32.c(0), HEADER.sumLo, g('sumL')),
    i64.store(i32.c(0), HEADER.sumHi, g('sumH')),
  ),
});

/**
 * The heartbeat lottery's first cut over every computing, unpaused worker: the top 32 bits
 * of `hashed_id XOR seed` against the target's. Below: a hit; equal: a tie the engine settles
 * with the full 256-bit comparison. Params: n, seedTop, targetTop (u32 as i32).
 */
export const challengeFunction = (y: Layout): WasmFunction => {
  // Locals after the 3 params: i, x, hitN.
  const [n, seedTop, targetTop, i, x, hitN] = [0, 1, 2, 3, 4, 5];
  const push = (entry: Code): Code =>
    seq(i32.store(i32.shl(get(hitN), i32.c(2)), narrow(y, 'hits'), entry), set(hitN, i32.add(get(hitN), i32.c(1))));
  return {
    name: 'challenge',
    params: [I32, I32, I32],
    locals: [I32, I32, I32],
    body: seq(
      block(loop(seq(
        brIf(1, i32.geU(get(i), get(n))),
        ifThen(
          i32.eq(i32.and(i32.load(i32.shl(get(i), i32.c(2)), narrow(y, 'flags')), i32.c(FLAG.working | FLAG.paused)), i32.c(FLAG.working)),
          seq(
            set(x, i32.xor(i32.load(i32.shl(get(i), i32.c(2)), narrow(y, 'hashTop')), get(seedTop))),
            ifThen(i32.ltU(get(x), get(targetTop)), push(get(i))),
            ifThen(i32.eq(get(x), get(targetTop)), push(i32.or(get(i), i32.c(HIT_TIE)))),
          ),
        ),
        set(i, i32.add(get(i), i32.c(1))),
        br(0),
      ))),
      i32.store(i32.c(0), HEADER.hitCount, get(hitN)),
    ),
  };
};
