/**
 * A small ledger for replay tests and the `test/fixtures/ledger-v1.db` fixture: the Phala runtime
 * from a compiled chain spec, then blocks of signed extrinsics — PHA transfers, W-PHA wraps, a
 * stake pool with contributions, and sudo calls. Test-only (testing/).
 */
import type { Runtime } from '../../runtime/runtime';
import type { RuntimeEvent } from '../../runtime/types';
import type { Block } from '../block';
import { compileChainSpec, type PhalaChainConfig } from '../chainConfig';
import { executeBlock, genesis } from '../executive';
import { createPhalaRuntime } from '../phalaRuntime';
import { type TestAccount, testAccount } from './chainForTests';

const PHA = 10n ** 12n;

/** The accounts of the test ledger. */
export const ledgerAccounts = { root: testAccount('root'), alice: testAccount('alice'), bob: testAccount('bob'), carol: testAccount('carol') };

/** The test ledger's chain configuration. */
export function ledgerConfig(): PhalaChainConfig {
  const { root, alice, bob, carol } = ledgerAccounts;
  return {
    chainName: 'phalanet-fixture',
    blockTimeMs: 12_000,
    genesisTimestampMs: 1_700_000_000_000n,
    rootAccount: root.id,
    endowments: [root, alice, bob, carol].map((a) => ({ who: a.id, amount: 1_000_000n * PHA })),
    subsidyPoolFunding: 10_000_000n * PHA,
    pruntimeAllowList: [new Uint8Array(32).fill(1)],
    benchmarkDuration: 8,
    heartbeatPaused: true,
    wphaMinBalance: PHA / 100n,
  };
}

const c = (pallet: string, tag: string, value: unknown): RuntimeEvent => ({ tag: pallet, value: { tag, value } });

/** The calls of block `n` (1-based), by signer. */
function callsOf(runtime: Runtime, n: number): [TestAccount, RuntimeEvent][] {
  const { root, alice, bob, carol } = ledgerAccounts;
  const amount = BigInt(n) * PHA;
  const calls: [TestAccount, RuntimeEvent][] = [[alice, c('Balances', 'transfer', { dest: bob.id, value: amount })]];
  if (n === 1) calls.push([carol, c('PhalaStakePoolv2', 'create', {})]);
  if (n % 3 === 0) calls.push([bob, c('PhalaWrappedBalances', 'wrap', { amount: 100n * PHA })]);
  if (n % 3 === 1 && n > 1) calls.push([bob, c('PhalaStakePoolv2', 'contribute', { pid: 0n, amount: 50n * PHA, asVault: undefined })]);
  if (n % 5 === 0) {
    const inner = c('Balances', 'forceEndow', { who: carol.id, amount: PHA, memo: `block ${n}` });
    calls.push([root, c('Sudo', 'sudo', { call: runtime.callCodec.enc(inner) })]);
  }
  return calls;
}

/** Builds genesis and `count` more blocks. */
export function buildTestLedger(count: number): { runtime: Runtime; blocks: Block[] } {
  const runtime = createPhalaRuntime();
  const g = genesis(runtime, compileChainSpec(ledgerConfig(), runtime));
  const blocks: Block[] = [g.block];
  const nonces = new Map<string, number>();
  for (let n = 1; n <= count; n++) {
    const extrinsics = callsOf(runtime, n).map(([who, call]) => {
      const nonce = nonces.get(who.id) ?? 0;
      nonces.set(who.id, nonce + 1);
      return who.sign(runtime, call, nonce, g.chain.genesisHash);
    });
    const timestampMs = 1_700_000_000_000 + n * 12_000;
    blocks.push(executeBlock(g.chain, { timestampMs, author: new Uint8Array(32).fill(n % 4), extrinsics }));
  }
  return { runtime, blocks };
}
