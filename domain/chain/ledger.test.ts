/** The ledger record: encode/decode round trip, schema and type checks naming the block. */
import type { RecordedEvent } from '../ports/eventStore';
import { BLOCK_SCHEMA_VERSION, blockRecord, CHAIN_STREAM, decodeBlockRecord, LedgerDecodeError } from './ledger';
import { buildTestLedger } from './testing/ledgerForTests';

const { blocks } = buildTestLedger(2);
const recorded = (version: number, patch: Partial<RecordedEvent> = {}): RecordedEvent => ({ ...blockRecord(blocks[version]!), streamId: CHAIN_STREAM, version, globalPosition: BigInt(version + 1), ...patch });

test('a block round-trips through its record', () => {
  expect(recorded(1).schemaVersion).toBe(BLOCK_SCHEMA_VERSION);
  expect(decodeBlockRecord(recorded(1))).toEqual(blocks[1]);
  expect(decodeBlockRecord(recorded(0)).genesis).toBeDefined();
});

test.each([
  ['an unknown schema version', { schemaVersion: 99 }, /schema version 99/],
  ['a wrong type', { type: 'Other' }, /record type Other/],
  ['truncated bytes', { data: blockRecord(blocks[1]!).data.slice(0, 40) }, /undecodable/],
  ['a version that is not the block number', { version: 2 }, /header says block 1/],
])('%s is a decode error naming the block', (_, patch, message) => {
  const r = recorded(1, patch as Partial<RecordedEvent>);
  expect(() => decodeBlockRecord(r)).toThrow(message);
  expect(() => decodeBlockRecord(r)).toThrow(LedgerDecodeError);
});
