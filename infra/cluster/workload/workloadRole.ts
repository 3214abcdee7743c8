/**
 * The `workload` role of `phalanet node`: the scenario's people acting on a cluster's chain, as
 * the simulation's actors do (`simulations/run/topologyActors.ts`, the same code): operators
 * registering their workers with an attestation once the gatekeepers launched (each worker's
 * xstate lifecycle machine, `actors/workerHost.machine.ts`, hosted on the wall clock, decides when
 * to submit and re-submit), governance registering the gatekeepers that join later and rotating
 * the master key, pool owners creating pools, adding benchmarked workers and starting them,
 * stakers contributing and withdrawing at the scenario's rates.
 *
 * One node acts at a time: the role holds a lease row of its own (`workload`, epoch-bumped like
 * the producer's); the others stand by. Each new block it observes (the node's copy of the chain,
 * read only) is one round; submissions are signed with each wallet's next nonce and published to
 * `phalanet.extrinsics`. A node that takes over first reads the ledger's history, so it learns
 * which pools exist and which owners and stakers already acted (`observeHistory`) and does not do
 * it again.
 */
import { CHAIN_STREAM, decodeBlockRecord } from '../../../domain/chain/ledger';
import { account as accountInfo } from '../../../domain/chain/pallets/balances.pallet';
import type { EventStore } from '../../../domain/ports/eventStore';
import type { RuntimeEvent } from '../../../domain/runtime/types';
import { createActorSystem } from '../../../actors/actorSystem';
import { signExtrinsic } from '../../../simulations/run/accounts';
import { createNonceBook } from '../../../simulations/run/nonces';
import { decodeEvents } from '../../../simulations/run/observe';
import { scenarioGenesis } from '../../../simulations/run/scenarioGenesis';
import { type ActingWorld, type Actors, act, observeHistory, observePools, operatorOf, planActors, registerWorker } from '../../../simulations/run/topologyActors';
import { createWorkerFleet, type WorkerFleet } from '../../../simulations/run/workerFleet';
import type { ResolvedScenario } from '../../../simulations/scenario';
import { kafkaBus } from '../../bus/kafkaBus';
import { wallClock } from '../../clock/wallClock';
import { osRandom } from '../../random/osRandom';
import { memoryEventStore } from '../../store/memoryEventStore';
import type { HeldLease, ProducerLease } from '../lease';
import { EXTRINSICS_PARTITIONS, EXTRINSICS_TOPIC } from '../node/kafkaIntake';
import type { LocalChain } from '../node/localChain';
import { wakeableSleep } from '../node/producerRole';

/** What the role is given. */
export interface WorkloadRoleOptions {
  readonly nodeId: string;
  readonly scenario: ResolvedScenario;
  /** the node's copy of the chain (another loop keeps it at the head; this role only reads it) */
  readonly local: LocalChain;
  /** the ledger, for the history a node taking over reads */
  readonly ledger: EventStore;
  readonly brokers: readonly string[];
  /** a TCP proxy every broker connection dials (`--kafka-proxy`) */
  readonly kafkaProxy?: string | undefined;
  /** the `workload` lease row */
  readonly lease: ProducerLease;
  readonly followMs: number;
  readonly renewMs: number;
  readonly log: (line: string) => void;
}

/** The role's state, for `/status`. */
export interface WorkloadStatus {
  readonly role: 'active' | 'standby' | 'stopped';
  readonly epoch: string | null;
  /** the last block a round acted after */
  readonly actedAtBlock: number | null;
  readonly submitted: number;
  /** the workers' lifecycle machines by state (active node only) */
  readonly workersByState: Readonly<Record<string, number>>;
  readonly lastError: string | null;
}

/** A running workload role. */
export interface WorkloadRole {
  status(): WorkloadStatus;
  stop(): Promise<void>;
}

/** The actors' world over the node's chain: submissions are collected for the round's publish. */
function clusterWorld(options: WorkloadRoleOptions, genesis: ReturnType<typeof scenarioGenesis>, outbox: Uint8Array[], onNote: (line: string) => void): ActingWorld {
  const nonces = createNonceBook();
  const signing = osRandom();
  const chain = () => {
    const c = options.local.chain;
    if (c === undefined) throw new Error('workload: the node has no chain state yet');
    return c;
  };
  const world: ActingWorld = {
    scenario: options.scenario,
    get chain() {
      return chain();
    },
    workers: genesis.workers,
    gatekeepers: genesis.gatekeepers,
    account: genesis.account,
    block: 0,
    submit(_from, who, call, paired) {
      const c = chain();
      const nonce = paired ?? nonces.next(who.id, accountInfo(c.storage, who.id).nonce, world.block);
      outbox.push(signExtrinsic(c.runtime, who, call, nonce, c.genesisHash, signing));
    },
    governance(call) {
      const c = chain();
      world.submit('governance', genesis.root, { tag: 'Sudo', value: { tag: 'sudo', value: { call: c.runtime.callCodec.enc(call) } } });
    },
    note: onNote,
  };
  return world;
}

