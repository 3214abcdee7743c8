/**
 * The driver runs its actors, not around them: each test would fail if the driver bypassed one.
 *
 * * a paused block-producer actor stops production (the ledger's timestamps show the gap) and the
 *   run still reaches its target height after RESUME; a crashed one restarts from its persisted
 *   snapshot, keeps the height and the slot grid;
 * * a gatekeeper crash kills the host: its actor restarts under supervision from its persisted
 *   state, rejoins, serves again, and every check (gatekeepersAgree included) passes;
 * * a crashed cluster worker restores from its sealed cluster checkpoint, its contract actors
 *   record the seal, crash with it and are restored from their snapshots, and keep counting
 *   commands afterwards, and the workers still agree; the client actors' snapshots are persisted;
 * * the client actors' schedules are what sends the contract workload; the worker hosts are
 *   actors of the same system.
 */
import { readFileSync } from 'node:fs';
import { isRight } from 'fp-ts/Either';
import type { ContractContext } from '../../actors/contract.machine';
import type { ClientContext } from '../../actors/client.machine';
import type { GatekeeperContext } from '../../actors/gatekeeper.machine';
import { CHAIN_STREAM, decodeBlockRecord } from '../../domain/chain/ledger';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import type { SimulationActors } from './api';
import { parseClusterTotals } from './clusters';
import { runSimulation } from './runSimulation';

const BLOCK_MS = 1000;

/** Quickstart with extra fault lines appended under `faults:`. */
function quickstart(seed: bigint, blocks: number, extraFaults = '') {
  const yaml = readFileSync(builtInScenarioPath('quickstart'), 'utf8') + extraFaults;
  const loaded = loadScenario(yaml, 'quickstart+faults');
  if (!isRight(loaded)) throw new Error('quickstart with extra faults does not load');
  return resolveScenario(loaded.right, { seed, blocks });
}

async function timestamps(store: ReturnType<typeof memoryEventStore>): Promise<number[]> {
  const out: number[] = [];
  for await (const record of store.readStream(CHAIN_STREAM)) out.push(Number(decodeBlockRecord(record).header.timestamp));
  return out;
}

const contextOf = <C>(actors: SimulationActors, address: string): C => (actors.system.ref(address)!.getSnapshot() as { context: C }).context;

