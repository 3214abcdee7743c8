/**
 * A small ledger of the Phala runtime's events for the serve tests (route tests and the browser
 * test): transfers between three accounts, one settlement with a payout, pool rewards, a
 * dismissed reward. Blocks carry their real hash chain; roots are zero (no replay here).
 */
import { type Block, blockCodec, eventRecordCodec } from '../../../domain/chain/block';
import { acct, PHA, worker } from '../../../domain/chain/pallets/testing/poolTestKit';
import { createPhalaRuntime } from '../../../domain/chain/phalaRuntime';
import { type BlockHeader, blockHash } from '../../../domain/codec/blockHeader.codec';
import type { EventStore } from '../../../domain/ports/eventStore';
import type { EventRecord, Tagged } from '../../../domain/runtime/types';

const records = eventRecordCodec(createPhalaRuntime().eventCodec);
const ev = (pallet: string, tag: string, value: object): EventRecord => ({ phase: { tag: 'Finalization', value: undefined }, event: { tag: pallet, value: { tag, value } as Tagged } });
const ONE = 1n << 64n; // 1.0 in U64F64 bits

/** The accounts the sample ledger names. */
export const sampleAccounts = { alice: acct(1), bob: acct(2), charlie: acct(3), treasury: acct(9), stranger: acct(0x42) };
const { alice, bob, charlie, treasury } = sampleAccounts;

/** Block n of the sample ledger holds `sampleEvents[n]`. */
export const sampleEvents: readonly EventRecord[][] = [
  [ev('Balances', 'Endowed', { account: alice, freeBalance: 1000n * PHA }), ev('Balances', 'Endowed', { account: bob, freeBalance: 500n * PHA })],
  [ev('Balances', 'Transfer', { from: alice, to: bob, amount: 100n * PHA }), ev('Balances', 'ExtrinsicSuccess', { who: alice, nonce: 0 })],
  [
    ev('Balances', 'Transfer', { from: alice, to: treasury, amount: 500n }),
    ev('PhalaComputation', 'SessionSettled', { session: acct(5), vBits: ONE, payoutBits: 3n * ONE }),
    ev('PhalaStakePoolv2', 'RewardReceived', { pid: 4n, toOwner: PHA, toStakers: 2n * PHA }),
  ],
  [ev('Balances', 'Transfer', { from: bob, to: charlie, amount: 50n * PHA }), ev('Balances', 'ExtrinsicSuccess', { who: bob, nonce: 0 })],
  [ev('PhalaComputation', 'SessionSettled', { session: acct(5), vBits: ONE, payoutBits: 5n * ONE })],
  [ev('PhalaStakePoolv2', 'RewardDismissedNotInPool', { worker: worker(7), amount: 11n })],
  [ev('Balances', 'Transfer', { from: alice, to: charlie, amount: 10n * PHA }), ev('Balances', 'ExtrinsicSuccess', { who: alice, nonce: 1 })],
];

/** A block of `events` on top of `parent` (zero hash for genesis). */
export function sampleBlock(number: number, parent: Uint8Array, events: readonly EventRecord[]): { block: Block; hash: Uint8Array } {
  const zero = new Uint8Array(32);
  const header: BlockHeader = { number, parentHash: parent, timestamp: BigInt(1_700_000_000_000 + number * 12_000), extrinsicsRoot: zero, eventsRoot: zero, outboundRoot: zero, stateRoot: zero, author: zero };
  return { block: { header, genesis: undefined, extrinsics: [], events: events.map((e) => records.enc(e)), outbound: [] }, hash: blockHash(header) };
}

/** Appends blocks `from`.. of `events` (default: the sample) to the `chain` stream; returns the last hash. */
export async function appendSampleBlocks(ledger: EventStore, events: readonly (readonly EventRecord[])[] = sampleEvents, from = 0, parent: Uint8Array = new Uint8Array(32)): Promise<Uint8Array> {
  let hash = parent;
  for (const [i, list] of events.entries()) {
    const number = from + i;
    const b = sampleBlock(number, hash, list);
    hash = b.hash;
    await ledger.append('chain', [{ type: 'BlockSealed', schemaVersion: 1, data: blockCodec.enc(b.block) }], number === 0 ? 'no-stream' : number - 1);
  }
  return hash;
}

/** One more block with a transfer, for live-follow tests: appended after `head` with parent `parent`. */
export async function appendTransferBlock(ledger: EventStore, head: number, parent: Uint8Array): Promise<Uint8Array> {
  return appendSampleBlocks(ledger, [[ev('Balances', 'Transfer', { from: bob, to: alice, amount: PHA })]], head + 1, parent);
}