/** Starts the role's loop: contend for the lease, act on every new block while holding it. */
export async function startWorkloadRole(options: WorkloadRoleOptions): Promise<WorkloadRole> {
  const { nodeId, log } = options;
  const bus = kafkaBus({ brokers: options.brokers, proxy: options.kafkaProxy, clientId: `phalanet-node-${nodeId}-workload` });
  await bus.ensureTopics([{ name: EXTRINSICS_TOPIC, partitions: EXTRINSICS_PARTITIONS }]);
  const genesis = scenarioGenesis(options.scenario);
  const outbox: Uint8Array[] = [];
  const world = clusterWorld(options, genesis, outbox, (line) => log(`node ${nodeId}: workload: ${line}`));
  let held: HeldLease | undefined;
  let actors: Actors | undefined;
  let fleet: WorkerFleet | undefined;
  let system: ReturnType<typeof createActorSystem> | undefined;
  let acted = -1;
  let submitted = 0;
  let stopping = false;
  let lastError: string | undefined;
  const sleeper = wakeableSleep();

  /** A fresh plan and fleet, told the ledger's history up to `height` (nothing is re-done). */
  const takeOver = async (height: number) => {
    system?.stop();
    system = createActorSystem({ store: memoryEventStore(), clock: wallClock });
    const a = planActors(world, genesis.env, genesis.random.fork('actors'), genesis.random.fork('genesis'));
    const f = createWorkerFleet(system, wallClock, options.scenario.chain.blockTimeMs, (w) => registerWorker(world, a, w, operatorOf(a, w), w.confidenceLevel));
    a.fleet = f;
    for await (const record of options.ledger.readStream(CHAIN_STREAM, { toVersion: height })) {
      const events = eventsOf(record);
      observePools(a, events);
      observeHistory(a, events);
      f.observe(record.version, events);
    }
    actors = a;
    fleet = f;
    acted = height;
  };
  const eventsOf = (record: Parameters<typeof decodeBlockRecord>[0]): RuntimeEvent[] => decodeEvents(genesis.runtime, decodeBlockRecord(record));

  /** One round per new block since the last: observe its events, act before the next. */
  const round = async () => {
    const height = options.local.height;
    if (height < 0 || options.local.chain === undefined) return;
    if (actors === undefined) await takeOver(height);
    // registrations the workers' machines submitted on their own timers since the last round
    if (height <= acted) return publish(height);
    for await (const record of options.ledger.readStream(CHAIN_STREAM, { fromVersion: acted + 1, toVersion: height })) {
      const events = eventsOf(record);
      observePools(actors!, events);
      fleet!.observe(record.version, events);
      world.block = record.version + 1;
      act(world, actors!);
    }
    acted = height;
    await publish(height);
  };
  /** publishes what the round signed (one key: the intake keeps their order, so each wallet's nonces stay in sequence) */
  const publish = async (height: number) => {
    if (outbox.length === 0) return;
    const batch = outbox.splice(0);
    await bus.publish(batch.map((value, i) => ({ topic: EXTRINSICS_TOPIC, key: nodeId, value, id: `workload/${nodeId}/${height}/${submitted + i}` })));
    submitted += batch.length;
  };

  const step = async (): Promise<number> => {
    if (held === undefined) {
      if (stopping) return 0;
      held = await options.lease.acquire();
      if (held === undefined) return options.followMs;
      log(`node ${nodeId}: took the workload lease, epoch ${held.epoch}: acting for the scenario's operators, pool owners, stakers and governance`);
      actors = undefined;
    } else {
      const renewed = await options.lease.renew(held);
      if (renewed === undefined) {
        log(`node ${nodeId}: workload lease epoch ${held.epoch} lost; standing by`);
        held = undefined;
        actors = undefined;
        return 0;
      }
      held = renewed;
    }
    await round();
    return Math.min(options.followMs, options.renewMs);
  };

  const loop = (async () => {
    while (!stopping) {
      let wait = options.followMs;
      try {
        wait = await step();
        lastError = undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        log(`node ${nodeId}: workload step failed: ${lastError}`);
        // what was not published is signed again from the chain's nonces next round
        outbox.length = 0;
        actors = undefined;
      }
      if (!stopping) await sleeper.sleep(wait);
    }
  })();

  return {
    status: () => {
      const byState: Record<string, number> = {};
      if (fleet !== undefined && held !== undefined) {
        for (const w of genesis.workers) {
          const s = fleet.status(w);
          if (s !== undefined) byState[s.state] = (byState[s.state] ?? 0) + 1;
        }
      }
      return {
        role: stopping ? 'stopped' : held === undefined ? 'standby' : 'active',
        epoch: held === undefined ? null : String(held.epoch),
        actedAtBlock: acted < 0 ? null : acted,
        submitted,
        workersByState: byState,
        lastError: lastError ?? null,
      };
    },
    async stop() {
      stopping = true;
      sleeper.wake();
      await loop;
      system?.stop();
      if (held !== undefined) await options.lease.release(held).catch(() => undefined);
      await bus.close();
    },
  };
}
