/** The ledger writer's fencing: a block lands only on top of its parent's version. */
import { buildTestLedger } from '../../domain/chain/testing/ledgerForTests';
import { WrongExpectedVersion } from '../../domain/ports/eventStoreErrors';
import { memoryEventStore } from '../store/memoryEventStore';
import { appendBlock, appendBlocks } from './ledgerWriter';

const { blocks } = buildTestLedger(3);

test('blocks land at version = number; a second block n (a fork) is refused', async () => {
  const store = memoryEventStore();
  await appendBlocks(store, blocks.slice(0, 3));
  expect(await store.streamVersion('chain')).toBe(2);
  await expect(appendBlock(store, blocks[2]!)).rejects.toBeInstanceOf(WrongExpectedVersion);
  await expect(appendBlock(store, blocks[0]!)).rejects.toBeInstanceOf(WrongExpectedVersion);
  await appendBlock(store, blocks[3]!);
  expect(await store.streamVersion('chain')).toBe(3);
});

test('a block cannot skip ahead of the head', async () => {
  const store = memoryEventStore();
  await appendBlock(store, blocks[0]!);
  await expect(appendBlock(store, blocks[2]!)).rejects.toBeInstanceOf(WrongExpectedVersion);
});
