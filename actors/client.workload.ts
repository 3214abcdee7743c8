/**
 * The seeded arrival process of a workload client: a Poisson process per kind of intent, merged.
 * Inter-arrival times are exponential with the total rate; each arrival's kind is drawn in
 * proportion to the rates. Arrival n draws only from `random.fork('arrival/' + n)`, so the
 * schedule is a function of (the client's Random stream, n): a client restored from a snapshot
 * with the same stream continues exactly where it was, however many numbers were drawn before.
 */
import type { Random } from '../domain/ports/random';

/** Rates of user activity per block (the scenario's `workload` section). */
export interface WorkloadRates {
  readonly contributionsPerBlock: number;
  readonly withdrawalsPerBlock: number;
  readonly contractCommandsPerBlock: number;
  readonly contractQueriesPerBlock: number;
}

/** What a client asks for; the driver turns it into an extrinsic or a query. */
export type IntentKind = 'contribution' | 'withdrawal' | 'contractCommand' | 'contractQuery';

/** One planned arrival. */
export interface Arrival {
  /** 1-based index of the arrival in this client's schedule */
  readonly sequence: number;
  readonly atMs: number;
  readonly kind: IntentKind;
  /** a uniform 32-bit draw the driver uses to pick the pool, contract or amount */
  readonly pick: number;
}

const kinds: readonly [IntentKind, keyof WorkloadRates][] = [
  ['contribution', 'contributionsPerBlock'],
  ['withdrawal', 'withdrawalsPerBlock'],
  ['contractCommand', 'contractCommandsPerBlock'],
  ['contractQuery', 'contractQueriesPerBlock'],
];

/** Refuses rates that are negative or not finite (a driver bug: scenario decoding refuses them first). */
export function assertRates(rates: WorkloadRates): void {
  for (const [, key] of kinds) {
    const r = rates[key];
    if (!Number.isFinite(r) || r < 0) throw new Error(`client workload: ${key} must be a finite number >= 0, got ${r}`);
  }
}

/** Arrivals per block, all kinds together. */
export const totalRatePerBlock = (rates: WorkloadRates): number => kinds.reduce((sum, [, key]) => sum + rates[key], 0);

/**
 * Arrival number `sequence`, after `afterMs`. Undefined when every rate is 0. The gap is rounded
 * up to a whole millisecond (at least 1), so two arrivals of one client never share a time.
 */
export function drawArrival(random: Random, sequence: number, rates: WorkloadRates, blockTimeMs: number, afterMs: number): Arrival | undefined {
  const total = totalRatePerBlock(rates);
  if (total <= 0) return undefined;
  const r = random.fork(`arrival/${sequence}`);
  const meanGapMs = blockTimeMs / total;
  const gapMs = Math.max(1, Math.ceil(-Math.log(1 - r.nextFloat()) * meanGapMs));
  let u = r.nextFloat() * total;
  let kind: IntentKind = 'contribution';
  for (const [k, key] of kinds) {
    if (rates[key] <= 0) continue;
    kind = k;
    if (u < rates[key]) break;
    u -= rates[key];
  }
  return { sequence, atMs: afterMs + gapMs, kind, pick: r.nextU32() };
}
