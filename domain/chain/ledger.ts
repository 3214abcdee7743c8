/**
 * The ledger record (issue 7): the `chain` stream holds one `BlockSealed` record per block, at
 * stream version = block number, its data the SCALE `Block`. Every record carries its
 * `schemaVersion`; reading goes through an upcaster table so that ledgers written by older code
 * still replay after the format changes: a v2 adds `1: v1ToV2` (bytes of v1 → bytes of v2) and
 * moves `identity` to key 2.
 */
import type { EventData, RecordedEvent } from '../ports/eventStore';
import { type Block, BlockScale } from './block';

/** The ledger's stream. */
export const CHAIN_STREAM = 'chain';
/** The record type of a sealed block. */
export const BLOCK_SEALED = 'BlockSealed';
/** The block record format this code writes. */
export const BLOCK_SCHEMA_VERSION = 1;

/** A ledger record that cannot be turned into a block; it names the block (stream version). */
export class LedgerDecodeError extends Error {
  constructor(
    readonly block: number,
    readonly detail: string,
  ) {
    super(`block ${block}: ${detail}`);
    this.name = 'LedgerDecodeError';
  }
}

type Upcaster = (data: Uint8Array) => Uint8Array;
const identity: Upcaster = (data) => data;
/**
 * `schemaVersion → upcaster` of that version's bytes to the next version's, up to
 * `BLOCK_SCHEMA_VERSION` whose entry is the identity.
 */
const UPCASTERS: Readonly<Record<number, Upcaster>> = { 1: identity };

/** Brings a record's data to the current schema. */
function upcast(version: number, data: Uint8Array, block: number): Uint8Array {
  let bytes = data;
  for (let v = version; v < BLOCK_SCHEMA_VERSION; v++) {
    const up = UPCASTERS[v];
    if (up === undefined) throw new LedgerDecodeError(block, `no upcaster from schema version ${v}`);
    bytes = up(bytes);
  }
  return UPCASTERS[BLOCK_SCHEMA_VERSION]!(bytes);
}

/** The record that seals `block` in the ledger. */
export function blockRecord(block: Block): EventData {
  return { type: BLOCK_SEALED, schemaVersion: BLOCK_SCHEMA_VERSION, data: BlockScale.encode(block) };
}

/** Decodes a `chain` record (upcasting old schemas); throws `LedgerDecodeError` naming the block. */
export function decodeBlockRecord(record: RecordedEvent): Block {
  const n = record.version;
  if (record.type !== BLOCK_SEALED) throw new LedgerDecodeError(n, `record type ${record.type} is not ${BLOCK_SEALED}`);
  if (!Number.isInteger(record.schemaVersion) || record.schemaVersion < 1 || record.schemaVersion > BLOCK_SCHEMA_VERSION) {
    throw new LedgerDecodeError(n, `unknown schema version ${record.schemaVersion} (this code reads 1..${BLOCK_SCHEMA_VERSION})`);
  }
  let block: Block;
  try {
    block = BlockScale.decode(upcast(record.schemaVersion, record.data, n));
  } catch (e) {
    if (e instanceof LedgerDecodeError) throw e;
    throw new LedgerDecodeError(n, `undecodable block: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (block.header.number !== n) throw new LedgerDecodeError(n, `header says block ${block.header.number}, stored at version ${n}`);
  if ((n === 0) !== (block.genesis !== undefined)) throw new LedgerDecodeError(n, n === 0 ? 'block 0 carries no chain spec' : 'only block 0 may carry a chain spec');
  return block;
}
