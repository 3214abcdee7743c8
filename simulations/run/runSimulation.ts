/**
 * `runSimulation`: a resolved scenario from genesis to its last block, with its faults switched on
 * and off at their blocks, every block seen by the invariant checkers and the series, and the
 * summary's facts at the end (issue 6). See `simulation.ts` for one block's steps.
 *
 * The run's actors live in one actor system on the virtual clock (persisting to the run's store):
 * the block producer, whose slot timer drives every block (`producerActor.ts`), one actor per
 * gatekeeper host (`gatekeeperActors.ts`), per worker host (`workerFleet.ts`), per contract per
 * cluster worker and per client (`clusterActors.ts`). Between the producer's slots the scheduler
 * delivers the network's messages and fires the other actors' timers.
 */
import type { CheckResult } from '../report/summary';
import type { Checker } from '../checks/api';
import { createCheckers, leakScanner } from '../checks';
import { createActorSystem } from '../../actors/actorSystem';
import type { RunSimulation, RunSimulationOptions, SimulationResult } from './api';
import { createSessionTally, decodeEvents, seriesRowOf, treasuryBalance } from './observe';
import { createWorld, headOf, produceNext } from './simulation';
import { act, observePools, operatorOf, planActors, registerWorker } from './topologyActors';
import { createWorkerFleet } from './workerFleet';
import { applyFaults, attack, type Attackers, rememberForReplay, restartWorker } from './faults';
import { clusterTotalsLine, createClusterDriver } from './clusters';
import { hostGatekeepers } from './gatekeeperActors';
import { GENESIS_TIMESTAMP_MS } from './genesisConfig';
import { hostBlockProducer } from './producerActor';
import { virtualClock } from '../virtualClock';
import { tappedStore } from './leakTaps';

/** Runs a scenario to its end. */
export const runSimulation: RunSimulation = async (options: RunSimulationOptions): Promise<SimulationResult> => {
  const { scenario } = options;
  const world = await createWorld({ scenario, store: options.store, ...(options.onNote === undefined ? {} : { onNote: options.onNote }) });
  const clock = virtualClock(world.scheduler);
  const gatekeepersRef: { current: ReturnType<typeof hostGatekeepers> | undefined } = { current: undefined };
  // what the run logs, publishes on the bus and persists for its actors is scanned for secrets too
  const leakChunks: { where: string; bytes: Uint8Array | string }[] = [];
  const tap = (where: string, bytes: Uint8Array | string) => leakChunks.push({ where, bytes });
  world.leakTap = tap;
  const system = createActorSystem({ store: tappedStore(world.store, tap), clock, onRestarted: (s) => gatekeepersRef.current?.onRestarted(s.address) });
  const gatekeepers = hostGatekeepers(world, system, clock);
  gatekeepersRef.current = gatekeepers;
  world.gatekeeperActors = gatekeepers;
  const actors = planActors(world, world.env, world.random.fork('actors'), world.random.fork('genesis'));
  actors.fleet = createWorkerFleet(system, clock, scenario.chain.blockTimeMs, (w) => registerWorker(world, actors, w, operatorOf(actors, w), w.confidenceLevel));
  const clusters = createClusterDriver(world, system, clock);
  const clusterHostOf = (w: Parameters<NonNullable<typeof clusters>['hostOf']>[0]) => clusters?.hostOf(w);
  // the leak scanner watches every enclave object of the run: vendor, platforms, vaults
  const scanner = options.leakScanner ?? leakScanner();
  const watchAll = () => {
    scanner.watch(world.env.vendor);
    for (const w of world.workers) {
      scanner.watch(w.platform);
      scanner.watch(w.runtime.identity.vault);
    }
    for (const g of world.gatekeepers) {
      scanner.watch(g.platform);
      scanner.watch(g.worker.identity.vault);
    }
  };
  watchAll();
  const checkers: Checker[] = createCheckers({ leakScanner: scanner });
  const onNote = options.onNote;
  world.onNoteHook = (block, line) => {
    tap(`log:block ${block}`, line);
    onNote?.(block, line);
  };
  const attackers: Attackers = { seen: [] };
  const tally = createSessionTally(world.chain.storage);
  const genesisEvents = decodeEvents(world.chain.runtime, world.genesisBlock);
  gatekeepers.observeChain(0, genesisEvents);
  await gatekeepers.catchUp();
  for (const c of checkers) c.onBlock({ block: world.genesisBlock, events: genesisEvents, state: world.chain.storage });
  let events = genesisEvents.length;
  let payout = 0n;
  const treasuryAtGenesis = treasuryBalance(world.chain.storage);
  let treasuryBefore = treasuryAtGenesis;
  /** what the scenario's actors and faults do before block `world.block` */
  const prepare = async () => {
    for (const w of applyFaults(world, actors.fleet, clusterHostOf, (h, b) => clusters?.contractActors.onSealed(h, b))) await restartWorker(world, w, actors.fleet, clusterHostOf);
    await gatekeepers.catchUp();
    attack(world, attackers);
    act(world, actors);
    clusters?.act();
  };
  const produce = async ({ number: n, atMs }: { number: number; atMs: number }) => {
    // a producer restored while producing asks again for the block it had appended
    if (n === world.block - 1) return;
    if (n !== world.block) throw new Error(`the block producer asked for block ${n}, the driver is at ${world.block}`);
    const produced = await produceNext(world, atMs);
    const clusterFacts = await clusters?.afterBlock();
    await gatekeepers.catchUp();
    observePools(actors, produced.events);
    rememberForReplay(attackers, produced.relayed);
    actors.fleet?.observe(n, produced.events);
    for (const c of checkers) {
      c.onBlock({ block: produced.block, events: produced.events, state: world.chain.storage, final: n === scenario.durationBlocks });
      c.onDriverFacts?.({ block: n, gatekeeperDigests: produced.gatekeeperDigests, leakChunks, ...(clusterFacts === undefined ? {} : { clusterDigests: clusterFacts.digests }) });
    }
    leakChunks.length = 0;
    // keys change hands (master key shares, rotations, cluster keys, restored workers): re-read them
    if (n % 25 === 0) watchAll();
    const treasuryNow = treasuryBalance(world.chain.storage);
    const row = seriesRowOf(produced.block, produced.events, world.chain.storage, tally, treasuryNow - treasuryBefore, produced.challenges);
    treasuryBefore = treasuryNow;
    events += produced.events.length;
    payout += row.payout;
    options.onSeriesRow?.(row);
    options.onProgress?.({ block: n, totalBlocks: scenario.durationBlocks });
    if (n < scenario.durationBlocks) await prepare();
  };
  await prepare();
  const blockTimeMs = scenario.chain.blockTimeMs;
  const producer = hostBlockProducer(system, clock, world.scheduler, { blockTimeMs, firstBlockAtMs: Number(GENESIS_TIMESTAMP_MS) + blockTimeMs, height: 0, targetHeight: scenario.durationBlocks }, produce);
  options.onActors?.({ system, clock, producer: producer.address, gatekeeper: (i) => gatekeepers.address(world.gatekeepers[i]!) });
  try {
    await producer.run();
  } finally {
    system.stop();
  }
  if (clusters !== undefined) world.note(clusterTotalsLine(clusters.totals));
  const checks: CheckResult[] = checkers.map((c) => c.finish());
  if (world.net.errors.length > 0) checks.push({ name: 'network delivered every submission', passed: false, detail: world.net.errors[0]! });
  return {
    head: headOf(world),
    events,
    workers: tally.summary().workers,
    rewards: { payout, treasury: treasuryBalance(world.chain.storage) - treasuryAtGenesis },
    checks,
  };
};
