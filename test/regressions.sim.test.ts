/**
 * Every seed that ever failed, replayed for good (issue 6, the VOPR habit): each entry of
 * `regressions/regressions.json` names a scenario file beside it (or a built-in), the seed and the
 * blocks to run, and why it is there. Each must pass every check.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRight } from 'fp-ts/Either';
import * as t from 'io-ts';
import { memoryEventStore } from '../infra/store/memoryEventStore';
import { runSimulation } from '../simulations/run/runSimulation';
import { builtInScenarioPath, loadScenario, resolveScenario } from '../simulations/scenario';

const Regression = t.type({ scenario: t.string, seed: t.number, blocks: t.number, why: t.string });
const dir = join(__dirname, 'regressions');
const list = t.array(Regression).decode(JSON.parse(readFileSync(join(dir, 'regressions.json'), 'utf8')));
if (!isRight(list)) throw new Error('test/regressions/regressions.json does not decode');

describe('regression seeds', () => {
  it.each(list.right.map((r) => [`${r.scenario} seed ${r.seed}`, r] as const))('%s passes every check', async (_name, r) => {
    const path = existsSync(join(dir, r.scenario)) ? join(dir, r.scenario) : builtInScenarioPath(r.scenario as never);
    const loaded = loadScenario(readFileSync(path, 'utf8'), path);
    if (!isRight(loaded)) throw new Error(`${path} does not load`);
    const result = await runSimulation({ scenario: resolveScenario(loaded.right, { seed: BigInt(r.seed), blocks: r.blocks }), store: memoryEventStore() });
    expect(result.checks.filter((c) => !c.passed)).toEqual([]);
    expect(result.checks.length).toBeGreaterThan(0);
  }, 300_000);
});
