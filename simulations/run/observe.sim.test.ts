/**
 * The session tally follows the chain from its writes alone: on gatekeeper-rotation's chain (50
 * genesis sessions computing and settled by the gatekeepers' reports, unbound workers beside
 * them) it agrees with a full scan of the sessions after every block.
 */
import { readFileSync } from 'node:fs';
import { isRight } from 'fp-ts/Either';
import { memoryEventStore } from '../../infra/store/memoryEventStore';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../scenario';
import { createSessionTally, scanSessions } from './observe';
import { createWorld, produceNext, restartGatekeepers } from './simulation';

test('the session tally agrees with a full scan after every block', async () => {
  const loaded = loadScenario(readFileSync(builtInScenarioPath('gatekeeper-rotation'), 'utf8'), 'gatekeeper-rotation');
  if (!isRight(loaded)) throw new Error('gatekeeper-rotation does not load');
  const world = await createWorld({ scenario: resolveScenario(loaded.right, { seed: 3n }), store: memoryEventStore() });
  const tally = createSessionTally(world.chain.storage);
  const states = new Set<string>();
  let settled = 0;
  for (let n = 1; n <= 40; n++) {
    const produced = await produceNext(world);
    await restartGatekeepers(world);
    settled += produced.events.filter((e) => (e.value as { tag: string }).tag === 'SessionSettled').length;
    const summary = tally.summary();
    expect(summary).toEqual(scanSessions(world.chain.storage));
    for (const [state, count] of Object.entries(summary.workers)) if (count > 0) states.add(state);
  }
  // the comparison covered more than one state and sessions rewritten by settlements, not a frozen chain
  expect([...states].sort()).toEqual(['Unbound', 'WorkerIdle']);
  expect(settled).toBeGreaterThan(3);
}, 120_000);
