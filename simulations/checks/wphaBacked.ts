/**
 * "W-PHA backed": W-PHA supply + unmintable dust == PHA held by the W-PHA account (`wpha/`), and
 * the W-PHA balances add up to the supply (the formulas of `pools.property.test.ts`). Dust is the
 * PHA that reached `wpha/` as a reward but could not be minted (below the asset's minimum
 * balance, DOMAIN.md §14 F4.4).
 *
 * Cost: the backing equation is three storage reads, checked every block. The balances are
 * followed from the W-PHA events (`Issued`, `Burned`, `Transferred`) in a shadow ledger: each
 * block compares the touched accounts with storage and the shadow's total with `Supply`; the
 * full sum of `Balances` runs every `fullScanEvery` blocks, at block 0 and on the final block.
 */
import { Accounts } from '../../domain/chain/pallets/balances.pallet';
import { UnmintableDust, WRAPPED_BALANCES, WphaBalances, WphaSupply } from '../../domain/chain/pallets/wrappedBalances.pallet';
import { WPHA_ACCOUNT } from '../../domain/ids/accounts';
import type { RuntimeEvent } from '../../domain/runtime/types';
import type { BlockFacts, Checker } from './api';
import { balanceShadow, DEFAULT_FULL_SCAN_EVERY, fullScanDue } from './balanceShadow';
import { phaText, verdict } from './verdict';

/** Options of {@link wphaBacked}. */
export interface WphaBackedOptions {
  /** blocks between two full sums of the W-PHA balances (default 600) */
  readonly fullScanEvery?: number;
}

type WphaEvent = { tag: string; value: { owner: string; from: string; to: string; amount: bigint } };

/** The W-PHA backing checker. */
export function wphaBacked(options: WphaBackedOptions = {}): Checker {
  const name = 'wphaBacked';
  const every = options.fullScanEvery ?? DEFAULT_FULL_SCAN_EVERY;
  const v = verdict(name);
  const shadow = balanceShadow();

  const apply = (block: number, e: RuntimeEvent) => {
    if (e.tag !== WRAPPED_BALANCES) return;
    const { tag, value } = e.value as WphaEvent;
    if (tag === 'Issued') shadow.credit(value.owner, value.amount);
    else if (tag === 'Burned') {
      if (shadow.debit(value.owner, value.amount) > 0n) v.fail(block, `${phaText(value.amount)} W-PHA burned from ${value.owner}, which holds less (${phaText(shadow.get(value.owner))} left)`);
    } else if (tag === 'Transferred') {
      if (shadow.debit(value.from, value.amount) > 0n) v.fail(block, `${phaText(value.amount)} W-PHA moved from ${value.from}, which held less: W-PHA created`);
      shadow.credit(value.to, value.amount);
    }
  };

  return {
    name,
    onBlock({ block, events, state, final }: BlockFacts) {
      const n = block.header.number;
      for (const e of events) apply(n, e);
      const supply = WphaSupply.get(state);
      const dust = UnmintableDust.get(state);
      const held = Accounts.get(state, WPHA_ACCOUNT)?.free ?? 0n;
      if (supply + dust !== held) v.fail(n, `W-PHA supply ${phaText(supply)} + unmintable dust ${phaText(dust)} = ${phaText(supply + dust)}, but the W-PHA account holds ${phaText(held)}`);
      if (shadow.total !== supply) v.fail(n, `W-PHA supply in storage is ${phaText(supply)}, the W-PHA events give ${phaText(shadow.total)}`);
      for (const who of shadow.drainTouched()) {
        const stored = WphaBalances.get(state, who) ?? 0n;
        if (stored !== shadow.get(who)) v.fail(n, `${who} holds ${phaText(stored)} W-PHA in storage, its events give ${phaText(shadow.get(who))}`);
      }
      if (fullScanDue(n, final, every)) {
        const sum = WphaBalances.entries(state).reduce((t, [, b]) => t + b, 0n);
        if (sum !== supply) v.fail(n, `W-PHA balances add up to ${phaText(sum)}, the supply is ${phaText(supply)} (full scan)`);
      }
    },
    finish: () => v.result(),
  };
}
