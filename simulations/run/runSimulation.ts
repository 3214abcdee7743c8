/**
 * `runSimulation`: a resolved scenario from genesis to its last block, with its faults switched on
 * and off at their blocks, every block seen by the invariant checkers and the series, and the
 * summary's facts at the end (issue 6). See `simulation.ts` for one block's steps.
 */
import type { CheckResult } from '../report/summary';
import type { Checker } from '../checks/api';
import { createCheckers, leakScanner } from '../checks';
import type { RunSimulation, RunSimulationOptions, SimulationResult } from './api';
import { createSessionTally, decodeEvents, seriesRowOf, treasuryBalance } from './observe';
import { createWorld, headOf, produceNext, restartGatekeepers } from './simulation';
import { act, observePools, operatorOf, planActors, registerWorker } from './topologyActors';
import { createWorkerFleet } from './workerFleet';
import { applyFaults, attack, type Attackers, rememberForReplay, restartWorker } from './faults';
import { clusterTotalsLine, createClusterDriver } from './clusters';
import { virtualClock } from '../virtualClock';

/** Runs a scenario to its end. */
export const runSimulation: RunSimulation = async (options: RunSimulationOptions): Promise<SimulationResult> => {
  const { scenario } = options;
  const world = await createWorld({ scenario, store: options.store, ...(options.onNote === undefined ? {} : { onNote: options.onNote }) });
  const actors = planActors(world, world.env, world.random.fork('actors'), world.random.fork('genesis'));
  actors.fleet = createWorkerFleet(virtualClock(world.scheduler), scenario.chain.blockTimeMs, (w) => registerWorker(world, actors, w, operatorOf(actors, w), w.confidenceLevel));
  const clusters = createClusterDriver(world);
  // the leak scanner watches every enclave object of the run: vendor, platforms, vaults
  const scanner = leakScanner();
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
  // what the run logs is scanned too (a note line naming a key would be a leak)
  const notes: { where: string; bytes: string }[] = [];
  const onNote = options.onNote;
  world.onNoteHook = (block, line) => {
    notes.push({ where: `log:block ${block}`, bytes: line });
    onNote?.(block, line);
  };
  const attackers: Attackers = { seen: [] };
  const tally = createSessionTally(world.chain.storage);
  const genesisEvents = decodeEvents(world.chain.runtime, world.genesisBlock);
  for (const c of checkers) c.onBlock({ block: world.genesisBlock, events: genesisEvents, state: world.chain.storage });
  let events = genesisEvents.length;
  let payout = 0n;
  const treasuryAtGenesis = treasuryBalance(world.chain.storage);
  let treasuryBefore = treasuryAtGenesis;
  for (let n = 1; n <= scenario.durationBlocks; n++) {
    for (const w of applyFaults(world, actors.fleet)) await restartWorker(world, w, actors.fleet);
    attack(world, attackers);
    act(world, actors);
    clusters?.act();
    const produced = await produceNext(world);
    const clusterFacts = clusters?.afterBlock();
    await restartGatekeepers(world);
    observePools(actors, produced.events);
    rememberForReplay(attackers, produced.relayed);
    actors.fleet.observe(n, produced.events);
    for (const c of checkers) {
      c.onBlock({ block: produced.block, events: produced.events, state: world.chain.storage, final: n === scenario.durationBlocks });
      c.onDriverFacts?.({ block: n, gatekeeperDigests: produced.gatekeeperDigests, leakChunks: notes, ...(clusterFacts === undefined ? {} : { clusterDigests: clusterFacts.digests }) });
    }
    notes.length = 0;
    // keys change hands (master key shares, rotations, cluster keys, restored workers): re-read them
    if (n % 25 === 0) watchAll();
    const treasuryNow = treasuryBalance(world.chain.storage);
    const row = seriesRowOf(produced.block, produced.events, world.chain.storage, tally, treasuryNow - treasuryBefore, produced.challenges);
    treasuryBefore = treasuryNow;
    events += produced.events.length;
    payout += row.payout;
    options.onSeriesRow?.(row);
    options.onProgress?.({ block: n, totalBlocks: scenario.durationBlocks });
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

