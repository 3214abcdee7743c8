import { type DeliveredMessage, Undecodable } from '../../domain/ports/bus';
import { type Applied, Fenced, type FencedTransaction, type PartitionFencing, type PartitionLease } from './fencing';
import { startPartitionHost } from './placementHost';
import type { PlacedConsumerOptions } from './placementSource';

/** Ownership rows in memory, with the same rules as the PostgreSQL ones */
function memoryFencing(): PartitionFencing & { rows: Map<number, { owner: string; epoch: bigint; applied: bigint }> } {
  const rows = new Map<number, { owner: string; epoch: bigint; applied: bigint }>();
  return {
    rows,
    async claim(topic, partition, node) {
      const row = rows.get(partition) ?? { owner: node, epoch: 0n, applied: -1n };
      const claimed = { owner: node, epoch: row.epoch + 1n, applied: row.applied };
      rows.set(partition, claimed);
      return { topic, partition, node, epoch: claimed.epoch, appliedOffset: claimed.applied };
    },
    async apply<T>(lease: PartitionLease, offset: bigint, work: (tx: FencedTransaction) => Promise<T>): Promise<Applied<T>> {
      const row = rows.get(lease.partition);
      if (row === undefined || row.epoch !== lease.epoch || row.owner !== lease.node) throw new Fenced(lease, row);
      if (offset <= row.applied) return { status: 'skipped', appliedOffset: row.applied };
      const result = await work({ lease, offset, append: async () => ({ version: 0, globalPosition: 1n }), send: () => undefined });
      row.applied = offset;
      return { status: 'applied', result };
    },
    async write<T>(lease: PartitionLease, work: (tx: FencedTransaction) => Promise<T>): Promise<T> {
      const row = rows.get(lease.partition);
      if (row === undefined || row.epoch !== lease.epoch || row.owner !== lease.node) throw new Fenced(lease, row);
      return work({ lease, offset: row.applied, append: async () => ({ version: 0, globalPosition: 1n }), send: () => undefined });
    },
    owners: async () => [...rows].map(([partition, r]) => ({ partition, owner: r.owner, epoch: r.epoch, appliedOffset: r.applied })),
  };
}

async function hostWith(
  fencing: PartitionFencing,
  apply: (m: DeliveredMessage) => Promise<void> = async () => undefined,
  beforeLeave?: (owned: ReadonlyMap<number, PartitionLease>, events: string[]) => Promise<void>,
) {
  let handlers: PlacedConsumerOptions | undefined;
  const events: string[] = [];
  const host = await startPartitionHost({
    nodeId: 'node-a',
    topic: 'phalanet.workers',
    groupId: 'workers',
    source: {
      consumePlaced: async (options) => {
        handlers = options;
        return { ready: () => [], stop: async () => void events.push('left the group') };
      },
    },
    fencing,
    restore: async (partition, lease) => void events.push(`restore ${partition} epoch ${lease.epoch}`),
    drop: async (partition) => void events.push(`drop ${partition}`),
    apply: (m) => apply(m),
    ...(beforeLeave === undefined ? {} : { beforeLeave: (owned: ReadonlyMap<number, PartitionLease>) => beforeLeave(owned, events) }),
  });
  return { host, handlers: handlers!, events };
}

const message = (partition: number, offset: bigint): DeliveredMessage => ({ topic: 'phalanet.workers', key: 'k', id: `m${offset}`, value: new Uint8Array(), partition, offset });

