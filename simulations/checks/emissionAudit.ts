/**
 * The emission audit: the check that would have caught Phala issue #676 ("the actual payout is
 * only half of the theoretical payout": the gatekeepers kept stopped workers in Σshare, so every
 * worker got share/Σshare of the budget with a Σshare 1.9× too large, and half the budget was
 * never emitted — while every single payout looked plausible).
 *
 * What a gatekeeper pays (DOMAIN.md §6.5): for a heartbeat of worker w processed in gatekeeper
 * block b, `budget_w = share_w / Σshare_b · budget_per_block · Δ_w`, with Δ_w = b − the block its
 * accrual restarted (start, last paid settlement, recovery); `payout = budget·(1−r)` and
 * `treasury = budget·r`, r = `treasury_ratio`, all U64F64. A per-block cap "emitted ≤ budget per
 * block" would be wrong: one payout legitimately covers Δ_w blocks. So, per applied report
 * (`^phala/mining/update`), for each settle entry with payout + treasury > 0:
 *
 * 1. **Treasury split, exact.** Some budget B' ∈ {payout+treasury, payout+treasury+1} (the two
 *    truncating products lose < 1 ulp each) gives `payout = B'·(1−r)` and `treasury = B'·r` bit
 *    for bit, with the tokenomic parameters in force at block b or b−1 (a parameter change reaches
 *    the gatekeepers within the block). Tolerance: none beyond that one ulp.
 * 2. **Budget cap.** f_w = budget_w / (budget_per_block · Δ_w) is the share fraction the gatekeeper
 *    used; Σ f_w over a report's entries must be ≤ 1 + `tolerance` (shares of responsive workers
 *    sum to Σshare; the slack covers a paid worker's share having grown with this heartbeat's P).
 * 3. **Split follows shares (the #676 check).** The chain's own estimate of each worker's share
 *    (`emissionShares.ts`) gives `expected_w = est_share_w / est_Σshare · budget_per_block · Δ_w`;
 *    Σ actual / Σ expected over the report must be within 1 ± `tolerance` (default 0.15: the
 *    estimate is within a few percent; #676 is a factor of ~0.53). Reports whose entries all have
 *    an unknown Δ_w (a worker the audit never saw start) are skipped.
 *
 * Cost: event-driven; one small record per worker and a running Σshare, no storage scan; per
 * block, work proportional to its events and settle entries.
 */
import { TokenomicParametersStore } from '../../domain/chain/pallets/computationState';
import type { SettleInfoRecord, WorkingInfoUpdateEvent } from '../../domain/codec/systemEvents.codec';
import type { TokenomicParameters } from '../../domain/economics';
import { FIXED_ONE, fixedMul } from '../../domain/fixed/u64f64';
import type { StorageReader } from '../../domain/runtime/storage';
import type { BlockFacts, Checker } from './api';
import { blockView } from './blockView';
import { ShareBook } from './emissionShares';
import { verdict } from './verdict';

/** Options of {@link emissionAudit}. */
export interface EmissionAuditOptions {
  /** relative tolerance of checks 2 and 3 (default 0.15) */
  readonly tolerance?: number;
}

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
const TWO64 = 2 ** 64;
const pha = (bits: bigint) => Number(bits) / TWO64;

/** Check 1: the entry is the exact treasury-ratio split of one budget. */
export function isExactSplit(entry: Pick<SettleInfoRecord, 'payout' | 'treasury'>, ratio: bigint): boolean {
  const sum = entry.payout + entry.treasury;
  for (const budget of [sum, sum + 1n]) {
    if (fixedMul(budget, FIXED_ONE - ratio) === entry.payout && fixedMul(budget, ratio) === entry.treasury) return true;
  }
  return false;
}

/** Tokenomic parameters by the block they took effect at (a short history; changes are rare). */
class ParamsHistory {
  private readonly list: { from: number; params: TokenomicParameters }[] = [];
  record(from: number, params: TokenomicParameters): void {
    this.list.push({ from, params });
    if (this.list.length > 8) this.list.shift();
  }
  /** the sets in force at `b` and at `b − 1` */
  around(b: number, state: StorageReader): TokenomicParameters[] {
    if (this.list.length === 0) {
      const stored = TokenomicParametersStore.get(state);
      return stored === undefined ? [] : [stored];
    }
    const at = (x: number) => [...this.list].reverse().find((e) => e.from <= x)?.params ?? this.list[0]!.params;
    return [...new Set([at(b), at(b - 1)])];
  }
}

/** The emission audit. */
export function emissionAudit(options: EmissionAuditOptions = {}): Checker {
  const name = 'emissionAudit';
  const tolerance = options.tolerance ?? 0.15;
  const v = verdict(name);
  const book = new ShareBook();
  const history = new ParamsHistory();

  const audit = (n: number, report: WorkingInfoUpdateEvent, state: StorageReader) => {
    const b = report.blockNumber;
    const candidates = history.around(b, state);
    let fractionSum = 0;
    let actual = 0;
    let expected = 0;
    let params = candidates[0];
    for (const e of report.settle) {
      if (e.payout + e.treasury === 0n) continue;
      const exact = candidates.find((p) => isExactSplit(e, p.treasuryRatio));
      if (exact === undefined) {
        v.fail(n, `report for block ${b}: worker ${hex(e.pubkey)} gets payout ${pha(e.payout)} and treasury ${pha(e.treasury)} PHA, not the treasury-ratio split of one budget`);
        continue;
      }
      params = exact;
      const w = book.worker(hex(e.pubkey));
      if (w?.accrualFrom === undefined || b <= w.accrualFrom || book.sumShare === 0) continue;
      const perBlock = pha(params.budgetPerBlock) * (b - w.accrualFrom);
      const paid = pha(e.payout + e.treasury);
      fractionSum += paid / perBlock;
      actual += paid;
      expected += (w.share / book.sumShare) * perBlock;
    }
    if (fractionSum > 1 + tolerance) {
      v.fail(n, `report for block ${b} pays ${fractionSum.toFixed(4)} × the per-block budget per accrued block (cap 1 + ${tolerance}): more than the budget`);
    }
    if (expected > 0 && Math.abs(actual / expected - 1) > tolerance) {
      v.fail(n, `report for block ${b} pays ${actual.toFixed(6)} PHA where the workers' shares give ${expected.toFixed(6)} PHA (ratio ${(actual / expected).toFixed(4)}, tolerance ±${tolerance}): payouts do not follow shares`);
    }
  };

  return {
    name,
    onBlock({ block, events, state }: BlockFacts) {
      const n = block.header.number;
      const { reports } = blockView(block);
      // the audit uses the shares as they stood before this block, the closest to the gatekeeper's snapshot
      for (const { report } of reports) audit(n, report, state);
      for (const e of events) {
        book.apply(n, e, state);
        if (e.tag === 'PhalaComputation' && e.value.tag === 'TokenomicParametersSet') history.record(n, (e.value.value as { params: TokenomicParameters }).params);
      }
      for (const { report } of reports) {
        for (const pk of report.recoveredToOnline) book.restartAccrual(hex(pk), report.blockNumber);
        for (const e of report.settle) if (e.payout > 0n) book.restartAccrual(hex(e.pubkey), report.blockNumber);
      }
    },
    finish: () => v.result(),
  };
}
