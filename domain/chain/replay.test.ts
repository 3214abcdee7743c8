/** Replay of a ledger: clean, and every kind of tampering blamed on the block whose bytes changed. */
import type { RecordedEvent } from '../ports/eventStore';
import { type Block, blockHashHex } from './block';
import { blockRecord, CHAIN_STREAM } from './ledger';
import { replayLedger } from './replay';
import { buildTestLedger } from './testing/ledgerForTests';
import { createPhalaRuntime } from './phalaRuntime';

const { blocks } = buildTestLedger(8);
const runtime = createPhalaRuntime();
const clone = (b: Block): Block => structuredClone(b);
async function* records(list: readonly Block[], skip?: number): AsyncIterable<RecordedEvent> {
  for (const [version, b] of list.entries()) {
    if (version !== skip) yield { ...blockRecord(b), streamId: CHAIN_STREAM, version, globalPosition: BigInt(version + 1) };
  }
}
const tampered = (k: number, change: (b: Block) => void) => blocks.map((b, i) => (i === k ? (() => { const t = clone(b); change(t); return t; })() : b));
const verify = (list: readonly Block[], skip?: number) => replayLedger(records(list, skip), { runtime, stopAtFirst: true });

test('a clean ledger replays and verifies', async () => {
  const seen: number[] = [];
  const r = await replayLedger(records(blocks), { runtime, stopAtFirst: true, onBlock: (n) => seen.push(n) });
  expect(r).toMatchObject({ verified: true, mismatches: 0, blocks: 9, head: { number: 8, hash: blockHashHex(blocks[8]!.header) } });
  expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
});

test('--to-block stops after that block', async () => {
  const r = await replayLedger(records(blocks), { runtime, stopAtFirst: true, toBlock: 3 });
  expect(r).toMatchObject({ blocks: 4, head: { number: 3, hash: blockHashHex(blocks[3]!.header) }, verified: true });
});

test.each([
  ['an extrinsic byte', 5, (b: Block) => { b.extrinsics[0]![10]! ^= 1; }, 'extrinsicsRoot'],
  ['an event byte', 2, (b: Block) => { b.events[0]![0]! ^= 1; }, 'eventsRoot'],
  ['the recorded state root', 3, (b: Block) => { b.header.stateRoot[0]! ^= 1; }, 'stateRoot'],
  ['the parent hash', 6, (b: Block) => { b.header.parentHash[0]! ^= 1; }, 'parentHash'],
  ['the author (only the hash changes)', 4, (b: Block) => { b.header.author[0]! ^= 1; }, 'blockHash'],
  ['the genesis chain spec', 0, (b: Block) => { b.genesis![b.genesis!.length - 1]! ^= 1; }, 'extrinsicsRoot'],
  ['the parent hash of the head', 8, (b: Block) => { b.header.parentHash[0]! ^= 1; }, 'parentHash'],
])('a change in %s is blamed on that block', async (_, k, change, what) => {
  const r = await verify(tampered(k, change));
  expect(r.verified).toBe(false);
  expect(r.firstMismatch).toMatchObject({ block: k, what });
});

test('a missing block ends replay with a decode mismatch naming it', async () => {
  const r = await verify(blocks, 4);
  expect(r).toMatchObject({ verified: false, blocks: 4, firstMismatch: { block: 4, what: 'decode' } });
});

test('without stopAtFirst every bad block is counted and replay goes on to the head', async () => {
  const list = tampered(2, (b) => { b.events[0]![0]! ^= 1; });
  list[6] = clone(list[6]!);
  list[6].header.author[0]! ^= 1;
  const r = await replayLedger(records(list), { runtime, stopAtFirst: false });
  expect(r).toMatchObject({ verified: false, mismatches: 2, blocks: 9, firstMismatch: { block: 2 } });
});
