/**
 * The answers of `phalanet query` over the computing, staking and contract read models:
 * workers, worker, finance, gatekeepers, pools, pool, clusters, contracts, contract. Snapshotted
 * models travel in time with `--at-block`; the finance log takes it as an upper bound (payouts
 * settled after that block are left out). An id with no record is a `ProblemError` (exit 1).
 */
import {
  type ClusterRow,
  clustersProjection,
  type ContractRow,
  contractsProjection,
  type FinanceKind,
  type FinanceRow,
  type GatekeeperView,
  gatekeepersProjection,
  type PoolRow,
  poolsProjection,
  queryClusters,
  queryContract,
  queryContracts,
  queryFinance,
  queryGatekeepers,
  queryPool,
  queryPoolApr,
  queryPools,
  queryWorker,
  queryWorkers,
  queryWorkersNetwork,
  type WorkerRow,
  type WorkerState,
  workersProjection,
} from '../../../projections';
import { ProblemError } from '../errors';
import { type Answer, type AnswerContext, minOf, page, readerAt } from './queryAnswerKit';
import { fixedCell, phaCell, ppmCell, timeCell } from './queryDisplay';

/** The resources this module answers. */
export type ModelResource = 'workers' | 'worker' | 'finance' | 'gatekeepers' | 'pools' | 'pool' | 'clusters' | 'contracts' | 'contract';

const asOf = (c: AnswerContext) => `as of block ${c.at.number}`;

const workerCells = (r: WorkerRow) => ({
  pubkey: r.pubkey,
  state: r.state,
  pool: r.pool ?? '',
  stake: phaCell(r.stake),
  v: fixedCell(r.vBits),
  vInit: fixedCell(r.vInitBits),
  pBench: r.pBench,
  pInstant: r.pInstant,
  share: fixedCell(r.shareBits),
  payoutTotal: phaCell(r.payoutTotal),
  slashTotal: phaCell(r.slashTotal),
  gkV: r.gatekeeper === null ? '' : fixedCell(r.gatekeeper.vBits),
  gkShare: r.gatekeeper === null ? '' : fixedCell(r.gatekeeper.shareBits),
});

/** The gatekeepers' view of a worker, flattened for the one-worker display (`gk.` before each field). */
function workerGatekeeperCells(r: WorkerRow): Record<string, string | number | boolean | null> {
  const g = r.gatekeeper;
  if (g === null) return { gatekeeper: 'not known to the gatekeepers' };
  return {
    'gk.atBlock': g.atBlock,
    'gk.v': fixedCell(g.vBits),
    'gk.vInit': fixedCell(g.vInitBits),
    'gk.vDeductible': fixedCell(g.vDeductibleBits),
    'gk.pBench': fixedCell(g.pBenchBits),
    'gk.pInstant': fixedCell(g.pInstantBits),
    'gk.share': fixedCell(g.shareBits),
    'gk.working': g.working,
    'gk.unresponsive': g.unresponsive,
    'gk.waitingHeartbeats': g.waitingHeartbeats.join(', '),
    'gk.payoutTotal': `${fixedCell(g.payoutTotalBits)} PHA`,
    'gk.payoutCount': g.payoutCount,
    'gk.lastPayoutBlock': g.lastPayoutBlock,
    'gk.slashTotal': fixedCell(g.slashTotalBits),
    'gk.slashCount': g.slashCount,
    'gk.lastSlashBlock': g.lastSlashBlock,
  };
}

async function workers(c: AnswerContext): Promise<Answer> {
  const { flags } = c;
  const rows = await queryWorkers(await readerAt(c, workersProjection), { pool: flags.pool, state: flags.state as WorkerState | undefined, after: flags.after, limit: flags.limit + 1 });
  return page(rows, flags.limit, (r) => r.pubkey, ['pubkey', 'state', 'pool', 'stake', 'v', 'pInstant', 'share', 'payoutTotal', 'slashTotal', 'gkV', 'gkShare'], workerCells);
}

async function worker(c: AnswerContext, id: string): Promise<Answer> {
  const reader = await readerAt(c, workersProjection);
  const row = await queryWorker(reader, id);
  if (row === undefined) throw new ProblemError(`query: worker ${id} has no record ${asOf(c)}`);
  const network = await queryWorkersNetwork(reader);
  const item = { ...row, networkTotalShareBits: network.totalShareBits, networkGatekeeperTotalShareBits: network.gatekeeperTotalShareBits };
  const { gatekeeper: _, ...chainSide } = row;
  const display = () => ({
    ...chainSide,
    ...workerCells(row),
    networkTotalShare: fixedCell(network.totalShareBits),
    ...workerGatekeeperCells(row),
    'gk.networkTotalShare': fixedCell(network.gatekeeperTotalShareBits),
  });
  return { kind: 'item', item, display };
}

const financeCells = (r: FinanceRow) => ({
  id: r.id,
  time: timeCell(r.timestampMs),
  kind: r.kind,
  v: fixedCell(r.vBits),
  pInstant: r.pInstant,
  payout: phaCell(r.payout),
  settledAtBlock: r.settledAtBlock ?? '',
  slashed: phaCell(r.slashed),
});

