/**
 * The sticky assigner on a real Kafka broker (started by the int tier's globalSetup): three
 * members of one group over a 12-partition inbox topic; one leaves and only its partitions move;
 * it returns under the same node id (a new process, a new member id) and gets them back.
 */
import { randomBytes } from 'node:crypto';
import { type KafkaBus, kafkaBus } from '../bus/kafkaBus';
import type { PlacedConsumer } from './placementSource';
import { requireKafka, until } from './testing/intServices';

jest.setTimeout(180_000);

const brokers = process.env.PHALANET_TEST_KAFKA_BROKERS;
const run = randomBytes(4).toString('hex');
beforeAll(() => {
  requireKafka();
});

interface Member {
  readonly bus: KafkaBus;
  readonly consumer: PlacedConsumer;
  readonly assignedEver: number[][];
}

async function member(topic: string, groupId: string, nodeId: string): Promise<Member> {
  const bus = kafkaBus({ brokers: (brokers ?? '').split(','), clientId: `${nodeId}-${run}` });
  const assignedEver: number[][] = [];
  const consumer = await bus.consumePlaced({
    groupId,
    topic,
    nodeId,
    onAssigned: async (partitions) => {
      assignedEver.push([...partitions]);
      return new Map(partitions.map((p) => [p, 0n]));
    },
    onRevoked: async () => undefined,
    onMessage: async () => 'done',
  });
  return { bus, consumer, assignedEver };
}

const covered = (members: readonly Member[], each: readonly number[]) =>
  members.every((m, i) => m.consumer.ready().length === each[i]) && new Set(members.flatMap((m) => m.consumer.ready())).size === 12;

describe('sticky assigner (real broker)', () => {
  // the first member to join leads the group; the leader leaving is the case where the plan
  // must have reached the other members (they learn it from the group's description)
  it.each([
    ['a follower', 1],
    ['the leader', 0],
  ])('moves only the partitions of %s when it leaves, and gives them back when it returns with the same id', async (_, leaving) => {
    const topic = `phalanet.workers-${run}-${leaving}`;
    const groupId = `workers-${run}-${leaving}`;
    const setup = kafkaBus({ brokers: (brokers ?? '').split(','), clientId: `setup-${run}` });
    await setup.ensureTopics([{ name: topic, partitions: 12 }]);
    await setup.close();
    const ids = ['node-a', 'node-b', 'node-c'];
    const members: Member[] = [];
    for (const id of ids) members.push(await member(topic, groupId, id));
    try {
      await until(() => covered(members, [4, 4, 4]), '4 partitions each');
      const before = members.map((m) => m.consumer.ready());
      const [gone] = members.splice(leaving, 1);
      await gone!.consumer.stop();
      await gone!.bus.close();
      await until(() => covered(members, [6, 6]), 'the partitions of the one that left spread over the others');
      // the others kept everything they had: only the leaver's partitions moved
      const stayed = before.filter((_, i) => i !== leaving);
      members.forEach((m, i) => {
        for (const p of stayed[i]!) expect(m.consumer.ready()).toContain(p);
      });
      const back = await member(topic, groupId, ids[leaving]!);
      members.splice(leaving, 0, back);
      await until(() => covered(members, [4, 4, 4]), `${ids[leaving]} back with 4`);
      expect(members.map((m) => m.consumer.ready())).toEqual(before);
      // the returning node was handed exactly its old partitions, in one assignment
      expect(back.assignedEver).toEqual([before[leaving]]);
    } finally {
      await Promise.all(
        members.map(async (m) => {
          await m.consumer.stop();
          await m.bus.close();
        }),
      );
    }
  });
});
