/**
 * "PHA issuance constant": the sum of every account's free PHA (`Balances.Account`) is fixed at
 * genesis. Rewards are not minted: they are paid out of the subsidy pool account (`phala/pp`),
 * funded at genesis, so after block 0 PHA only moves.
 *
 * How, cheaply (20,000 workers, 7,200 blocks): the balances are followed from the `Balances`
 * events (`Endowed` adds PHA, `Transfer` moves it) in a shadow ledger. Per block:
 * * an `Endowed` after genesis is a failure (PHA created; a faucet must transfer instead);
 * * a `Transfer` larger than the sender's balance is a failure (the pallet's fold clamps at 0,
 *   which would create PHA);
 * * each account the block's events touched must hold in storage what the events say.
 * Every `fullScanEvery` blocks, at block 0 and on the final block, all accounts are summed from
 * storage and compared with the genesis total: this catches a write that bypassed the events.
 */
import { Accounts } from '../../domain/chain/pallets/balances.pallet';
import type { StorageReader } from '../../domain/runtime/storage';
import type { RuntimeEvent } from '../../domain/runtime/types';
import type { BlockFacts, Checker } from './api';
import { balanceShadow, DEFAULT_FULL_SCAN_EVERY, fullScanDue } from './balanceShadow';
import { phaText, verdict } from './verdict';

/** Options of {@link phaIssuanceConstant}. */
export interface PhaIssuanceOptions {
  /** blocks between two full sums of `Balances.Account` (default 600) */
  readonly fullScanEvery?: number;
}

const free = (s: StorageReader, who: string): bigint => Accounts.get(s, who)?.free ?? 0n;

/** The PHA issuance checker. */
export function phaIssuanceConstant(options: PhaIssuanceOptions = {}): Checker {
  const name = 'phaIssuanceConstant';
  const every = options.fullScanEvery ?? DEFAULT_FULL_SCAN_EVERY;
  const v = verdict(name);
  const shadow = balanceShadow();
  let issuance: bigint | undefined;

  const apply = (block: number, e: RuntimeEvent) => {
    if (e.tag !== 'Balances') return;
    const ev = e.value as { tag: string; value: { account: string; freeBalance: bigint; from: string; to: string; amount: bigint } };
    if (ev.tag === 'Endowed') {
      if (block > 0) v.fail(block, `${phaText(ev.value.freeBalance)} endowed to ${ev.value.account} after genesis: PHA issuance grew`);
      shadow.credit(ev.value.account, ev.value.freeBalance);
    } else if (ev.tag === 'Transfer') {
      const lacking = shadow.debit(ev.value.from, ev.value.amount);
      if (lacking > 0n) v.fail(block, `transfer of ${phaText(ev.value.amount)} from ${ev.value.from} exceeds its balance by ${phaText(lacking)}: PHA created`);
      shadow.credit(ev.value.to, ev.value.amount);
    }
  };

  return {
    name,
    onBlock({ block, events, state, final }: BlockFacts) {
      const n = block.header.number;
      for (const e of events) apply(n, e);
      if (n === 0) issuance = shadow.total;
      for (const who of shadow.drainTouched()) {
        const stored = free(state, who);
        if (stored !== shadow.get(who)) v.fail(n, `account ${who} holds ${phaText(stored)} in storage but its events give ${phaText(shadow.get(who))}`);
      }
      if (issuance !== undefined && shadow.total !== issuance) v.fail(n, `PHA issuance is ${phaText(shadow.total)} by the events, genesis had ${phaText(issuance)}`);
      if (issuance !== undefined && fullScanDue(n, final, every)) {
        const total = Accounts.entries(state).reduce((sum, [, a]) => sum + a.free, 0n);
        if (total !== issuance) v.fail(n, `the accounts in storage hold ${phaText(total)}, genesis issued ${phaText(issuance)} (difference ${phaText(total - issuance)}; full scan)`);
      }
    },
    finish: () => v.result(),
  };
}
