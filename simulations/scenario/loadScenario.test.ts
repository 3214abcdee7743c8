import { readFileSync } from 'node:fs';
import { isLeft, isRight } from 'fp-ts/Either';
import { builtInScenarioPath, listBuiltInScenarios } from './builtIns';
import { loadScenario } from './loadScenario';

const minimal = `name: t
durationBlocks: 10
topology:
  gatekeepers: { count: 1 }
  workerGroups:
    - { name: miners, count: 4 }
`;

/** the error lines of a scenario text that must be refused */
function refused(text: string): string[] {
  const r = loadScenario(text, 'test.yaml');
  if (isRight(r)) throw new Error('expected the scenario to be refused');
  return r.left.map((e) => e.text);
}

describe('loadScenario', () => {
  it.each(listBuiltInScenarios())('decodes the built-in scenario %s', (name) => {
    const r = loadScenario(readFileSync(builtInScenarioPath(name), 'utf8'), `${name}.yaml`);
    expect(isLeft(r) ? r.left.map((e) => e.text) : []).toEqual([]);
  });

  it('accepts the minimal scenario', () => {
    expect(isRight(loadScenario(minimal, 'test.yaml'))).toBe(true);
  });

  it('refuses a typo in a key, naming the path and suggesting the fix', () => {
    const text = minimal.replace('{ name: miners, count: 4 }', '{ name: miners, cuont: 4 }');
    expect(refused(text)).toEqual([
      'test.yaml: topology.workerGroups[0].cuont: unknown key "cuont" (did you mean "count"?)',
      'test.yaml: topology.workerGroups[0].count: is required (a non-negative integer)',
    ]);
  });

  it('refuses an unknown top-level key, listing the known ones when nothing is close', () => {
    expect(refused(`${minimal}zzzzzzzzzz: 1\n`)).toEqual([
      'test.yaml: zzzzzzzzzz: unknown key "zzzzzzzzzz"; known keys: name, durationBlocks, topology, description, chain, workload, faults',
    ]);
  });

  it('refuses an unknown distribution kind with a suggestion', () => {
    const text = minimal.replace('count: 4 }', 'count: 4, stakePha: { uniforn: { min: 1, max: 2 } } }');
    expect(refused(text)).toEqual(['test.yaml: topology.workerGroups[0].stakePha.uniforn: unknown key "uniforn" (did you mean "uniform"?)']);
  });

  it('refuses wrong types, with what was found', () => {
    const text = minimal.replace('durationBlocks: 10', 'durationBlocks: "ten"').replace('count: 1 }', 'count: [1] }');
    expect(refused(text)).toEqual([
      'test.yaml: durationBlocks: must be a positive integer (got "ten")',
      'test.yaml: topology.gatekeepers.count: must be a positive integer (got a list)',
    ]);
  });

  it('refuses a tokenomic parameter written as a YAML number', () => {
    expect(refused(`${minimal}chain: { tokenomic: { budgetPerBlock: 100 } }\n`)).toEqual([
      'test.yaml: chain.tokenomic.budgetPerBlock: must be a decimal string such as "100" or "0.2" (U64F64) (got 100); quote it, e.g. "100", so that no precision is lost to floating point',
    ]);
  });

  const group = (extra: string): string => minimal.replace('count: 4 }', `count: 4, ${extra} }`);
  const pool = (extra: string): string =>
    `${minimal}  pools:\n    - { name: p, workerGroup: miners, workersPerPool: 4, ${extra} }\n`.replace('count: 4 }', 'count: 400 }');
  it.each([
    ['a negative count', minimal.replace('count: 4', 'count: -3'), 'topology.workerGroups[0].count: must be a non-negative integer (got -3)'],
    ['a fractional count', minimal.replace('count: 4', 'count: 2.5'), 'topology.workerGroups[0].count: must be a non-negative integer (got 2.5)'],
    ['a block time of 0', `${minimal}chain: { blockTimeMs: 0 }\n`, 'chain.blockTimeMs: must be a positive integer (got 0); use 1 or more'],
    ['a heartbeat window below 1', `${minimal}chain: { tokenomic: { heartbeatWindow: 0 } }\n`, 'chain.tokenomic.heartbeatWindow: must be a positive integer (got 0); use 1 or more'],
    ['a decimal that does not parse', `${minimal}chain: { tokenomic: { rho: "1.2.3" } }\n`, 'chain.tokenomic.rho: must be a non-negative decimal string such as "0.2" (got "1.2.3"); quote it in YAML'],
    ['a negative decimal', `${minimal}chain: { tokenomic: { vMax: "-1" } }\n`, 'chain.tokenomic.vMax: must be a non-negative decimal string such as "0.2" (got "-1"); quote it in YAML'],
    ['a decimal beyond U64F64', `${minimal}chain: { tokenomic: { vMax: "18446744073709551616" } }\n`, 'chain.tokenomic.vMax: must fit U64F64, below 2^64 (got "18446744073709551616")'],
    ['a treasury ratio above 1', `${minimal}chain: { tokenomic: { treasuryRatio: "1.5" } }\n`, 'chain.tokenomic.treasuryRatio: must be a ratio from "0" to "1" (got "1.5"); write 20% as "0.2"'],
    ['an Rᵉ below 1', `${minimal}chain: { tokenomic: { re: "0.9" } }\n`, 'chain.tokenomic.re: must be at least "1" (got "0.9"); Phala computes re − 1 in unsigned fixed point'],
    ['a heartbeat window beyond u32', `${minimal}chain: { tokenomic: { heartbeatWindow: 4294967296 } }\n`, 'chain.tokenomic.heartbeatWindow: must fit a u32, at most 4294967295 (got 4294967296)'],
    ['a probability above 1', `${minimal}faults: { network: { drop: { probability: 1.5 } } }\n`, 'faults.network.drop.probability: must be a probability in [0, 1] (got 1.5); write 5% as 0.05'],
    ['a negative probability', `${minimal}faults: { network: { drop: { probability: -0.1 } } }\n`, 'faults.network.drop.probability: must be a probability in [0, 1] (got -0.1); write 5% as 0.05'],
    ['a uniform range with min > max', group('cpuSpeedIterationsPerSec: { uniform: { min: 500, max: 300 } }'), 'topology.workerGroups[0].cpuSpeedIterationsPerSec.uniform: min (500) must not exceed max (300); swap them'],
    ['a normal range with min > max', group('stakePha: { normal: { mean: 5, sd: 1, min: 9, max: 1 } }'), 'topology.workerGroups[0].stakePha.normal: min (9) must not exceed max (1); swap them'],
    ['a negative standard deviation', group('stakePha: { normal: { mean: 5, sd: -1 } }'), 'topology.workerGroups[0].stakePha.normal.sd: must be a non-negative number (got -1)'],
    ['an empty choice', group('confidenceLevel: { choice: [] }'), 'topology.workerGroups[0].confidenceLevel.choice: must list at least one value with a positive weight (got a list)'],
    ['a confidence level of 6', group('confidenceLevel: { fixed: 6 }'), 'topology.workerGroups[0].confidenceLevel.fixed: must be a confidence level 1, 2, 3, 4, 5 or 128 (got 6)'],
    ['a uniform confidence level', group('confidenceLevel: { uniform: { min: 1, max: 5 } }'), 'topology.workerGroups[0].confidenceLevel.uniform: unknown key "uniform"; use one of fixed, choice'],
    ['a score above 6000', group('initialScore: { fixed: 7000 }'), 'topology.workerGroups[0].initialScore.fixed: must be an integer score from 0 to 6000 (got 7000)'],
    ['two distribution kinds at once', group('stakePha: { fixed: 1, uniform: { min: 1, max: 2 } }'), 'topology.workerGroups[0].stakePha: must have exactly one of the keys fixed, uniform, normal, choice (got a mapping)'],
    ['a commission above 100%', pool('commissionPercent: 101'), 'topology.pools[0].commissionPercent: must be a commission in percent, 0 to 100 (got 101)'],
    ['more than MaxPoolWorkers in a pool', pool('count: 2').replace('workersPerPool: 4', 'workersPerPool: 201'), "topology.pools[0].workersPerPool: must be an integer from 0 to 200, Phala's MaxPoolWorkers (got 201); use more pools instead"],
    ['a contribution below MinContribution', pool('stakers: { perPool: 1, contributionPha: { fixed: 0.001 } }'), "topology.pools[0].stakers.contributionPha.fixed: must be at least 0.01 PHA, Phala's MinContribution (got 0.001)"],
    ['a delay range with min > max', `${minimal}faults: { network: { delay: { probability: 0.1, delayMsMin: 9, delayMsMax: 1 } } }\n`, 'faults.network.delay: delayMsMin (9) must not exceed delayMsMax (1); swap them'],
    ['a cut that heals before it starts', `${minimal}faults: { network: { cuts: [ { isolate: { nodes: [a], fromBlock: 5, untilBlock: 5 } } ] } }\n`, 'faults.network.cuts[0].isolate: fromBlock (5) must be before untilBlock (5); the cut heals at untilBlock'],
    ['a bad name', minimal.replace('name: miners', 'name: "9 lives"'), 'topology.workerGroups[0].name: must be a name of letters, digits, "-" and "_" starting with a letter (got "9 lives")'],
    ['no gatekeeper', minimal.replace('count: 1 }', 'count: 0 }'), 'topology.gatekeepers.count: must be a positive integer (got 0); use 1 or more'],
  ])('refuses %s', (_what, text, line) => {
    expect(refused(text)).toEqual([`test.yaml: ${line}`]);
  });

  it.each([
    ['a pool of an unknown group', pool('count: 1').replace('workerGroup: miners', 'workerGroup: minerz'), 'topology.pools[0].workerGroup: no worker group named "minerz" (got "minerz"); use one of miners'],
    ['pools taking more workers than the group has', pool('count: 101'), 'topology.pools[0]: takes 404 workers from group "miners", which has 400; raise its count or take fewer'],
    ['a duplicate name', `${minimal}    - { name: miners, count: 1 }\n`, 'topology.workerGroups[1].name: duplicate name "miners"; give each group, pool set and cluster its own name'],
    ['a crash of a gatekeeper that does not exist', `${minimal}faults: { gatekeeperCrashes: [ { gatekeeper: 1, atBlock: 3 } ] }\n`, 'faults.gatekeeperCrashes[0].gatekeeper: must be a gatekeeper index below 1 (got 1); gatekeepers are numbered from 0, joiners after the genesis ones'],
    ['unresponsive workers beyond the group', `${minimal}faults: { unresponsiveWorkers: [ { workerGroup: miners, count: 5, atBlock: 3 } ] }\n`, 'faults.unresponsiveWorkers[0]: takes 5 workers from group "miners", which has 4; raise its count or take fewer'],
  ])('refuses %s', (_what, text, line) => {
    expect(refused(text)).toEqual([`test.yaml: ${line}`]);
  });

  it('reports a YAML syntax error with its line and column', () => {
    expect(refused('name: t\ndurationBlocks: 10\ntopology: [1, 2\n')).toEqual([
      'test.yaml:4:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the YAML at line 4',
    ]);
  });

  it('refuses a duplicate key as a syntax error', () => {
    expect(refused(`${minimal}name: again\n`)[0]).toMatch(/^test\.yaml:7:1: YAML syntax error: Map keys must be unique/);
  });

  it('refuses an empty file and a file that is not a mapping', () => {
    expect(refused('')).toEqual(['test.yaml: the file is empty; start from a built-in scenario such as quickstart']);
    expect(refused('- 1\n')).toEqual(['test.yaml: must be a mapping of keys (a scenario) (got a list)']);
  });

  it('reports every problem, not only the first', () => {
    expect(refused(minimal.replace('count: 4', 'count: -1').replace('durationBlocks: 10', 'durationBlocks: 0'))).toHaveLength(2);
  });
});

describe('the README example', () => {
  it('decodes', () => {
    const readme = readFileSync(`${__dirname}/../../README.md`, 'utf8');
    const example = readme.split('## Scenario files')[1]?.split('```yaml\n')[1]?.split('```')[0];
    expect(example).toBeDefined();
    const r = loadScenario(example ?? '', 'README.md');
    expect(isLeft(r) ? r.left.map((e) => e.text) : []).toEqual([]);
  });
});
