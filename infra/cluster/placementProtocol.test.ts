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
});
