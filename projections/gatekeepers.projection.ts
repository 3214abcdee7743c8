/**
 * Gatekeepers and master-key epochs: one row per gatekeeper (when it joined and left), and one
 * row per master-key epoch — the first key (`GatekeeperMasterPubkeySet`, epoch 0) and each
 * rotation (`MasterKeyRotationStarted` opens it, `MasterKeyRotated` installs its key and closes
 * the previous epoch, `MasterKeyRotationFailed` marks it failed). Snapshotted every 256 blocks.
 */
import * as t from 'io-ts';
import { REGISTRY } from '../domain/chain/pallets/registryState';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import { str } from './eventFields';
import type { Projection } from './projection';
import { nullable, readRow, scanMatching } from './rows';
import { type ProjectionReader, type ProjectionWriter, padBlock } from './store';

const GATEKEEPERS = 'gatekeepers';
const EPOCHS = 'master_key_epochs';


/** A gatekeeper row. */
export const GatekeeperRow = t.type({ pubkey: t.string, active: t.boolean, addedAtBlock: t.number, removedAtBlock: nullable(t.number) });
/** A gatekeeper row. */
export type GatekeeperRow = t.TypeOf<typeof GatekeeperRow>;

/**
 * A master-key epoch. `requestedAtBlock`: the rotation was started (null for the first key);
 * `fromBlock`: its key was installed (null while rotating or failed); `toBlock`: the next key
 * replaced it.
 */
export const MasterKeyEpochRow = t.type({
  rotationId: t.number,
  masterPubkey: nullable(t.string),
  requestedAtBlock: nullable(t.number),
  fromBlock: nullable(t.number),
  toBlock: nullable(t.number),
  failed: t.boolean,
});
/** A master-key epoch. */
export type MasterKeyEpochRow = t.TypeOf<typeof MasterKeyEpochRow>;

const epochKey = (rotationId: number) => padBlock(rotationId);
const emptyEpoch = (rotationId: number): MasterKeyEpochRow => ({ rotationId, masterPubkey: null, requestedAtBlock: null, fromBlock: null, toBlock: null, failed: false });

async function updateEpoch(tx: ProjectionWriter, rotationId: number, change: (r: MasterKeyEpochRow) => MasterKeyEpochRow): Promise<void> {
  const row = (await readRow(tx, MasterKeyEpochRow, EPOCHS, epochKey(rotationId))) ?? emptyEpoch(rotationId);
  await tx.put(EPOCHS, epochKey(rotationId), change(row));
}

/** Closes the epoch whose key is installed and still current (the one a rotation replaces). */
async function closeCurrent(tx: ProjectionWriter, at: number): Promise<void> {
  const [current] = await scanMatching(tx, { table: EPOCHS, codec: MasterKeyEpochRow, reverse: true, limit: 1, keep: (r) => r.fromBlock !== null && r.toBlock === null });
  if (current !== undefined) await tx.put(EPOCHS, current.key, { ...current.row, toBlock: at });
}

async function applyRegistry(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  const at = block.number;
  switch (e.name) {
    case 'GatekeeperAdded': {
      const pubkey = str(e, 'pubkey');
      const old = await readRow(tx, GatekeeperRow, GATEKEEPERS, pubkey);
      if (old?.active !== true) await tx.put(GATEKEEPERS, pubkey, { pubkey, active: true, addedAtBlock: at, removedAtBlock: null });
      return;
    }
    case 'GatekeeperRemoved': {
      const old = await readRow(tx, GatekeeperRow, GATEKEEPERS, str(e, 'pubkey'));
      if (old !== undefined) await tx.put(GATEKEEPERS, old.pubkey, { ...old, active: false, removedAtBlock: at });
      return;
    }
    case 'GatekeeperMasterPubkeySet':
      return updateEpoch(tx, 0, (r) => ({ ...r, masterPubkey: str(e, 'masterPubkey'), fromBlock: at }));
    case 'MasterKeyRotationStarted':
      return updateEpoch(tx, Number(str(e, 'rotationId')), (r) => ({ ...r, requestedAtBlock: at }));
    case 'MasterKeyRotated':
      await closeCurrent(tx, at);
      return updateEpoch(tx, Number(str(e, 'rotationId')), (r) => ({ ...r, masterPubkey: str(e, 'masterPubkey'), fromBlock: at, failed: false }));
    case 'MasterKeyRotationFailed': {
      const lock = e.fields.rotationLock;
      if (typeof lock === 'string') await updateEpoch(tx, Number(lock), (r) => ({ ...r, failed: true }));
      return;
    }
    default:
      return;
  }
}

/** The `gatekeepers` projection. */
export const gatekeepersProjection: Projection = {
  name: 'gatekeepers',
  version: 1,
  tables: [GATEKEEPERS, EPOCHS],
  snapshotEveryBlocks: 256,
  async apply(block, tx) {
    for (const e of block.events) if (e.pallet === REGISTRY) await applyRegistry(e, block, tx);
  },
};

/** A gatekeeper with the master-key epochs that overlap its membership. */
export type GatekeeperView = GatekeeperRow & { readonly masterKeyEpochs: readonly MasterKeyEpochRow[] };

const overlaps = (g: GatekeeperRow, e: MasterKeyEpochRow) =>
  (e.toBlock === null || e.toBlock > g.addedAtBlock) && (g.removedAtBlock === null || (e.fromBlock ?? e.requestedAtBlock ?? 0) <= g.removedAtBlock);

/** Gatekeepers in pubkey order (each with its epochs), a page at a time; `active` filters. */
export async function queryGatekeepers(reader: ProjectionReader, q: { active?: boolean; after?: string; limit?: number } = {}): Promise<GatekeeperView[]> {
  const keep = (r: GatekeeperRow) => q.active === undefined || r.active === q.active;
  const rows = await scanMatching(reader, { table: GATEKEEPERS, codec: GatekeeperRow, after: q.after, limit: q.limit, keep });
  const epochs = await queryMasterKeyEpochs(reader);
  return rows.map(({ row }) => ({ ...row, masterKeyEpochs: epochs.filter((e) => overlaps(row, e)) }));
}

/** Every master-key epoch, oldest first. */
export async function queryMasterKeyEpochs(reader: ProjectionReader): Promise<MasterKeyEpochRow[]> {
  return (await scanMatching(reader, { table: EPOCHS, codec: MasterKeyEpochRow, limit: 100_000 })).map((x) => x.row);
}
