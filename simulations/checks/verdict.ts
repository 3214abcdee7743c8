/**
 * A checker's memory of its first failure. Checkers keep running after a failure (the driver may
 * go on to the end of the run), but only the first failing block and its reason are reported:
 * later failures are usually consequences of the first.
 */
import type { CheckResult } from '../report/summary';

/** Records the first failure of one checker. */
export interface Verdict {
  /** true once a failure was recorded */
  readonly failed: boolean;
  /** records a failure at `block` unless one was recorded before */
  fail(block: number, detail: string): void;
  /** `{ name, passed }`, plus `block` and `detail` when it failed */
  result(): CheckResult;
}

/** A fresh verdict for the checker `name`. */
export function verdict(name: string): Verdict {
  let first: { block: number; detail: string } | undefined;
  return {
    get failed() {
      return first !== undefined;
    },
    fail(block, detail) {
      if (first === undefined) first = { block, detail };
    },
    result() {
      return first === undefined ? { name, passed: true } : { name, passed: false, block: first.block, detail: first.detail };
    },
  };
}

/** Balance units per PHA. */
const PHA = 10n ** 12n;

/** A PHA amount (bigint units) as exact decimal text, for failure details. */
export function phaText(units: bigint): string {
  const sign = units < 0n ? '-' : '';
  const abs = units < 0n ? -units : units;
  const frac = (abs % PHA).toString().padStart(12, '0').replace(/0+$/, '');
  return `${sign}${abs / PHA}${frac === '' ? '' : `.${frac}`} PHA`;
}
