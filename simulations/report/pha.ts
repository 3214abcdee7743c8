/**
 * PHA amounts as text, exact: a balance is a `bigint` of units (1 PHA = 10^12 units, Phala's
 * `UNIT`), and reports print it with all 12 decimals so that a CSV sums to the same units the
 * chain holds. No floating point is involved in either direction.
 */
import { PHA_UNITS } from '../../domain/index';

/** Decimals of one PHA (`10^12` units). */
export const PHA_DECIMALS = 12;

const PHA_TEXT = /^(-?)([0-9]+)(?:\.([0-9]{1,12}))?$/;

/** Units as PHA with exactly 12 decimals: `1_500_000_000_000n` → `"1.500000000000"`. */
export function formatPha(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const whole = abs / PHA_UNITS;
  const frac = (abs % PHA_UNITS).toString().padStart(PHA_DECIMALS, '0');
  return `${sign}${whole}.${frac}`;
}

/**
 * PHA decimal text (up to 12 decimals, optional minus) back to units, exact. Throws a
 * `SyntaxError` naming `what` on anything else (more decimals would silently lose units).
 */
export function parsePha(text: string, what = 'PHA amount'): bigint {
  const m = PHA_TEXT.exec(text);
  if (m === null) throw new SyntaxError(`${what}: ${JSON.stringify(text)} is not a PHA decimal (digits, at most 12 decimals)`);
  const frac = (m[3] ?? '').padEnd(PHA_DECIMALS, '0');
  const units = BigInt(m[2] ?? '0') * PHA_UNITS + BigInt(frac);
  return m[1] === '-' ? -units : units;
}

/** Units as a float number of PHA, for chart axes only (never for sums or reports). */
export function phaToChartNumber(units: bigint): number {
  // split so that the integer part keeps full float precision for large totals
  return Number(units / PHA_UNITS) + Number(units % PHA_UNITS) / 1e12;
}
