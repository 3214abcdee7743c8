import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accountsProjection, allProjections, inMemoryProjectionStore, projectAll, projectionAt, queryAccount, queryHead } from '../../projections';
import { buildTestLedger } from '../../projections/testing/ledgerForTests';
import { openEventStore, parseStoreUrl } from '../store';
import { openProjectionStore } from './index';

describe('the projections of a SQLite ledger', () => {
  it('live in the sibling file <ledger>.projections.db and answer from there, the ledger opened read-only', async () => {
    const t = await buildTestLedger(20);
    const path = join(mkdtempSync(join(tmpdir(), 'phalanet-open-')), 'ledger.db');
    const writer = await openEventStore(`sqlite:${path}`, { create: true });
    for await (const r of t.ledger.readStream('chain')) await writer.append('chain', [r], r.version === 0 ? 'no-stream' : r.version - 1);
    await writer.close();

    const ledger = await openEventStore(`sqlite:${path}`, { create: false });
    const url = parseStoreUrl(`sqlite:${path}`);
    if (typeof url === 'string') throw new Error(url);
    const store = await openProjectionStore(url);
    expect(store.url).toBe(`sqlite:${path}.projections.db`);
    await projectAll(ledger, allProjections, store, { eventCodec: t.runtime.eventCodec, holder: 'test', now: () => 0 });
    expect(existsSync(`${path}.projections.db`)).toBe(true);
    expect((await queryHead(store))?.number).toBe(20);
    const alice = t.users[0]!.id;
    const past = await projectionAt(ledger, t.runtime.eventCodec, accountsProjection, store, 10);
    const foldedTo10 = inMemoryProjectionStore();
    await projectAll(t.ledger, [accountsProjection], foldedTo10, { eventCodec: t.runtime.eventCodec, holder: 'test', now: () => 0, toBlock: 10 });
    expect(await queryAccount(past.reader, alice)).toEqual(await queryAccount(foldedTo10, alice));
    expect(await queryAccount(past.reader, alice)).not.toEqual(await queryAccount(store, alice));
    expect(past.foldedBlocks).toBe(10);
    await store.close();
    await ledger.close();
  }, 60_000);
});
