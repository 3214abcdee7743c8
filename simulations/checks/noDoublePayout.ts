/**
 * "No double payout", made concrete from how the chain pays (DOMAIN.md §5.6, §14 F1, F4):
 * a gatekeeper report (`WorkingInfoUpdateEvent` on `^phala/mining/update`, sender
 * `MessageOrigin::Gatekeeper`) carries `settle` entries `{pubkey, v, payout, treasury}`. Applying
 * it moves the treasury share `from_fixed(treasury)` from the subsidy pool to the treasury
 * (`try_handle_settle`, one transfer per applied entry, in entry order), then, in `OnReward`, each
 * entry of a pooled worker with a non-dust reward moves `from_fixed(payout)` from the subsidy pool
 * to the W-PHA account, which mints it to the pool and its owner (again in entry order). Late
 * (dropped) entries are still paid to pools — that is Phala's behaviour (F1), not a double payout.
 *
 * So a double payout is any of:
 * 1. a report applied twice: all gatekeepers sign the same report for a block and share one mq
 *    sender, so the reports applied on chain must be for strictly increasing gatekeeper blocks
 *    (a replayed or re-sequenced copy of an old report would pay its entries again);
 * 2. a worker listed twice in one report's `settle`;
 * 3. PHA leaving the subsidy pool outside the extrinsic that applied a report, or to an account
 *    other than the treasury and the W-PHA account;
 * 4. within a report, treasury transfers that are not a subsequence of the entries' treasury
 *    shares, or reward transfers that are not a subsequence of the entries' payouts (each entry
 *    pays at most once, exactly its amount).
 *
 * Cost: per block, only the report-carrying extrinsics and the subsidy pool's transfers; one
 * number (the last report's block) is kept between blocks.
 */
import { ComputationConfigValue } from '../../domain/chain/pallets/computationState';
import { fixedToBalance } from '../../domain/fixed/balance';
import { SUBSIDY_POOL_ACCOUNT, WPHA_ACCOUNT } from '../../domain/ids/accounts';
import type { WorkingInfoUpdateEvent } from '../../domain/codec/systemEvents.codec';
import type { BlockFacts, Checker } from './api';
import { type AppliedReport, blockView } from './blockView';
import { phaText, verdict } from './verdict';

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** `from_fixed`, or undefined where the pallet itself would have panicked (overflow). */
function balanceOf(bits: bigint): bigint | undefined {
  try {
    return fixedToBalance(bits);
  } catch {
    return undefined;
  }
}

/** Matches transfers against entry amounts in order; each entry at most once. */
class InOrder {
  private next = 0;
  constructor(private readonly amounts: readonly (bigint | undefined)[]) {}
  take(amount: bigint): boolean {
    while (this.next < this.amounts.length) if (this.amounts[this.next++] === amount) return true;
    return false;
  }
}

function duplicateWorker(report: WorkingInfoUpdateEvent): string | undefined {
  const seen = new Set<string>();
  for (const e of report.settle) {
    const k = hex(e.pubkey);
    if (seen.has(k)) return k;
    seen.add(k);
  }
  return undefined;
}

/** The double-payout checker. */
export function noDoublePayout(): Checker {
  const name = 'noDoublePayout';
  const v = verdict(name);
  let lastReportBlock = -1;

  const checkReports = (n: number, reports: readonly AppliedReport[]) => {
    for (const { report, sequence } of reports) {
      if (report.blockNumber <= lastReportBlock) {
        v.fail(n, `gatekeeper report for block ${report.blockNumber} (mq sequence ${sequence}) applied after the report for block ${lastReportBlock}: a report applied twice pays its ${report.settle.length} settlement(s) twice`);
      }
      lastReportBlock = Math.max(lastReportBlock, report.blockNumber);
      const dup = duplicateWorker(report);
      if (dup !== undefined) v.fail(n, `gatekeeper report for block ${report.blockNumber} settles worker ${dup} twice`);
    }
  };

  return {
    name,
    onBlock({ block, state }: BlockFacts) {
      const n = block.header.number;
      const view = blockView(block);
      checkReports(n, view.reports);
      const byExtrinsic = new Map(view.reports.map((r) => [r.extrinsic, { r, treasury: new InOrder(r.report.settle.map((e) => balanceOf(e.treasury))), reward: new InOrder(r.report.settle.map((e) => balanceOf(e.payout))) }]));
      const treasuryAccount = ComputationConfigValue.get(state).treasuryAccount;
      for (const { phase, event } of view.records) {
        if (event.tag !== 'Balances' || event.value.tag !== 'Transfer') continue;
        const t = event.value.value as { from: string; to: string; amount: bigint };
        if (t.from !== SUBSIDY_POOL_ACCOUNT) continue;
        const m = phase.tag === 'ApplyExtrinsic' ? byExtrinsic.get(phase.value) : undefined;
        if (m === undefined) {
          v.fail(n, `${phaText(t.amount)} left the subsidy pool for ${t.to} outside any gatekeeper report (${phase.tag}${phase.tag === 'ApplyExtrinsic' ? ` ${phase.value}` : ''})`);
        } else if (t.to === WPHA_ACCOUNT) {
          if (!m.reward.take(t.amount)) v.fail(n, `reward of ${phaText(t.amount)} paid by the report for block ${m.r.report.blockNumber} matches no unpaid settle entry of that report`);
        } else if (t.to === treasuryAccount) {
          if (!m.treasury.take(t.amount)) v.fail(n, `treasury share of ${phaText(t.amount)} paid by the report for block ${m.r.report.blockNumber} matches no unpaid settle entry of that report`);
        } else {
          v.fail(n, `${phaText(t.amount)} left the subsidy pool for ${t.to}, neither the treasury nor the W-PHA account`);
        }
      }
    },
    finish: () => v.result(),
  };
}
