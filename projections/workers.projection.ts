/**
 * Workers: one row per worker pubkey — its registry record (operator, confidence level, initial
 * score, runtime version, attestation provider), its computing session and state, its stake pool
 * and stake, and the chain's side of the gatekeeper view: V at start (`vInit`), V after the last
 * settlement, `pBench` (the init P the gatekeeper takes as its benchmark), the latest on-chain
 * `pInstant`, the share `sqrt(v² + (2·p·conf)²)` computed the gatekeeper's way from those, and
 * totals and last blocks of payouts and slashes. A `network` row holds the total share of the
 * workers that count in the gatekeeper's sum (computing and responsive). Snapshotted every 256
 * blocks for time travel.
 *
 * Beside that chain-side view, each row's `gatekeeper` holds the full gatekeeper view Phala's
 * replay tool serves (`gkView.ts`): the economics engine re-derived from the ledger's messages —
 * V, V at start, V deductible, P bench, P instant, share, working/unresponsive, waiting heartbeats,
 * payout and slash totals — and the network row its `sum_share`. The engine changes every worker
 * every block, so it lives in the projection's memory (refolded from the ledger after a restart)
 * and is written into the rows at the end of each fold pass and before each snapshot: rows are
 * exact as of the checkpoint.
 */
import { REGISTRY } from '../domain/chain/pallets/registryState';
import { COMPUTATION } from '../domain/chain/pallets/computationState';
import { STAKE_POOL } from '../domain/chain/pallets/poolStorage';
import { share, zeroTokenomicInfo } from '../domain/economics';
import { fixedFromInt } from '../domain/fixed';
import { fixedToBalance } from '../domain/fixed/balance';
import type { DecodedBlock, DecodedEvent } from './decodedBlock';
import { createGkViewMemory, type GkViewMemory } from './gkView';
import { emptyWorker, type GatekeeperViewRow, NetworkRow, WorkerRow, type WorkerState } from './workerRows';

export * from './workerRows';
import { big, num, obj, str } from './eventFields';
import type { Projection } from './projection';
import { readRow, scanMatching } from './rows';
import type { ProjectionReader, ProjectionWriter } from './store';

const WORKERS = 'workers';
const SESSIONS = 'worker_sessions';
const NETWORK = 'workers_network';

/** Counts in the gatekeeper's `sum_share`: computing and responsive. */
const counts = (r: WorkerRow) => r.state === 'WorkerIdle';
const computing = (r: WorkerRow) => r.state === 'WorkerIdle' || r.state === 'WorkerUnresponsive';

/** The gatekeeper's share formula over the chain's V, P instant and confidence level. */
export function workerShareBits(r: Pick<WorkerRow, 'vBits' | 'pInstant' | 'confidenceLevel'>): bigint {
  return share({ ...zeroTokenomicInfo(), v: BigInt(r.vBits), pInstant: fixedFromInt(r.pInstant), confidenceLevel: r.confidenceLevel });
}

async function network(tx: ProjectionReader): Promise<NetworkRow> {
  return (await readRow(tx, NetworkRow, NETWORK, NETWORK)) ?? { totalShareBits: '0', workers: 0, computingWorkers: 0, gatekeeperTotalShareBits: '0', gatekeeperAtBlock: null };
}

/** Reads (or creates) a worker's row, applies `change`, recomputes its share and the network's totals. */
async function updateWorker(tx: ProjectionWriter, pubkey: string, block: number, change: (r: WorkerRow) => WorkerRow): Promise<void> {
  const old = await readRow(tx, WorkerRow, WORKERS, pubkey);
  const base = old ?? emptyWorker(pubkey, block);
  const changed = change(base);
  const next = { ...changed, updatedAtBlock: block, shareBits: workerShareBits(changed).toString() };
  await tx.put(WORKERS, pubkey, next);
  const n = await network(tx);
  const shareOf = (r: WorkerRow | undefined) => (r !== undefined && counts(r) ? BigInt(r.shareBits) : 0n);
  const one = (r: WorkerRow | undefined, f: (r: WorkerRow) => boolean) => (r !== undefined && f(r) ? 1 : 0);
  await tx.put(NETWORK, NETWORK, {
    ...n,
    totalShareBits: (BigInt(n.totalShareBits) - shareOf(old) + shareOf(next)).toString(),
    workers: n.workers + (old === undefined ? 1 : 0),
    computingWorkers: n.computingWorkers - one(old, computing) + one(next, computing),
  });
}

