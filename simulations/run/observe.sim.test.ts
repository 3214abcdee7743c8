/**
 * The session tally follows the chain from its writes alone: on a chain of 20 genesis sessions
 * computing and settled by the gatekeeper's reports, beside unbound workers, it agrees with a full
 * scan of the sessions after every block.
 */
import { isRight } from 'fp-ts/Either';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { loadScenario, resolveScenario } from '../scenario';
import { GENESIS_TIMESTAMP_MS } from './genesisConfig';
import { createSessionTally, scanSessions } from './observe';
import { createWorld, produceNext } from './simulation';

// one gatekeeper (no key sharing, so no pRuntime restart to drive), 60 s blocks for frequent heartbeats
const SCENARIO = `
name: tally
durationBlocks: 60
chain:
  blockTimeMs: 60000
topology:
  gatekeepers: { count: 1 }
  workerGroups:
    - { name: miners, count: 20, atGenesis: true, initialScore: { fixed: 2000 } }
    - { name: idle, count: 3, atGenesis: true, computing: false }
  pools:
    - { name: pool, workerGroup: miners, workersPerPool: 20, stakers: { perPool: 2, contributionPha: { fixed: 400000 } } }
`;

test('the session tally agrees with a full scan after every block', async () => {
  const loaded = loadScenario(SCENARIO, 'tally.yaml');
  if (!isRight(loaded)) throw new Error(`the test scenario does not load: ${JSON.stringify(loaded.left)}`);
  const scenario = resolveScenario(loaded.right, { seed: 3n });
  const world = await createWorld({ scenario, store: memoryEventStore() });
  const tally = createSessionTally(world.chain.storage);
  const states = new Set<string>();
  let settled = 0;
  for (let n = 1; n <= 60; n++) {
    const atMs = Number(GENESIS_TIMESTAMP_MS) + n * scenario.chain.blockTimeMs;
    await world.scheduler.runUntil(atMs - 1);
    const produced = await produceNext(world, atMs);
    settled += produced.events.filter((e) => (e.value as { tag: string }).tag === 'SessionSettled').length;
    const summary = tally.summary();
    expect(summary).toEqual(scanSessions(world.chain.storage));
    for (const [state, count] of Object.entries(summary.workers)) if (count > 0) states.add(state);
  }
  // the comparison covered more than one state and sessions rewritten by settlements, not a frozen chain
  expect([...states].sort()).toEqual(['Unbound', 'WorkerIdle']);
  expect(settled).toBeGreaterThan(3);
}, 120_000);
