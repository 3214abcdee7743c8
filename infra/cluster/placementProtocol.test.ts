import { assignGroup, decodeMemberState, encodeMemberState, type GroupMember, type MemberState } from './placementProtocol';

const topic = 'phalanet.workers';
const twelve = new Map([[topic, Array.from({ length: 12 }, (_, p) => p)]]);
const state = (nodeId: string, generation: number, owners: readonly string[] = [], startedAtMs = 0): MemberState => ({
  nodeId,
  startedAtMs,
  generation,
  plans: owners.length === 0 ? new Map() : new Map([[topic, new Map(owners.map((owner, p) => [p, { owner, home: owner }]))]]),
});
const member = (memberId: string, s: MemberState | undefined): GroupMember => ({ memberId, state: s, topics: [topic] });

describe('placement protocol', () => {
  it('round-trips a member state through its bytes', () => {
    const s: MemberState = { nodeId: 'node-a', startedAtMs: 1_700_000_000_000, generation: 7, plans: new Map([[topic, new Map([[0, { owner: 'node-b', home: 'node-a' }]])]]) };
    expect(decodeMemberState(encodeMemberState(s))).toEqual(s);
  });

  it('reads foreign or broken user data as no state', () => {
    for (const bytes of [undefined, new Uint8Array(), new TextEncoder().encode('{not json'), new TextEncoder().encode('{"nodeId":3}')]) {
      expect(decodeMemberState(bytes)).toBeUndefined();
    }
  });

  it('follows the newest plan any member shows, and hands out the next generation', () => {
    const owners = Array.from({ length: 12 }, (_, p) => (p < 6 ? 'node-a' : 'node-b'));
    const stale = Array.from({ length: 12 }, () => 'node-b');
    const decided = assignGroup([member('m1', state('node-a', 2, stale)), member('m2', state('node-b', 5, owners))], twelve);
    expect(decided.byMember.get('m1')).toEqual({ [topic]: [0, 1, 2, 3, 4, 5] });
    expect(decided.byMember.get('m2')).toEqual({ [topic]: [6, 7, 8, 9, 10, 11] });
    expect(decided.state.generation).toBe(6);
  });

  it('gives a node id used by two members to the one started last only (a quick restart beats its dead predecessor)', () => {
    const decided = assignGroup([member('m1', state('node-a', 3, [], 1_000)), member('m2', state('node-a', 0, [], 2_000)), member('m3', state('node-b', 3))], twelve);
    expect(decided.byMember.get('m2')?.[topic]).toHaveLength(6);
    expect(decided.byMember.get('m1')).toEqual({});
    expect(decided.byMember.get('m3')?.[topic]).toHaveLength(6);
    // same start: the lower member id, so every leader decides alike
    const tie = assignGroup([member('m2', state('node-a', 1)), member('m1', state('node-a', 1))], twelve);
    expect(tie.byMember.get('m1')?.[topic]).toHaveLength(12);
  });

  it('counts members without readable state as nodes named by their member id', () => {
    const decided = assignGroup([member('m1', undefined), member('m2', state('node-b', 0))], twelve);
    expect(decided.byMember.get('m1')?.[topic]).toHaveLength(6);
    expect(decided.state.plans.get(topic)?.get(decided.byMember.get('m1')![topic]![0]!)?.owner).toBe('m1');
  });

  it('a seeded plan (generation 0, from the ownership rows) gives a restarted cluster its old placement', () => {
    const owners = Array.from({ length: 12 }, (_, p) => ['node-a', 'node-b', 'node-c'][p % 3]!);
    const decided = assignGroup(
      [member('x', state('node-c', 0, owners)), member('y', state('node-a', 0, owners)), member('z', state('node-b', 0, owners))],
      twelve,
    );
    expect(decided.byMember.get('y')).toEqual({ [topic]: [0, 3, 6, 9] });
    expect(decided.byMember.get('z')).toEqual({ [topic]: [1, 4, 7, 10] });
    expect(decided.byMember.get('x')).toEqual({ [topic]: [2, 5, 8, 11] });
  });

  describe('pinned mode (vault scopes)', () => {
    const scopes = ['east', 'west'];
    const pinned = (nodeId: string, scope: string, generation = 0, owners: readonly string[] = []): MemberState => ({ ...state(nodeId, generation, owners), scope, scopes });
    const even = [0, 2, 4, 6, 8, 10];
    const odd = [1, 3, 5, 7, 9, 11];

    it('round-trips the scope fields, and a state without them stays without', () => {
      const s = pinned('node-a', 'east', 3);
      expect(decodeMemberState(encodeMemberState(s))).toEqual(s);
      expect(decodeMemberState(encodeMemberState(state('node-a', 3)))).not.toHaveProperty('scopes');
    });

    it("gives each scope's partitions (p mod scopes) to that scope's nodes only, balanced among them", () => {
      const decided = assignGroup([member('a', pinned('a', 'east')), member('b', pinned('b', 'west')), member('c', pinned('c', 'east'))], twelve);
      const a = decided.byMember.get('a')![topic]!;
      const c = decided.byMember.get('c')![topic]!;
      expect([...a, ...c].sort((x, y) => x - y)).toEqual(even);
      expect([a.length, c.length]).toEqual([3, 3]);
      expect(decided.byMember.get('b')).toEqual({ [topic]: odd });
    });

    it('leaves a scope with no live node unowned (its machines stop, as when their host is gone), and gives them back to it when it returns', () => {
      const first = assignGroup([member('a', pinned('a', 'east')), member('b', pinned('b', 'west'))], twelve);
      const plan = first.state.plans.get(topic)!;
      const owners = Array.from({ length: 12 }, (_, p) => plan.get(p)!.owner);
      const alone = assignGroup([member('a', pinned('a', 'east', first.state.generation, owners))], twelve);
      expect(alone.byMember.get('a')).toEqual({ [topic]: even });
      expect([...alone.state.plans.get(topic)!].filter(([, at]) => at.owner === 'b').map(([p]) => p)).toEqual(odd);
      const later = alone.state.plans.get(topic)!;
      const back = assignGroup(
        [member('a', pinned('a', 'east', alone.state.generation, Array.from({ length: 12 }, (_, p) => later.get(p)!.owner))), member('b2', pinned('b', 'west'))],
        twelve,
      );
      expect(back.byMember.get('b2')).toEqual({ [topic]: odd });
    });

    it('never hands a partition to a live node of another scope, even if it owned it before pinning', () => {
      const owners = Array.from({ length: 12 }, () => 'a');
      const decided = assignGroup([member('a', pinned('a', 'east', 4, owners))], twelve);
      expect(decided.byMember.get('a')).toEqual({ [topic]: even });
      expect(odd.every((p) => decided.state.plans.get(topic)!.get(p) === undefined)).toBe(true);
    });
  });
});