/** The worker bound to a session (sessions stay mapped after an unbind: late events still name it). */
async function workerOfSession(tx: ProjectionReader, session: string): Promise<string | undefined> {
  const raw = await tx.get(SESSIONS, session);
  return typeof raw === 'string' ? raw : undefined;
}

async function onSession(tx: ProjectionWriter, e: DecodedEvent, block: DecodedBlock, change: (r: WorkerRow) => WorkerRow): Promise<void> {
  const pubkey = await workerOfSession(tx, str(e, 'session'));
  if (pubkey !== undefined) await updateWorker(tx, pubkey, block.number, change);
}

async function applyRegistry(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  if (e.name === 'WorkerInfoStored') {
    const info = obj(e, 'info');
    const addedAt = e.fields.addedAt;
    await updateWorker(tx, String(info.pubkey), block.number, (r) => ({
      ...r,
      registeredAtBlock: r.registeredAtBlock ?? (typeof addedAt === 'number' ? addedAt : block.number),
      operator: typeof info.operator === 'string' ? info.operator : null,
      confidenceLevel: Number(info.confidenceLevel),
      initialScore: typeof info.initialScore === 'number' ? info.initialScore : null,
      runtimeVersion: Number(info.runtimeVersion),
      attestationProvider: typeof info.attestationProvider === 'string' ? info.attestationProvider : null,
    }));
  } else if (e.name === 'InitialScoreSet') {
    const pubkey = str(e, 'pubkey');
    // Phala emits it for unknown workers too: only a registered worker gets the score
    if ((await tx.get(WORKERS, pubkey)) !== undefined) await updateWorker(tx, pubkey, block.number, (r) => ({ ...r, initialScore: num(e, 'initScore') }));
  }
}

async function applyComputation(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  const at = block.number;
  switch (e.name) {
    case 'SessionBound':
      await tx.put(SESSIONS, str(e, 'session'), str(e, 'worker'));
      return updateWorker(tx, str(e, 'worker'), at, (r) => ({ ...r, session: str(e, 'session'), state: 'Ready', vBits: '0', vInitBits: '0', pInstant: 0, pBench: 0 }));
    case 'SessionUnbound':
      return updateWorker(tx, str(e, 'worker'), at, (r) => ({ ...r, session: null, state: 'Registered' }));
    case 'StakeRecorded':
      return onSession(tx, e, block, (r) => ({ ...r, stake: str(e, 'stake') }));
    case 'WorkerStarted':
      return onSession(tx, e, block, (r) => ({ ...r, state: 'WorkerIdle', startedAtBlock: at, vInitBits: str(e, 'initV'), vBits: str(e, 'initV'), vUpdatedAtBlock: at, pBench: num(e, 'initP'), pInstant: num(e, 'initP') }));
    case 'WorkerStopped':
      return onSession(tx, e, block, (r) => ({ ...r, state: 'WorkerCoolingDown' }));
    case 'WorkerReclaimed': {
      const slashed = big(e, 'slashed');
      return onSession(tx, e, block, (r) => ({
        ...r,
        state: r.session === null ? 'Registered' : 'Ready',
        stake: '0',
        slashTotal: (BigInt(r.slashTotal) + slashed).toString(),
        lastSlashBlock: slashed > 0n ? at : r.lastSlashBlock,
      }));
    }
    case 'WorkerEnterUnresponsive':
      return onSession(tx, e, block, (r) => ({ ...r, state: 'WorkerUnresponsive' }));
    case 'WorkerExitUnresponsive':
      return onSession(tx, e, block, (r) => ({ ...r, state: 'WorkerIdle' }));
    case 'SessionSettled':
    case 'SessionVUpdatedUnsettled': {
      const payout = e.name === 'SessionSettled' ? fixedToBalance(big(e, 'payoutBits')) : 0n;
      return onSession(tx, e, block, (r) => ({
        ...r,
        vBits: str(e, 'vBits'),
        vUpdatedAtBlock: at,
        payoutTotal: (BigInt(r.payoutTotal) + payout).toString(),
        payoutCount: r.payoutCount + (e.name === 'SessionSettled' ? 1 : 0),
        lastPayoutBlock: payout > 0n ? at : r.lastPayoutBlock,
      }));
    }
    case 'SessionBenchmarkRecorded':
      return onSession(tx, e, block, (r) => ({ ...r, pInstant: num(e, 'pInstant') }));
    default:
      return;
  }
}

