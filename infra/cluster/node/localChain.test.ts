import { readFileSync } from 'node:fs';
import { isLeft } from 'fp-ts/Either';
import { blockHashHex } from '../../../domain/chain/block';
import { produceBlock } from '../../../domain/chain/executive';
import { blockRecord, CHAIN_STREAM } from '../../../domain/chain/ledger';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../../../simulations/scenario';
import { initCrypto } from '../../crypto/initCrypto';
import { memoryEventStore } from '../../store/memoryEventStore';
import { localChain } from './localChain';

const LIMITS = { maxExtrinsics: 100, maxBytes: 1 << 20 };

async function ledgerOf(blocks: number) {
  const decoded = loadScenario(readFileSync(builtInScenarioPath('quickstart'), 'utf8'), 'quickstart.yaml');
  if (isLeft(decoded)) throw new Error('quickstart does not decode');
  const g = scenarioGenesis(resolveScenario(decoded.right, { seed: 7n }));
  const store = memoryEventStore();
  await store.append(CHAIN_STREAM, [blockRecord(g.block)], 'no-stream');
  for (let n = 1; n <= blocks; n++) {
    const timestampMs = Number(g.chain.head.timestamp) + g.chain.spec.blockTimeMs;
    const { block } = produceBlock(g.chain, { timestampMs, author: new Uint8Array(32), pool: [], limits: LIMITS });
    await store.append(CHAIN_STREAM, [blockRecord(block)], n - 1);
  }
  return { g, store };
}

beforeAll(() => initCrypto());

describe('localChain', () => {
  it('follows the ledger block by block to the producer’s state, and rebuilds after a reset', async () => {
    const { g, store } = await ledgerOf(3);
    const local = localChain(store, createPhalaRuntime());
    expect(local.height).toBe(-1);
    expect(await local.catchUp()).toBe(4);
    expect(local.height).toBe(3);
    expect(blockHashHex(local.chain!.head)).toBe(blockHashHex(g.chain.head));
    expect(Buffer.from(local.chain!.tree.root()).equals(Buffer.from(g.chain.tree.root()))).toBe(true);
    expect(await local.catchUp()).toBe(0);
    local.reset();
    expect(local.chain).toBeUndefined();
    expect(await local.catchUp()).toBe(4);
    expect(blockHashHex(local.chain!.head)).toBe(blockHashHex(g.chain.head));
  }, 60_000);

  it('stops at a block its runtime does not reproduce, naming it, and drops the half-applied state', async () => {
    const { g, store } = await ledgerOf(1);
    const timestampMs = Number(g.chain.head.timestamp) + g.chain.spec.blockTimeMs;
    const { block } = produceBlock(g.chain, { timestampMs, author: new Uint8Array(32), pool: [], limits: LIMITS });
    const forged = { ...block, header: { ...block.header, stateRoot: new Uint8Array(32).fill(7) } };
    await store.append(CHAIN_STREAM, [blockRecord(forged)], 1);
    const local = localChain(store, createPhalaRuntime());
    await expect(local.catchUp()).rejects.toThrow(/^block 2: re-executed state root differs from the ledger's/);
    // the half-applied state is dropped, not kept as block 1's
    expect(local.height).toBe(-1);
    expect(local.chain).toBeUndefined();
  }, 60_000);
});
