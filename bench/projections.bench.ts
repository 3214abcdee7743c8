/**
 * Projection costs on a generated ledger (Balances + W-PHA, ~1.5 extrinsics per block): a full
 * rebuild of every read model on the memory and SQLite stores (blocks/s), catching up one block,
 * and time travel (`--at-block`) right after a snapshot versus just before the next one. The claim
 * under test: time travel costs the blocks since the snapshot, not the chain.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { projectionsPathFor, sqliteProjectionStore } from '../infra/projections/sqliteProjectionStore';
import { accountsProjection, allProjections, inMemoryProjectionStore, projectAll, projectionAt, type ProjectionStore } from '../projections';
import { buildTestLedger } from '../projections/testing/ledgerForTests';

const BLOCKS = 1_100;

async function main() {
  await cryptoWaitReady();
  let t0 = performance.now();
  const t = await buildTestLedger(BLOCKS);
  console.log(`ledger: ${BLOCKS + 1} blocks generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const options = (toBlock?: number) => ({ eventCodec: t.runtime.eventCodec, holder: 'bench', now: () => 0, toBlock });
  const stores: [string, () => ProjectionStore][] = [
    ['memory', () => inMemoryProjectionStore()],
    ['sqlite', () => sqliteProjectionStore(projectionsPathFor(join(mkdtempSync(join(tmpdir(), 'phalanet-bench-')), 'ledger.db')))],
  ];
  for (const [name, open] of stores) {
    const store = open();
    t0 = performance.now();
    await projectAll(t.ledger, allProjections, store, options(BLOCKS - 1));
    const ms = performance.now() - t0;
    console.log(`${name}: rebuild of ${allProjections.length} projections over ${BLOCKS} blocks: ${ms.toFixed(0)} ms (${((BLOCKS / ms) * 1000).toFixed(0)} blocks/s)`);
    t0 = performance.now();
    await projectAll(t.ledger, allProjections, store, options());
    console.log(`${name}: catching up 1 block: ${(performance.now() - t0).toFixed(1)} ms`);
    for (const at of [1025, 1279 - 256, 1100 - 1]) {
      t0 = performance.now();
      const past = await projectionAt(t.ledger, t.runtime.eventCodec, accountsProjection, store, at);
      console.log(`${name}: accounts --at-block ${at}: ${(performance.now() - t0).toFixed(1)} ms (snapshot ${past.snapshotBlock}, ${past.foldedBlocks} blocks folded)`);
    }
    await store.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