async function applyStakePool(e: DecodedEvent, block: DecodedBlock, tx: ProjectionWriter): Promise<void> {
  if (e.name === 'PoolWorkerAdded') await updateWorker(tx, str(e, 'worker'), block.number, (r) => ({ ...r, pool: str(e, 'pid') }));
  else if (e.name === 'PoolWorkerRemoved') await updateWorker(tx, str(e, 'worker'), block.number, (r) => ({ ...r, pool: null }));
  else if (e.name === 'WorkingStarted') await updateWorker(tx, str(e, 'worker'), block.number, (r) => ({ ...r, stake: str(e, 'amount') }));
}

/** The flush: every worker the gatekeepers know gets its view; the network row their `sum_share`. */
async function writeGatekeeperViews(tx: ProjectionWriter, memory: GkViewMemory, pubkeys: readonly string[]): Promise<void> {
  const at = memory.at()?.number ?? 0;
  for (const pubkey of pubkeys) {
    const row = await readRow(tx, WorkerRow, WORKERS, pubkey);
    const v = memory.view(pubkey);
    if (row === undefined || v === undefined) continue;
    const s = (x: bigint) => x.toString();
    const gatekeeper: GatekeeperViewRow = {
      atBlock: at,
      vBits: s(v.vBits),
      vInitBits: s(v.vInitBits),
      vDeductibleBits: s(v.vDeductibleBits),
      pBenchBits: s(v.pBenchBits),
      pInstantBits: s(v.pInstantBits),
      shareBits: s(v.shareBits),
      working: v.working,
      unresponsive: v.unresponsive,
      waitingHeartbeats: [...v.waitingHeartbeats],
      payoutTotalBits: s(v.payoutTotalBits),
      payoutCount: v.payoutCount,
      lastPayoutBlock: v.lastPayoutBlock,
      slashTotalBits: s(v.slashTotalBits),
      slashCount: v.slashCount,
      lastSlashBlock: v.lastSlashBlock,
    };
    await tx.put(WORKERS, pubkey, { ...row, gatekeeper });
  }
  const n = await network(tx);
  await tx.put(NETWORK, NETWORK, { ...n, gatekeeperTotalShareBits: memory.totalShareBits().toString(), gatekeeperAtBlock: at });
}

/** The `workers` projection. */
export const workersProjection: Projection = {
  name: 'workers',
  version: 2,
  tables: [WORKERS, SESSIONS, NETWORK],
  snapshotEveryBlocks: 256,
  createMemory: () => createGkViewMemory(writeGatekeeperViews),
  restoreMemory: (state) => createGkViewMemory(writeGatekeeperViews, state),
  async apply(block, tx) {
    for (const e of block.events) {
      if (e.pallet === REGISTRY) await applyRegistry(e, block, tx);
      else if (e.pallet === COMPUTATION) await applyComputation(e, block, tx);
      else if (e.pallet === STAKE_POOL) await applyStakePool(e, block, tx);
    }
  },
};

/** Filters of `queryWorkers`. */
export interface WorkerQuery {
  readonly pool?: string | number;
  readonly state?: WorkerState;
  /** the last pubkey of the previous page */
  readonly after?: string;
  /** default 100 */
  readonly limit?: number;
}

/** Workers in pubkey order, a page at a time, filtered by pool and state. */
export async function queryWorkers(reader: ProjectionReader, q: WorkerQuery = {}): Promise<WorkerRow[]> {
  const pool = q.pool === undefined ? undefined : String(q.pool);
  const keep = (r: WorkerRow) => (pool === undefined || r.pool === pool) && (q.state === undefined || r.state === q.state);
  return (await scanMatching(reader, { table: WORKERS, codec: WorkerRow, after: q.after, limit: q.limit, keep })).map((x) => x.row);
}

/** One worker, or undefined if the chain never named it. */
export async function queryWorker(reader: ProjectionReader, pubkey: string): Promise<WorkerRow | undefined> {
  return readRow(reader, WorkerRow, WORKERS, pubkey.toLowerCase());
}

/** The network's totals (zeros before any worker). */
export async function queryWorkersNetwork(reader: ProjectionReader): Promise<NetworkRow> {
  return network(reader);
}

/** The worker a session account belongs to (the finance log and the pools use it). */
export async function queryWorkerOfSession(reader: ProjectionReader, session: string): Promise<string | undefined> {
  return workerOfSession(reader, session.toLowerCase());
}

