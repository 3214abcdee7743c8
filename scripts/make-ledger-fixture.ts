/**
 * Writes `test/fixtures/ledger-v1.db`: a small SQLite ledger in today's record format (block
 * schema v1), replayed by `test/cli/replay.e2e.test.ts` for good so that old ledgers keep
 * replaying when the format changes. Run once per format: `npx tsx scripts/make-ledger-fixture.ts`.
 * Never regenerate it for an existing version — add `ledger-v2.db` next to it instead.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { blockHashHex } from '../domain/chain/block';
import { buildTestLedger } from '../domain/chain/testing/ledgerForTests';
import { appendBlocks } from '../infra/ledger/ledgerWriter';
import { sqliteEventStore } from '../infra/store/sqliteEventStore';

async function main(): Promise<void> {
  const path = join(__dirname, '..', 'test', 'fixtures', 'ledger-v1.db');
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(path + suffix)) rmSync(path + suffix);
  const { blocks } = buildTestLedger(30);
  const store = sqliteEventStore(path);
  await appendBlocks(store, blocks);
  await store.close();
  const head = blocks.at(-1)!;
  process.stdout.write(`${path}: ${blocks.length} blocks, head #${head.header.number} ${blockHashHex(head.header)}\n`);
}

void main();
