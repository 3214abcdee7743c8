import fc from 'fast-check';
import { ownedBy, type PlacementPlan, placePartitions } from './placementPlan';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const nodeIds = fc.uniqueArray(fc.constantFrom(...range(8).map((i) => `node-${i}`)), { minLength: 1, maxLength: 8 });

/** an arbitrary (possibly unbalanced, possibly stale) previous plan */
const anyPlan = (partitions: number) =>
  fc
    .array(fc.tuple(fc.constantFrom(...range(10).map((i) => `node-${i}`)), fc.constantFrom(...range(10).map((i) => `node-${i}`)), fc.boolean()), {
      minLength: partitions,
      maxLength: partitions,
    })
    .map((rows): PlacementPlan => new Map(rows.flatMap(([owner, home, known], p) => (known ? [[p, { owner, home }] as const] : []))));

function loads(plan: PlacementPlan, members: readonly string[]): number[] {
  return members.map((m) => ownedBy(plan, m).length);
}

function expectBalanced(plan: PlacementPlan, members: readonly string[], partitions: number) {
  expect([...plan.keys()].sort((a, b) => a - b)).toEqual(range(partitions));
  for (const [, placement] of plan) expect(members).toContain(placement.owner);
  const counts = loads(plan, members);
  expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
}

describe('placePartitions', () => {
  it('spreads 12 partitions over 3 fresh nodes, 4 each', () => {
    const plan = placePartitions({ members: ['a', 'b', 'c'], partitions: range(12), previous: new Map() });
    expect(loads(plan, ['a', 'b', 'c'])).toEqual([4, 4, 4]);
  });

  it('is balanced within ±1 and places every partition exactly once, from any previous plan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), nodeIds, anyPlan(n))), ([n, members, previous]) => {
        expectBalanced(placePartitions({ members, partitions: range(n), previous }), members, n);
      }),
    );
  });

  it('is a fixed point: the same members again move nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), nodeIds, anyPlan(n))), ([n, members, previous]) => {
        const plan = placePartitions({ members, partitions: range(n), previous });
        expect(placePartitions({ members, partitions: range(n), previous: plan })).toEqual(plan);
      }),
    );
  });

  it('when a node dies only its partitions move; when it returns with the same id it gets them back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), nodeIds.filter((m) => m.length >= 2), fc.oneof(anyPlan(n), fc.constant<PlacementPlan>(new Map())), fc.nat())),
        ([n, members, start, pick]) => {
          const stable = placePartitions({ members, partitions: range(n), previous: start });
          const dead = members[pick % members.length]!;
          const survivors = members.filter((m) => m !== dead);
          const fostered = placePartitions({ members: survivors, partitions: range(n), previous: stable });
          expectBalanced(fostered, survivors, n);
          for (const [p, placement] of stable) {
            if (placement.owner !== dead) expect(fostered.get(p)?.owner).toBe(placement.owner);
          }
          const back = placePartitions({ members, partitions: range(n), previous: fostered });
          const homedAtDead = [...stable].filter(([, placement]) => placement.home === dead).map(([p]) => p);
          for (const p of homedAtDead) expect(back.get(p)?.owner).toBe(dead);
          // with nothing fostered before (the usual case) the returning node gets exactly its own back
          const nothingFostered = [...stable.values()].every((placement) => placement.home === placement.owner);
          if (nothingFostered) expect(back).toEqual(stable);
        },
      ),
    );
  });

  it('a node joining takes only its fair share, taken only from the others', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(fc.constant(n), nodeIds, anyPlan(n))), ([n, members, start]) => {
        const stable = placePartitions({ members, partitions: range(n), previous: start });
        const joined = [...members, 'newcomer'];
        const next = placePartitions({ members: joined, partitions: range(n), previous: stable });
        expectBalanced(next, joined, n);
        const moved = [...next].filter(([p, placement]) => stable.get(p)!.owner !== placement.owner);
        // everything that moved went to the newcomer, and it got no more than its fair share
        for (const [, placement] of moved) expect(placement.owner).toBe('newcomer');
        expect(moved.length).toBeLessThanOrEqual(Math.ceil(n / joined.length));
      }),
    );
  });

  it('a returning node wins over a later newcomer for its own partitions', () => {
    const all = ['a', 'b', 'c'];
    const stable = placePartitions({ members: all, partitions: range(12), previous: new Map() });
    const fostered = placePartitions({ members: ['a', 'b'], partitions: range(12), previous: stable });
    const withNewcomer = placePartitions({ members: ['a', 'b', 'd'], partitions: range(12), previous: fostered });
    const back = placePartitions({ members: ['a', 'b', 'c', 'd'], partitions: range(12), previous: withNewcomer });
    expectBalanced(back, ['a', 'b', 'c', 'd'], 12);
    // c's 4 partitions were fostered; the newcomer took some; c comes back to 3 of its own
    for (const p of ownedBy(back, 'c')) expect(stable.get(p)?.owner).toBe('c');
  });
});
