import { Accounts } from '../domain/chain/pallets/balances.pallet';
import { WPHA_ACCOUNT } from '../domain/chain/pallets/poolAccounts';
import { WphaBalances } from '../domain/chain/pallets/wrappedBalances.pallet';
import { accountsProjection, queryAccount, queryAccounts } from './accounts.projection';
import type { DecodedBlock } from './decodedBlock';
import { buildTestLedger, type TestLedger } from './testing/ledgerForTests';
import { decodedBlocks, expectIdempotent, foldInto } from './testing/projectionSpec';

let t: TestLedger;
let blocks: DecodedBlock[];
beforeAll(async () => {
  t = await buildTestLedger(30);
  blocks = await decodedBlocks(t.ledger, t.runtime.eventCodec);
}, 60_000);

describe('accounts projection', () => {
  it('folds PHA, nonces (failed extrinsics included) and W-PHA to the runtime state', async () => {
    const store = await foldInto(accountsProjection, blocks);
    const failed = blocks.flatMap((b) => b.events).filter((e) => e.name === 'ExtrinsicFailed');
    expect(failed.length).toBeGreaterThan(0);
    for (const id of [...t.users.map((u) => u.id), WPHA_ACCOUNT]) {
      const state = Accounts.get(t.chain.storage, id)!;
      expect(await queryAccount(store, id)).toEqual({ account: id, free: state.free.toString(), nonce: state.nonce, wpha: (WphaBalances.get(t.chain.storage, id) ?? 0n).toString() });
    }
    expect(await queryAccount(store, `0x${'ab'.repeat(32)}`)).toEqual({ account: `0x${'ab'.repeat(32)}`, free: '0', nonce: 0, wpha: '0' });
  });

  it('lists accounts a page at a time in id order', async () => {
    const store = await foldInto(accountsProjection, blocks);
    const first = await queryAccounts(store, { limit: 3 });
    const rest = await queryAccounts(store, { after: first[2]!.account, limit: 100 });
    const ids = [...first, ...rest].map((r) => r.account);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toHaveLength(new Set([...t.users.map((u) => u.id), WPHA_ACCOUNT]).size);
  });

  it('is idempotent: the same block twice changes nothing', async () => {
    await expectIdempotent(accountsProjection, blocks);
  });
});
