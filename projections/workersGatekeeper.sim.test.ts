/**
 * The workers projection's gatekeeper view on a real simulated ledger (quickstart, 70 blocks: a
 * worker goes unresponsive at block 40): the view is the engine re-derived from the ledger,
 * catching up in steps with a restart in between equals a rebuild from zero, a block applied twice
 * changes nothing, and time travel gives the view as of a past block.
 */
import { createPhalaRuntime } from '../domain/chain/phalaRuntime';
import { createEconomics } from '../domain/economics';
import { createGkFollower } from '../domain/economics/gkFollower';
import type { TokenomicParameters } from '../domain/economics/tokenomicParameters';
import type { EventStore } from '../domain/ports/eventStore';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { runSimulation } from '../simulations/run/runSimulation';
import { quickstartScenario } from '../simulations/testing/tamperedReport';
import type { DecodedBlock } from './decodedBlock';
import { forgetMemory } from './memory';
import { resumeMemoryFromSnapshot } from './memorySnapshot';
import { inMemoryProjectionStore } from './memoryStore';
import { projectAll } from './runner';
import { projectionAt } from './timeTravel';
import { decodedBlocks, expectIdempotent } from './testing/projectionSpec';
import { dumpAll } from './testing/storeDump';
import { queryWorker, queryWorkers, queryWorkersNetwork, workersProjection } from './workers.projection';

const { eventCodec } = createPhalaRuntime();
const options = (toBlock?: number) => ({ eventCodec, holder: 'test', now: () => 0, ...(toBlock === undefined ? {} : { toBlock }) });
let ledger: EventStore;
let blocks: DecodedBlock[];

beforeAll(async () => {
  ledger = memoryEventStore();
  await runSimulation({ scenario: quickstartScenario(7n, 70), store: ledger });
  blocks = await decodedBlocks(ledger, eventCodec);
}, 120_000);

/** The engine folded over `blocks` by the test itself, independently of the projection's memory and flush. */
function engineAfter(list: readonly DecodedBlock[]) {
  const follower = createGkFollower(createEconomics);
  let params: TokenomicParameters | undefined;
  for (const b of list) {
    for (const e of b.events) if (e.name === 'TokenomicParametersSet') params = (e.event.value.value as { params: TokenomicParameters }).params;
    follower.processBlock({ number: b.number, timestampMs: b.timestampMs, messages: b.outbound }, () => params);
  }
  return follower.economics()!;
}

test('every worker the gatekeepers know carries their view, equal to the engine over the ledger', async () => {
  const store = inMemoryProjectionStore();
  await projectAll(ledger, [workersProjection], store, options());
  const engine = engineAfter(blocks);
  const rows = (await queryWorkers(store, { limit: 1000 })).filter((r) => r.gatekeeper !== null);
  expect(rows.length).toBeGreaterThanOrEqual(8);
  for (const r of rows) {
    const w = engine.worker(r.pubkey)!;
    expect(r.gatekeeper).toMatchObject({ atBlock: 70, vBits: w.v.toString(), vDeductibleBits: w.vDeductible.toString(), pBenchBits: w.pBench.toString(), pInstantBits: w.pInstant.toString() });
  }
  const paid = rows.filter((r) => r.gatekeeper!.payoutCount > 0);
  expect(paid.length).toBeGreaterThanOrEqual(4);
  for (const r of paid) expect(r.gatekeeper).toMatchObject({ working: true, vInitBits: r.vInitBits });
  expect(rows.filter((r) => r.gatekeeper!.slashCount > 0).length).toBeGreaterThanOrEqual(1);
  const network = await queryWorkersNetwork(store);
  const counted = rows.filter((r) => r.gatekeeper!.working && !r.gatekeeper!.unresponsive);
  expect(network.gatekeeperTotalShareBits).toBe(counted.reduce((s, r) => s + BigInt(r.gatekeeper!.shareBits), 0n).toString());
  expect(BigInt(network.gatekeeperTotalShareBits)).toBeGreaterThan(0n);
}, 60_000);

test('catching up in steps, with restarts in between, equals a rebuild from zero', async () => {
  const steps = inMemoryProjectionStore();
  for (const n of [5, 23, 41, 60]) {
    await projectAll(ledger, [workersProjection], steps, options(n));
    forgetMemory(workersProjection, steps); // a new process: the engine is refolded from the ledger
  }
  await projectAll(ledger, [workersProjection], steps, options());
  const once = inMemoryProjectionStore();
  await projectAll(ledger, [workersProjection], once, options());
  expect(await dumpAll(steps, [workersProjection])).toEqual(await dumpAll(once, [workersProjection]));
}, 60_000);

