/**
 * A copy of a balance ledger kept from events alone (the PHA accounts, the W-PHA asset), so that
 * a checker can verify the chain's storage without scanning it every block: after each block only
 * the accounts the block's events touched are compared with storage (a handful per block), and
 * the whole ledger is summed only every N blocks and on the final block. A 20,000-worker run has
 * tens of thousands of accounts; summing them every block would cost more than the block.
 */

/** The event-fed copy of one ledger. */
export interface BalanceShadow {
  /** balance of `who` as the events say */
  get(who: string): bigint;
  /** sum of all balances */
  readonly total: bigint;
  credit(who: string, amount: bigint): void;
  /** the amount the account lacked (0 when it could pay); the shadow clamps at 0 like the pallets' evolve */
  debit(who: string, amount: bigint): bigint;
  /** the accounts changed since the last call, in first-touch order */
  drainTouched(): string[];
}

/** An empty ledger copy. */
export function balanceShadow(): BalanceShadow {
  const balances = new Map<string, bigint>();
  let touched = new Set<string>();
  let total = 0n;
  const set = (who: string, value: bigint) => {
    total += value - (balances.get(who) ?? 0n);
    if (value === 0n) balances.delete(who);
    else balances.set(who, value);
    touched.add(who);
  };
  return {
    get: (who) => balances.get(who) ?? 0n,
    get total() {
      return total;
    },
    credit(who, amount) {
      set(who, (balances.get(who) ?? 0n) + amount);
    },
    debit(who, amount) {
      const have = balances.get(who) ?? 0n;
      set(who, have >= amount ? have - amount : 0n);
      return have >= amount ? 0n : amount - have;
    },
    drainTouched() {
      const out = [...touched];
      touched = new Set();
      return out;
    },
  };
}

/** How often the full-storage verification runs, unless a checker is told otherwise. */
export const DEFAULT_FULL_SCAN_EVERY = 600;

/** True when `block` is due for a full-storage verification. */
export const fullScanDue = (block: number, final: boolean | undefined, every: number): boolean => final === true || block === 0 || block % every === 0;