describe('PartitionHost', () => {
  it('claims and restores new partitions, and starts each after its applied offset', async () => {
    const fencing = memoryFencing();
    fencing.rows.set(1, { owner: 'node-b', epoch: 4n, applied: 41n });
    const { host, handlers, events } = await hostWith(fencing);
    const starts = await handlers.onAssigned([0, 1]);
    expect(starts).toEqual(new Map([[0, 0n], [1, 42n]]));
    expect(events).toEqual(['restore 0 epoch 1', 'restore 1 epoch 5']);
    expect([...host.owned().keys()]).toEqual([0, 1]);
  });

  it('applies, skips replays, and reports a partition lost when another node claimed it', async () => {
    const fencing = memoryFencing();
    const { host, handlers } = await hostWith(fencing);
    await handlers.onAssigned([0]);
    expect(await handlers.onMessage(message(0, 0n))).toBe('done');
    expect(await handlers.onMessage(message(0, 0n))).toBe('done');
    await fencing.claim('phalanet.workers', 0, 'node-b');
    expect(await handlers.onMessage(message(0, 1n))).toBe('lost');
    expect(host.stats()).toEqual({ applied: 1, skipped: 1, fenced: 1, claims: 1, undecodable: 0 });
    expect(host.owned().size).toBe(0);
    // a message of a partition it does not hold is not applied either
    expect(await handlers.onMessage(message(3, 0n))).toBe('lost');
  });

  it('hands an undecodable message back to the bus (which dead-letters it) and leaves its offset to the next message', async () => {
    const fencing = memoryFencing();
    const { host, handlers } = await hostWith(fencing, async (m) => {
      if (m.offset === 1n) throw new Undecodable('not SCALE');
    });
    await handlers.onAssigned([0]);
    await handlers.onMessage(message(0, 0n));
    await expect(handlers.onMessage(message(0, 1n))).rejects.toBeInstanceOf(Undecodable);
    expect(fencing.rows.get(0)?.applied).toBe(0n);
    expect(await handlers.onMessage(message(0, 2n))).toBe('done');
    expect(fencing.rows.get(0)?.applied).toBe(2n);
    expect(host.stats()).toMatchObject({ applied: 2, skipped: 0, undecodable: 1 });
  });

  it('lets any other failure through (the bus redelivers it) without moving the applied offset', async () => {
    const fencing = memoryFencing();
    const { handlers } = await hostWith(fencing, async () => {
      throw new Error('store unavailable');
    });
    await handlers.onAssigned([0]);
    await expect(handlers.onMessage(message(0, 0n))).rejects.toThrow('store unavailable');
    expect(fencing.rows.get(0)?.applied).toBe(-1n);
  });

  it('seeds the sticky plan with the owners recorded in the store', async () => {
    const fencing = memoryFencing();
    fencing.rows.set(2, { owner: 'node-b', epoch: 3n, applied: 9n });
    const { handlers } = await hostWith(fencing);
    expect(handlers.initialPlan).toEqual(new Map([[2, { owner: 'node-b', home: 'node-b' }]]));
  });

  it('drops the actors of revoked partitions', async () => {
    const { host, handlers, events } = await hostWith(memoryFencing());
    await handlers.onAssigned([0, 1]);
    await handlers.onRevoked([1]);
    expect(events.slice(-1)).toEqual(['drop 1']);
    expect([...host.owned().keys()]).toEqual([0]);
  });

  it('stops by finishing the messages in flight, refusing new ones, then the last fenced writes, then leaving the group', async () => {
    const fencing = memoryFencing();
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { host, handlers, events } = await hostWith(
      fencing,
      async (m) => {
        if (m.offset === 0n) await slow;
        events.push(`applied ${m.offset}`);
      },
      async (owned, log) => {
        for (const [partition, lease] of owned) await fencing.write(lease, async () => void log.push(`final write ${partition} epoch ${lease.epoch}`));
      },
    );
    await handlers.onAssigned([0, 1]);
    const first = handlers.onMessage(message(0, 0n));
    const stopped = host.stop();
    // draining: not applied (the next owner applies it), and answered 'lost' only after the last writes
    const refused = handlers.onMessage(message(1, 0n)).then((v) => {
      events.push(`refused: ${v}`);
      return v;
    });
    release();
    expect(await first).toBe('done');
    await stopped;
    expect(await refused).toBe('lost');
    expect(events.slice(2, 5)).toEqual(['applied 0', 'final write 0 epoch 1', 'final write 1 epoch 1']);
    expect(events.slice(5).sort()).toEqual(['left the group', 'refused: lost']); // both after the final writes
    expect(fencing.rows.get(0)?.applied).toBe(0n); // the final write moved no offset
    // a write with a stale lease is fenced
    const stale = { topic: 'phalanet.workers', partition: 1, node: 'node-a', epoch: 1n, appliedOffset: -1n };
    await fencing.claim('phalanet.workers', 1, 'node-b');
    await expect(fencing.write(stale, async () => 1)).rejects.toBeInstanceOf(Fenced);
  });
});