async function finance(c: AnswerContext, id: string): Promise<Answer> {
  const { flags } = c;
  if ((await queryWorker(c.store, id)) === undefined) throw new ProblemError(`query: worker ${id} has no record ${asOf(c)}`);
  const at = c.at.number;
  const rows = await queryFinance(c.store, id, { fromBlock: flags.fromBlock, toBlock: minOf(flags.toBlock, at), kind: flags.kind as FinanceKind | undefined, after: flags.after, limit: flags.limit + 1 });
  // a payout settled after the block asked for was not known then
  const asOfAt = rows.map((r) => (r.settledAtBlock !== null && r.settledAtBlock > at ? { ...r, payout: null, settledAtBlock: null } : r));
  return page(asOfAt, flags.limit, (r) => r.id, ['id', 'time', 'kind', 'v', 'pInstant', 'payout', 'settledAtBlock', 'slashed'], financeCells);
}

const gatekeeperCells = (g: GatekeeperView) => ({
  ...g,
  removedAtBlock: g.removedAtBlock ?? '',
  masterKeyEpochs: g.masterKeyEpochs.map((e) => `${e.rotationId}${e.failed ? ' (failed)' : ''}`).join(', '),
});

async function gatekeepers(c: AnswerContext): Promise<Answer> {
  const rows = await queryGatekeepers(await readerAt(c, gatekeepersProjection), { after: c.flags.after, limit: c.flags.limit + 1 });
  return page(rows, c.flags.limit, (r) => r.pubkey, ['pubkey', 'active', 'addedAtBlock', 'removedAtBlock', 'masterKeyEpochs'], gatekeeperCells);
}

const poolCells = (p: PoolRow) => ({
  pid: p.pid,
  kind: p.kind,
  owner: p.owner,
  commission: ppmCell(p.commissionPpm),
  cap: phaCell(p.cap),
  workers: p.workers.length,
  totalValue: phaCell(p.totalValue),
  free: phaCell(p.free),
  locked: phaCell(p.locked),
  releasing: phaCell(p.releasing),
  withdrawQueue: p.withdrawQueue.length,
  rewardsToStakers: phaCell(p.rewardsToStakers),
});

async function pools(c: AnswerContext): Promise<Answer> {
  const { flags } = c;
  const kind = flags.kind as PoolRow['kind'] | undefined;
  const rows = await queryPools(await readerAt(c, poolsProjection), { owner: flags.owner, kind, after: flags.after === undefined ? undefined : Number(flags.after), limit: flags.limit + 1 });
  return page(rows, flags.limit, (r) => r.pid, ['pid', 'kind', 'owner', 'commission', 'workers', 'totalValue', 'free', 'releasing', 'withdrawQueue', 'rewardsToStakers'], poolCells);
}

const APR_POINTS = 100;

async function pool(c: AnswerContext, pid: number): Promise<Answer> {
  const reader = await readerAt(c, poolsProjection);
  const row = await queryPool(reader, pid);
  if (row === undefined) throw new ProblemError(`query: pool ${pid} has no record ${asOf(c)}`);
  const aprSeries = await queryPoolApr(reader, pid, { toBlock: c.at.number, last: true, limit: APR_POINTS });
  const display = () => ({
    ...row,
    ...poolCells(row),
    workers: row.workers.join(', '),
    coolingDown: row.coolingDown.join(', '),
    rewardsToOwner: phaCell(row.rewardsToOwner),
    aprPercent: aprSeries.length === 0 ? '' : `${aprSeries[aprSeries.length - 1]!.aprPercent}% (block ${aprSeries[aprSeries.length - 1]!.block})`,
  });
  return { kind: 'item', item: { ...row, aprSeries }, display };
}

const clusterCells = (r: ClusterRow) => ({ ...r, workers: r.workers.length, contracts: r.contracts.length, destroyedAtBlock: r.destroyedAtBlock ?? '' });

async function clusters(c: AnswerContext): Promise<Answer> {
  const rows = await queryClusters(await readerAt(c, clustersProjection), { after: c.flags.after, limit: c.flags.limit + 1 });
  return page(rows, c.flags.limit, (r) => r.cluster, ['cluster', 'owner', 'permission', 'createdAtBlock', 'workers', 'contracts', 'destroyedAtBlock'], clusterCells);
}

const contractCells = (r: ContractRow) => ({ ...r, pubkey: r.pubkey ?? '', instantiatedAtBlock: r.instantiatedAtBlock ?? '' });

async function contracts(c: AnswerContext): Promise<Answer> {
  const rows = await queryContracts(await readerAt(c, contractsProjection), { cluster: c.flags.cluster, after: c.flags.after, limit: c.flags.limit + 1 });
  return page(rows, c.flags.limit, (r) => r.contract, ['contract', 'cluster', 'deployer', 'instantiatedAtBlock'], contractCells);
}

async function contract(c: AnswerContext, id: string): Promise<Answer> {
  const row = await queryContract(await readerAt(c, contractsProjection), id);
  if (row === undefined) throw new ProblemError(`query: contract ${id} has no record ${asOf(c)}`);
  return { kind: 'item', item: row };
}

/** Answers one of the model resources (`id` decoded by the command: a 0x key, or a pid for `pool`). */
export async function answerModel(c: AnswerContext, resource: ModelResource, id: number | string | undefined): Promise<Answer> {
  switch (resource) {
    case 'workers':
      return workers(c);
    case 'worker':
      return worker(c, String(id));
    case 'finance':
      return finance(c, String(id));
    case 'gatekeepers':
      return gatekeepers(c);
    case 'pools':
      return pools(c);
    case 'pool':
      return pool(c, Number(id));
    case 'clusters':
      return clusters(c);
    case 'contracts':
      return contracts(c);
    case 'contract':
      return contract(c, String(id));
    default: {
      const never: never = resource;
      return never;
    }
  }
}
