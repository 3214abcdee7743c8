/**
 * How `phalanet query` shows values in its text tables (never in `--json`, which keeps exact
 * units and U64F64 bits as decimal strings): balances as PHA with the reports' exact 12
 * decimals (`simulations/report/pha.ts`) and a unit, U64F64 values as decimals, commissions in
 * percent, times as ISO dates.
 */
import { fixedToDecimal } from '../../../domain/fixed';
import { formatPha } from '../../../simulations/report/pha';

/** Units (a decimal string) as `1.500000000000 PHA`; null stays empty. */
export const phaCell = (units: string | null): string => (units === null ? '' : `${formatPha(BigInt(units))} PHA`);

/** U64F64 bits (a decimal string) as a decimal with 4 places. */
export const fixedCell = (bits: string): string => fixedToDecimal(BigInt(bits), 4);

/** Parts per million as a percentage (`100000` → `10.00%`); null (no commission) stays empty. */
export const ppmCell = (ppm: number | null): string => (ppm === null ? '' : `${(ppm / 10_000).toFixed(2)}%`);

/** Milliseconds since the epoch as an ISO date. */
export const timeCell = (ms: number): string => new Date(ms).toISOString();
