/**
 * Phat contracts: one row per contract — its cluster and deployer, the block its instantiation
 * was requested, its public key once the cluster announced it, and the block it was reported
 * instantiated. A contract created inside a cluster (never requested on chain) gets its row at
 * `Instantiated`. Snapshotted every 256 blocks for time travel.
 */
import * as t from 'io-ts';
import { PHAT } from '../domain/chain/pallets/phat.state';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import { str } from './eventFields';
import type { Projection } from './projection';
import { nullable, readRow, scanMatching } from './rows';
import type { ProjectionReader, ProjectionWriter } from './store';

const CONTRACTS = 'contracts';

/** A contract row. */
export const ContractRow = t.type({
  contract: t.string,
  cluster: t.string,
  deployer: t.string,
  requestedAtBlock: nullable(t.number),
  pubkey: nullable(t.string),
  instantiatedAtBlock: nullable(t.number),
});
/** A contract row. */
export type ContractRow = t.TypeOf<typeof ContractRow>;

async function upsert(tx: ProjectionWriter, e: DecodedEvent, change: (c: ContractRow) => ContractRow): Promise<void> {
  const contract = str(e, 'contract');
  const old = await readRow(tx, ContractRow, CONTRACTS, contract);
  const base = old ?? { contract, cluster: str(e, 'cluster'), deployer: typeof e.fields.deployer === 'string' ? e.fields.deployer : '', requestedAtBlock: null, pubkey: null, instantiatedAtBlock: null };
  await tx.put(CONTRACTS, contract, change(base));
}

async function applyPhat(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  switch (e.name) {
    case 'Instantiating':
      return upsert(tx, e, (c) => ({ ...c, cluster: str(e, 'cluster'), deployer: str(e, 'deployer'), requestedAtBlock: block.number }));
    case 'ContractPubkeyAvailable':
      return upsert(tx, e, (c) => ({ ...c, pubkey: str(e, 'pubkey') }));
    case 'Instantiated':
      return upsert(tx, e, (c) => ({ ...c, instantiatedAtBlock: block.number }));
    default:
      return;
  }
}

/** The `contracts` projection. */
export const contractsProjection: Projection = {
  name: 'contracts',
  version: 1,
  tables: [CONTRACTS],
  snapshotEveryBlocks: 256,
  async apply(block, tx) {
    for (const e of block.events) if (e.pallet === PHAT) await applyPhat(e, block, tx);
  },
};

/** Contracts in id order, a page at a time, optionally of one cluster. */
export async function queryContracts(reader: ProjectionReader, q: { cluster?: string; after?: string; limit?: number } = {}): Promise<ContractRow[]> {
  const cluster = q.cluster?.toLowerCase();
  const keep = (c: ContractRow) => cluster === undefined || c.cluster === cluster;
  return (await scanMatching(reader, { table: CONTRACTS, codec: ContractRow, after: q.after, limit: q.limit, keep })).map((x) => x.row);
}

/** One contract, or undefined. */
export async function queryContract(reader: ProjectionReader, contract: string): Promise<ContractRow | undefined> {
  return readRow(reader, ContractRow, CONTRACTS, contract.toLowerCase());
}
