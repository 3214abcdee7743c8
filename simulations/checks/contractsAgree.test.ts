import { contractsAgree } from './contractsAgree';

describe('contractsAgree', () => {
  const facts = (block: number, digests: [string, string, string][]) => ({ block, gatekeeperDigests: [], clusterDigests: digests.map(([cluster, worker, digest]) => ({ cluster, worker, digest })) });

  it('passes while the workers of each cluster report the same digest', () => {
    const c = contractsAgree();
    c.onDriverFacts!(facts(1, [['a', 'w1', 'x'], ['a', 'w2', 'x'], ['b', 'w3', 'y']]));
    c.onDriverFacts!({ block: 2, gatekeeperDigests: [] });
    expect(c.finish()).toEqual({ name: 'contractsAgree', passed: true });
  });

  it('fails at the first block where two workers of one cluster differ, naming them', () => {
    const c = contractsAgree();
    c.onDriverFacts!(facts(4, [['a', 'w1', 'x'], ['a', 'w2', 'x']]));
    c.onDriverFacts!(facts(5, [['a', 'w1', 'x'], ['a', 'w2', 'z']]));
    c.onDriverFacts!(facts(6, [['a', 'w1', 'q'], ['a', 'w2', 'r']]));
    const r = c.finish();
    expect(r).toMatchObject({ passed: false, block: 5 });
    expect(r.detail).toContain('w1 and w2');
  });
});