test('a block applied twice changes nothing', async () => {
  await expectIdempotent(workersProjection, blocks);
}, 60_000);

test('time travel gives the gatekeeper view as of a past block', async () => {
  const store = inMemoryProjectionStore();
  await projectAll(ledger, [workersProjection], store, options());
  const past = await projectionAt(ledger, eventCodec, workersProjection, store, 30);
  const engine = engineAfter(blocks.slice(0, 31));
  const rows = (await queryWorkers(past.reader, { limit: 1000 })).filter((r) => r.gatekeeper !== null);
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.gatekeeper).toMatchObject({ atBlock: 30, vBits: engine.worker(r.pubkey)!.v.toString() });
  const head = await queryWorker(store, rows[0]!.pubkey);
  expect(head!.gatekeeper!.atBlock).toBe(70);
}, 60_000);

test('time travel resumes the gatekeeper engine from the snapshot it stored: only the blocks since it are folded, none from block 0', async () => {
  // snapshots every 16 blocks here (256 in production) so that this 70-block ledger has several with a running engine
  const often = { ...workersProjection, snapshotEveryBlocks: 16 };
  const store = inMemoryProjectionStore();
  await projectAll(ledger, [often], store, options());
  const full = inMemoryProjectionStore();
  for (const n of [33, 48, 49, 63]) {
    const past = await projectionAt(ledger, eventCodec, often, store, n);
    expect([past.snapshotBlock, past.foldedBlocks, past.memoryRefolded]).toEqual([Math.floor(n / 16) * 16, n % 16, 0]);
    // the same as a fold of the ledger up to n from nothing
    await projectAll(ledger, [workersProjection], full, options(n));
    const engine = engineAfter(blocks.slice(0, n + 1));
    const rows = (await queryWorkers(past.reader, { limit: 1000 })).filter((r) => r.gatekeeper !== null);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.gatekeeper).toMatchObject({ atBlock: n, vBits: engine.worker(r.pubkey)!.v.toString() });
    expect(await queryWorkers(past.reader, { limit: 1000 })).toEqual(await queryWorkers(full, { limit: 1000 }));
    expect(await queryWorkersNetwork(past.reader)).toEqual(await queryWorkersNetwork(full));
  }
}, 120_000);

test('a restarted reader resumes the engine from the newest snapshot that stored it, then catches up as if never stopped', async () => {
  const often = { ...workersProjection, snapshotEveryBlocks: 16 };
  const store = inMemoryProjectionStore();
  await projectAll(ledger, [often], store, options(60));
  forgetMemory(often, store); // a new process: the engine is gone, the tables and snapshots stay
  expect(await resumeMemoryFromSnapshot(often, store, ledger, eventCodec, await store.checkpoint(often.name))).toBe(60 - 48);
  await projectAll(ledger, [often], store, options());
  const fresh = inMemoryProjectionStore();
  await projectAll(ledger, [workersProjection], fresh, options());
  expect(await queryWorkers(store, { limit: 1000 })).toEqual(await queryWorkers(fresh, { limit: 1000 }));
  expect(await queryWorkersNetwork(store)).toEqual(await queryWorkersNetwork(fresh));
}, 120_000);

test('the V a worker loses counts as slashed from the very block that reports it offline (the engine slashes there already)', async () => {
  const follower = createGkFollower(createEconomics);
  let params: TokenomicParameters | undefined;
  let offline: { pubkey: string; block: number } | undefined;
  for (const b of blocks) {
    for (const e of b.events) if (e.name === 'TokenomicParametersSet') params = (e.event.value.value as { params: TokenomicParameters }).params;
    const out = follower.processBlock({ number: b.number, timestampMs: b.timestampMs, messages: b.outbound }, () => params);
    const first = out.report?.offline[0];
    if (first !== undefined && offline === undefined) offline = { pubkey: first, block: b.number };
  }
  expect(offline).toBeDefined();
  const { pubkey, block } = offline!;
  const at = block + 2; // still unresponsive two blocks later
  const vBefore = engineAfter(blocks.slice(0, block)).worker(pubkey)!.v;
  const vAt = engineAfter(blocks.slice(0, at + 1)).worker(pubkey)!;
  expect(vAt.unresponsive).toBe(true);
  const store = inMemoryProjectionStore();
  await projectAll(ledger, [workersProjection], store, options(at));
  const row = await queryWorker(store, pubkey);
  expect(row!.gatekeeper).toMatchObject({ slashTotalBits: (vBefore - vAt.v).toString(), slashCount: 3, lastSlashBlock: at });
}, 120_000);
