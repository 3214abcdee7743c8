/**
 * A generated ledger for projection tests: Balances + Sudo + W-PHA, executed by the executive
 * (`produceBlock`), every block appended to a memory EventStore as `BlockSealed`. Each block
 * carries a deterministic mix of transfers, wraps, unwraps and failing extrinsics.
 */
import { encodeBlock, genesis, produceBlock, type Chain } from '../../domain/chain/executive';
import { createSudoPallet } from '../../domain/chain/pallets/sudo.pallet';
import { balancesPallet } from '../../domain/chain/pallets/balances.pallet';
import { wrappedBalancesPallet } from '../../domain/chain/pallets/wrappedBalances.pallet';
import { testAccount, testSpec, type TestAccount } from '../../domain/chain/testing/chainForTests';
import type { EventStore } from '../../domain/ports/eventStore';
import { createRuntime, type Runtime } from '../../domain/runtime/runtime';
import type { RuntimeEvent } from '../../domain/runtime/types';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { BLOCK_SEALED } from '../decodedBlock';

/** Balances, Sudo and W-PHA. */
export function walletRuntime(): Runtime {
  const holder: { runtime?: Runtime } = {};
  const sudo = createSudoPallet((bytes) => holder.runtime!.callCodec.dec(bytes));
  holder.runtime = createRuntime([balancesPallet, sudo, wrappedBalancesPallet]);
  return holder.runtime;
}

/** A generated ledger and the chain that produced it. */
export interface TestLedger {
  readonly ledger: EventStore;
  readonly runtime: Runtime;
  readonly chain: Chain;
  readonly users: readonly TestAccount[];
}

const PHA = 10n ** 12n;
const call = (pallet: string, name: string, value: object): RuntimeEvent => ({ tag: pallet, value: { tag: name, value } });

function callFor(block: number, slot: number, users: readonly TestAccount[]): RuntimeEvent {
  const to = users[(block * 3 + slot + 1) % users.length]!;
  switch ((block + slot) % 5) {
    case 0:
    case 1:
      return call('Balances', 'transfer', { dest: to.id, value: BigInt(block * 1000 + slot) });
    case 2:
      return call('PhalaWrappedBalances', 'wrap', { amount: BigInt(block) * 10n ** 9n });
    case 3:
      return call('PhalaWrappedBalances', 'unwrap', { amount: 10n ** 9n });
    default:
      // more than anyone has: an ExtrinsicFailed that still uses the nonce
      return call('Balances', 'transfer', { dest: to.id, value: 10n ** 30n });
  }
}

/** Appends a block record at its number. */
export async function appendBlock(ledger: EventStore, block: ReturnType<typeof produceBlock>['block']): Promise<void> {
  const n = block.header.number;
  await ledger.append('chain', [{ type: BLOCK_SEALED, schemaVersion: 1, data: encodeBlock(block) }], n === 0 ? 'no-stream' : n - 1);
}

/** Builds a ledger of `blocks` blocks after genesis (block 0). */
export async function buildTestLedger(blocks: number): Promise<TestLedger> {
  const runtime = walletRuntime();
  const users = ['alice', 'bob', 'charlie', 'dave', 'eve'].map(testAccount);
  const root = testAccount('root');
  const { chain, block: b0 } = genesis(runtime, testSpec(runtime, root, users.map((u) => [u, 1_000_000n * PHA] as [TestAccount, bigint])));
  const ledger = memoryEventStore();
  await appendBlock(ledger, b0);
  const nonces = new Map<string, number>();
  const author = new Uint8Array(32).fill(7);
  for (let n = 1; n <= blocks; n++) {
    const pool: Uint8Array[] = [];
    const count = n % 4; // some blocks are empty
    for (let slot = 0; slot < count; slot++) {
      const who = users[(n + slot) % users.length]!;
      const nonce = nonces.get(who.id) ?? 0;
      nonces.set(who.id, nonce + 1);
      pool.push(who.sign(runtime, callFor(n, slot, users), nonce, chain.genesisHash));
    }
    const { block, rejected } = produceBlock(chain, { timestampMs: 1_700_000_000_000 + n * 12_000, author, pool, limits: { maxExtrinsics: 100, maxBytes: 1 << 20 } });
    if (rejected.length > 0) throw new Error(`block ${n}: rejected ${JSON.stringify(rejected)}`);
    await appendBlock(ledger, block);
  }
  return { ledger, runtime, chain, users };
}
