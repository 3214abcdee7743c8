/**
 * Phat contract clusters: one row per cluster — owner, deploy permission, system contract, gas
 * price and deposits (units), its key once announced, its workers (those deployed and those whose
 * deployment failed), the contracts whose keys it announced, resources uploaded, and whether it
 * was destroyed. Snapshotted every 256 blocks for time travel.
 */
import * as t from 'io-ts';
import { PHAT } from '../domain/chain/pallets/phat.state';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import { obj, str } from './eventFields';
import type { Projection } from './projection';
import { nullable, readRow, scanMatching } from './rows';
import type { ProjectionReader, ProjectionWriter } from './store';

const CLUSTERS = 'clusters';

/** A cluster row. `permission` is `Public` or `OnlyOwner:<0x account>`. */
export const ClusterRow = t.type({
  cluster: t.string,
  owner: t.string,
  permission: t.string,
  systemContract: t.string,
  gasPrice: t.string,
  depositPerItem: t.string,
  depositPerByte: t.string,
  createdAtBlock: t.number,
  pubkey: nullable(t.string),
  workers: t.array(t.string),
  deployedWorkers: t.array(t.string),
  failedWorkers: t.array(t.string),
  contracts: t.array(t.string),
  resourcesUploaded: t.number,
  destroyedAtBlock: nullable(t.number),
});
/** A cluster row. */
export type ClusterRow = t.TypeOf<typeof ClusterRow>;

function permissionText(p: unknown): string {
  if (p !== null && typeof p === 'object' && 'tag' in p) {
    const { tag, value } = p as { tag: unknown; value: unknown };
    return typeof value === 'string' ? `${String(tag)}:${value}` : String(tag);
  }
  return String(p);
}

const added = (list: readonly string[], x: string) => (list.includes(x) ? [...list] : [...list, x]);

async function update(tx: ProjectionWriter, cluster: string, change: (c: ClusterRow) => ClusterRow): Promise<void> {
  const c = await readRow(tx, ClusterRow, CLUSTERS, cluster);
  if (c !== undefined) await tx.put(CLUSTERS, cluster, change(c));
}

async function applyPhat(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  if (typeof e.fields.cluster !== 'string') return;
  const cluster = str(e, 'cluster');
  switch (e.name) {
    case 'ClusterAdded': {
      const info = obj(e, 'info');
      const workers = Array.isArray(e.fields.workers) ? e.fields.workers.map(String) : [];
      const row: ClusterRow = {
        cluster,
        owner: String(info.owner),
        permission: permissionText(info.permission),
        systemContract: String(info.systemContract),
        gasPrice: String(info.gasPrice),
        depositPerItem: String(info.depositPerItem),
        depositPerByte: String(info.depositPerByte),
        createdAtBlock: block.number,
        pubkey: null,
        workers,
        deployedWorkers: [],
        failedWorkers: [],
        contracts: [],
        resourcesUploaded: 0,
        destroyedAtBlock: null,
      };
      return tx.put(CLUSTERS, cluster, row);
    }
    case 'ClusterPubkeyAvailable':
      return update(tx, cluster, (c) => ({ ...c, pubkey: str(e, 'pubkey') }));
    case 'ClusterDeployed':
      return update(tx, cluster, (c) => ({ ...c, pubkey: str(e, 'pubkey'), deployedWorkers: added(c.deployedWorkers, str(e, 'worker')) }));
    case 'ClusterDeploymentFailed':
      return update(tx, cluster, (c) => ({ ...c, failedWorkers: added(c.failedWorkers, str(e, 'worker')) }));
    case 'WorkerAddedToCluster':
      return update(tx, cluster, (c) => ({ ...c, workers: added(c.workers, str(e, 'worker')) }));
    case 'WorkerRemovedFromCluster':
      return update(tx, cluster, (c) => ({ ...c, workers: c.workers.filter((w) => w !== str(e, 'worker')) }));
    case 'ContractPubkeyAvailable':
      return update(tx, cluster, (c) => ({ ...c, contracts: added(c.contracts, str(e, 'contract')) }));
    case 'ResourceUploaded':
      return update(tx, cluster, (c) => ({ ...c, resourcesUploaded: c.resourcesUploaded + 1 }));
    case 'ClusterDestroyed':
      return update(tx, cluster, (c) => ({ ...c, destroyedAtBlock: block.number }));
    default:
      return;
  }
}

/** The `clusters` projection. */
export const clustersProjection: Projection = {
  name: 'clusters',
  version: 1,
  tables: [CLUSTERS],
  snapshotEveryBlocks: 256,
  async apply(block, tx) {
    for (const e of block.events) if (e.pallet === PHAT) await applyPhat(e, block, tx);
  },
};

/** Clusters in id order, a page at a time (`after` = the last id of the previous page). */
export async function queryClusters(reader: ProjectionReader, q: { after?: string; limit?: number } = {}): Promise<ClusterRow[]> {
  return (await scanMatching(reader, { table: CLUSTERS, codec: ClusterRow, after: q.after, limit: q.limit })).map((x) => x.row);
}

/** One cluster, or undefined. */
export async function queryCluster(reader: ProjectionReader, cluster: string): Promise<ClusterRow | undefined> {
  return readRow(reader, ClusterRow, CLUSTERS, cluster.toLowerCase());
}