describe('the driver hosts its actors', () => {
  it('a paused block producer stops production; after RESUME it realigns to the slot grid and reaches the target', async () => {
    const store = memoryEventStore();
    let actors: SimulationActors | undefined;
    const result = await runSimulation({
      scenario: quickstart(7n, 24),
      store,
      onActors: (a) => {
        actors = a;
        const start = a.clock.now();
        a.clock.setTimeout(() => a.system.send(a.producer, { type: 'PAUSE' }), 10.5 * BLOCK_MS);
        a.clock.setTimeout(() => a.system.send(a.producer, { type: 'RESUME' }), 15.5 * BLOCK_MS);
        expect(start).toBeGreaterThan(0);
      },
    });
    expect(result.head.number).toBe(24);
    const ts = await timestamps(store);
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
    // block 11 waited for the first slot after the RESUME: 6 slots after block 10
    expect(gaps[10]).toBe(6 * BLOCK_MS);
    expect(gaps.filter((g, i) => i !== 10 && g !== BLOCK_MS)).toEqual([]);
    expect(actors!.system.status(actors!.producer)?.state).toBe('done');
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
  }, 180_000);

  it('a crashed block producer restarts from its persisted snapshot: same height, same slot grid, every check passes', async () => {
    const store = memoryEventStore();
    let actors: SimulationActors | undefined;
    const crashes = [4.5, 9.25, 9.5].map((slots) => slots * BLOCK_MS);
    const result = await runSimulation({
      scenario: quickstart(7n, 24),
      store,
      onActors: (a) => {
        actors = a;
        for (const at of crashes) a.clock.setTimeout(() => a.system.crash(a.producer, 'fault injection: the producer process was killed'), at);
      },
    });
    const status = actors!.system.status(actors!.producer)!;
    expect(status.restarts).toBe(3);
    expect(status.state).toBe('done');
    // restored from its snapshot: a producer re-spawned from its input would ask for block 1 again
    // (the driver refuses that); the supervisor's timers shift the network's seeded tie-breaks, so
    // the chain may differ from an uncrashed run's, but it keeps the slot grid and every check passes
    expect(result.head.number).toBe(24);
    const ts = await timestamps(store);
    expect(ts.slice(1).map((t, i) => t - ts[i]!).filter((g) => g !== BLOCK_MS)).toEqual([]);
    const persisted = await store.streamVersion(actors!.producer);
    expect(persisted).toBeGreaterThanOrEqual(23);
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
  }, 180_000);

  it('a crashed gatekeeper host restarts under supervision, rejoins from its sealed key, and the gatekeepers still agree', async () => {
    const notes: string[] = [];
    let actors: SimulationActors | undefined;
    const crash = '  gatekeeperCrashes:\n    - { gatekeeper: 0, atBlock: 30, rejoinAfterBlocks: 8 }\n';
    const result = await runSimulation({ scenario: quickstart(7n, 70, crash), store: memoryEventStore(), onNote: (_, l) => notes.push(l), onActors: (a) => (actors = a) });
    const address = actors!.gatekeeper(0);
    const status = actors!.system.status(address)!;
    expect(status.restarts).toBe(1);
    expect(status.state).toMatch(/active/);
    const gk = contextOf<GatekeeperContext>(actors!, address);
    expect(gk).toMatchObject({ egress: 'live', hasKey: true, first: true, crashes: 1 });
    // the rotation at block 60 went through after the rejoin
    expect(gk.rotationId).toBe(1);
    expect(notes).toContain('gatekeeper-1\'s host restarted under supervision from its last persisted state');
    expect(notes.some((l) => l.startsWith('gatekeeper-1 restarts from its sealed key vault'))).toBe(true);
    expect(result.checks.find((c) => c.name === 'gatekeepersAgree')?.passed).toBe(true);
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
  }, 240_000);

  it('a crashed cluster worker restores from its sealed cluster checkpoint; its contract actors see the seal and the commands after it', async () => {
    const notes: string[] = [];
    let actors: SimulationActors | undefined;
    const crash = '  workerCrashes:\n    - { workerGroup: cluster-workers, count: 1, atBlock: 45, restartAfterBlocks: 10 }\n';
    const store = memoryEventStore();
    const result = await runSimulation({ scenario: quickstart(3n, 90, crash), store, onNote: (_, l) => notes.push(l), onActors: (a) => (actors = a) });
    // the client actors' schedules are persisted as they move on
    for (const c of actors!.system.statuses().filter((s) => s.address.startsWith('client-'))) expect(await store.streamVersion(c.address)).toBeGreaterThan(0);
    expect(notes).toContain('cluster-workers-1 crashes (sealed cluster checkpoint at block 44)');
    expect(notes).toContain('cluster-workers-1 restarts from its sealed cluster checkpoint and catches up from block 45');
    const contracts = actors!.system.statuses().filter((s) => s.address.startsWith('contract-cluster-workers-1-'));
    expect(contracts).toHaveLength(2);
    // they live in the worker's process: they crashed with it and were restored from their snapshots
    expect(contracts.map((s) => s.restarts)).toEqual([1, 1]);
    expect(actors!.system.statuses().filter((s) => s.address.startsWith('contract-cluster-workers-2-')).map((s) => s.restarts)).toEqual([0, 0]);
    const contexts = contracts.map((s) => contextOf<ContractContext>(actors!, s.address));
    for (const c of contexts) expect(c.sealedAtBlock).toBe(44);
    expect(Math.max(...contexts.map((c) => c.lastCommandBlock ?? 0))).toBeGreaterThan(55);
    expect(result.checks.find((c) => c.name === 'contractsAgree')?.passed).toBe(true);
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
  }, 240_000);

  it('the contract workload comes from the client actors, and every contract actor counted the commands its worker ran', async () => {
    const notes: string[] = [];
    let actors: SimulationActors | undefined;
    await runSimulation({ scenario: quickstart(3n, 60), store: memoryEventStore(), onNote: (_, l) => notes.push(l), onActors: (a) => (actors = a) });
    const totals = notes.map(parseClusterTotals).find((t) => t !== undefined)!;
    // the worker hosts live in the same actor system
    const hosts = actors!.system.statuses().filter((s) => s.address.startsWith('workerHost-'));
    expect(hosts).toHaveLength(10);
    expect(hosts.find((s) => s.address === 'workerHost-miners-2')?.state).toMatch(/computing/);
    // miners-1 is quickstart's unresponsive worker (blocks 40–60): its actor was told
    expect(hosts.find((s) => s.address === 'workerHost-miners-1')?.state).toMatch(/computing|unresponsive/);
    const clients = actors!.system.statuses().filter((s) => s.address.startsWith('client-'));
    expect(clients).toHaveLength(3);
    const emitted = clients.map((s) => contextOf<ClientContext>(actors!, s.address).emittedByKind);
    expect(emitted.reduce((t, e) => t + e.contractCommand, 0)).toBeGreaterThan(5);
    expect(emitted.reduce((t, e) => t + e.contractQuery, 0)).toBeGreaterThanOrEqual(totals.queriesAnswered + totals.queriesFailed);
    for (const worker of ['cluster-workers-1', 'cluster-workers-2']) {
      const counted = actors!.system
        .statuses()
        .filter((s) => s.address.startsWith(`contract-${worker}-`))
        .map((s) => contextOf<ContractContext>(actors!, s.address))
        .reduce((t, c) => t + c.commandsApplied + c.commandsRefused, 0);
      expect(counted).toBe(totals.commandsIncluded);
    }
  }, 180_000);
});
